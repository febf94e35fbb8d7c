import fs from 'node:fs';
import path from 'node:path';
import type { ReportTemplateInfo } from '../../../shared/reports';
import { ServiceError } from '../errors';
import { mustache } from '../lazy-require';

// Report templates are Markdown with Mustache tags: logic-less, so a template can place and
// repeat values but never run code. Built-in templates ship in reports/templates/; a file of
// the same name in <home>/templates/ overrides one, and new names add templates.

export interface LoadedTemplate {
  readonly info: ReportTemplateInfo;
  readonly text: string;
}

/** The first `{{! … }}` comment of a template is its description in the picker. */
function describe(text: string, fallback: string): string {
  const m = /^\s*\{\{!\s*([\s\S]*?)\s*\}\}/.exec(text);
  return m ? m[1]!.replace(/\s+/g, ' ').trim() : fallback;
}

/** Where the shipped templates are: beside the sources, the build (out/main), or a packaged app. */
export function findBuiltInTemplatesDir(start: string = __dirname): string | undefined {
  const candidates: string[] = [];
  let dir = start;
  for (let i = 0; i < 6; i++) {
    candidates.push(path.join(dir, 'reports', 'templates'));
    dir = path.dirname(dir);
  }
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  if (resources) candidates.push(path.join(resources, 'reports', 'templates'));
  return candidates.find((c) => fs.existsSync(path.join(c, 'incident-report.md')));
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < Math.min(offset, text.length); i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function lastOpening(text: string, name: string): number {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  let last = -1;
  for (const m of text.matchAll(new RegExp(`\\{\\{\\s*[#^]\\s*${escaped}\\s*\\}\\}`, 'g'))) last = m.index;
  return last;
}

/** Parses a template; a broken one is an error naming its file and line. */
export function checkTemplate(text: string, file: string): void {
  try {
    mustache().parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = /\s+at (\d+)$/.exec(message);
    const what = at ? message.slice(0, at.index) : message;
    // Mustache reports an unclosed section at the end of the file; the useful line is where it opened.
    const unclosed = /^Unclosed section "(.*)"$/.exec(what);
    const opened = unclosed ? lastOpening(text, unclosed[1]!) : -1;
    const line = opened >= 0 ? lineOf(text, opened) : at ? lineOf(text, Number(at[1])) : undefined;
    throw new ServiceError('invalid_input', `template ${file}${line === undefined ? '' : `, line ${line}`}: ${what}`);
  }
}

export class TemplateStore {
  constructor(
    private readonly builtInDir: string | undefined,
    private readonly userDir: string,
  ) {}

  get userFolder(): string {
    return this.userDir;
  }

  list(): ReportTemplateInfo[] {
    const builtIn = this.scan(this.builtInDir, 'built-in');
    const user = this.scan(this.userDir, 'user');
    const byName = new Map<string, ReportTemplateInfo>();
    for (const t of builtIn) byName.set(t.name, t);
    for (const t of user) byName.set(t.name, { ...t, overridesBuiltIn: byName.has(t.name) });
    return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * A language other than English first looks for `<lang>/<name>.md` (user folder, then the
   * shipped one), so one name serves both languages in the picker; without a translation the
   * English template still renders, with the language's dictionary filling its labels.
   */
  load(name: string, language: string = 'en'): LoadedTemplate {
    if (language !== 'en') {
      for (const dir of [this.userDir, this.builtInDir]) {
        const file = dir ? path.join(dir, language, `${name}.md`) : undefined;
        if (!file || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name) || !fs.existsSync(file)) continue;
        const text = fs.readFileSync(file, 'utf8');
        checkTemplate(text, file);
        const base = this.list().find((t) => t.name === name);
        const info: ReportTemplateInfo = { name, description: describe(text, name), source: dir === this.userDir ? 'user' : 'built-in', path: file, overridesBuiltIn: base?.overridesBuiltIn ?? false };
        return { info, text };
      }
    }
    const info = this.list().find((t) => t.name === name);
    if (!info) throw new ServiceError('not_found', `report template "${name}" does not exist (have: ${this.list().map((t) => t.name).join(', ') || 'none'})`);
    const text = fs.readFileSync(info.path, 'utf8');
    checkTemplate(text, info.path);
    return { info, text };
  }

  private scan(dir: string | undefined, source: ReportTemplateInfo['source']): ReportTemplateInfo[] {
    if (!dir || !fs.existsSync(dir)) return [];
    return fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.md') && /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\.md$/.test(f))
      .map((f) => {
        const file = path.join(dir, f);
        const name = f.slice(0, -3);
        let head = '';
        try {
          const fd = fs.openSync(file, 'r');
          const buf = Buffer.alloc(512);
          const n = fs.readSync(fd, buf, 0, 512, 0);
          fs.closeSync(fd);
          head = buf.subarray(0, n).toString('utf8');
        } catch {
          // unreadable: still listed, load() will say why
        }
        return { name, description: describe(head, name), source, path: file, overridesBuiltIn: false };
      });
  }
}

/** Renders with Mustache; values arrive already escaped as Markdown, so no HTML escaping here. */
export function renderTemplate(text: string, view: object): string {
  return mustache().render(text, view, {}, { escape: (value: unknown) => String(value) });
}
