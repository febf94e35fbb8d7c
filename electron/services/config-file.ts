import fs from 'node:fs';
import path from 'node:path';
import type * as Yaml from 'yaml';
import type { z } from 'zod';
import { invalidInput } from './errors';
import { yaml } from './lazy-require';

// One loader for the files in the profile the user may edit (escalation-policy.yaml,
// risks.yaml, metrics.json): read only when the file changed, validated with its schema, and
// a broken file is an error naming file[:line]: field, never a stack trace or a silent reset.

/** A file's text, parsed: the value and where a field of it is written (file:line or file). */
interface ParsedText {
  readonly value: unknown;
  where(fieldPath: readonly (string | number)[]): string;
}

export interface ConfigFormat {
  parse(text: string, file: string): ParsedText;
  serialize(value: unknown): string;
}

/** YAML with a comment header; errors name the line. `empty`: what an empty file means. */
export function yamlFormat(header: string, options: { readonly empty?: unknown } = {}): ConfigFormat {
  return {
    parse(text, file) {
      const document = yaml().parseDocument(text, { prettyErrors: true });
      if (document.errors.length > 0) {
        const first = document.errors[0]!;
        const line = first.linePos?.[0]?.line;
        throw invalidInput(line ? `${file}:${line}` : file, first.message.split('\n')[0] ?? 'not YAML');
      }
      const value: unknown = document.toJS();
      return { value: value ?? options.empty ?? value, where: (fieldPath) => lineOf(document, text, file, fieldPath) };
    },
    serialize: (value) => header + yaml().stringify(value, { lineWidth: 0 }),
  };
}

/** JSON; errors name the file (and the field). */
export const jsonFormat: ConfigFormat = {
  parse(text, file) {
    try {
      return { value: JSON.parse(text) as unknown, where: () => file };
    } catch (error) {
      throw invalidInput(file, `not JSON (${(error as Error).message})`);
    }
  },
  serialize: (value) => `${JSON.stringify(value, null, 2)}\n`,
};

/** file:line of the deepest node on the field's path that exists. */
function lineOf(document: Yaml.Document, text: string, file: string, fieldPath: readonly (string | number)[]): string {
  for (let depth = fieldPath.length; depth >= 0; depth--) {
    const node = (depth === 0 ? document.contents : document.getIn(fieldPath.slice(0, depth), true)) as { range?: [number, number, number] } | null | undefined;
    const offset = node?.range?.[0];
    if (offset !== undefined) return `${file}:${text.slice(0, offset).split('\n').length}`;
  }
  return file;
}

export interface ConfigFileOptions<T> {
  readonly path: string;
  readonly schema: z.ZodType<T>;
  readonly format: ConfigFormat;
  /** What a missing file means; `write`: the file is created with it (for the user to edit). */
  readonly missing: { readonly value: () => T; readonly write: boolean };
}

export class ConfigFile<T> {
  readonly path: string;
  /** The last good parse and the file state it came from: callers load on every check. */
  private cache: { mtimeMs: number; size: number; ino: number; value: T } | null = null;

  constructor(private readonly o: ConfigFileOptions<T>) {
    this.path = o.path;
  }

  load(): T {
    const stat = fs.statSync(this.path, { throwIfNoEntry: false });
    if (stat && this.cache && this.cache.mtimeMs === stat.mtimeMs && this.cache.size === stat.size && this.cache.ino === stat.ino) return this.cache.value;
    const value = this.read();
    // A file just created with the defaults is cached from its new state.
    const state = stat ?? fs.statSync(this.path, { throwIfNoEntry: false });
    if (state) this.cache = { mtimeMs: state.mtimeMs, size: state.size, ino: state.ino, value };
    return value;
  }

  save(value: T): void {
    const valid = this.o.schema.parse(value);
    fs.mkdirSync(path.dirname(this.path), { recursive: true });
    const temp = `${this.path}.${process.pid}.tmp`;
    fs.writeFileSync(temp, this.o.format.serialize(valid));
    fs.renameSync(temp, this.path);
    this.cache = null;
  }

  private read(): T {
    let text: string;
    try {
      text = fs.readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw invalidInput(this.path, (error as Error).message);
      const value = this.o.missing.value();
      if (this.o.missing.write) this.save(value);
      return value;
    }
    const parsed = this.o.format.parse(text, this.path);
    const result = this.o.schema.safeParse(parsed.value);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      const field = issue.path.map(String).join('.') || 'document';
      // An unknown key is pointed at itself, not at the mapping that holds it.
      const at = issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined ? [...issue.path, issue.keys[0]] : issue.path;
      throw invalidInput(`${parsed.where(at as (string | number)[])}: ${field}`, issue.message);
    }
    return result.data;
  }
}
