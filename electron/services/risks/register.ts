import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { registerSchema, type Register } from '../../../shared/risks';
import { invalidInput } from '../errors';
import { SEED_RISKS } from './seed';

export const RISK_REGISTER_FILE = 'risks.yaml';

const HEADER = `# Firebreak risk register (seed 000's seven risks to start with). Edit freely: impact and
# probability 1–5 (score = impact × probability), warning.rules bind the early warning to a
# service indicator (response_time_p95, throughput, availability, error_rate, pool_use,
# query_time), a gauge (cpu, memory, swap) or a probe (a name, or "*" for any).
`;

/** The register in `<profile>/risks.yaml`, created from seed 000 on first use. */
export class RiskRegisterFile {
  readonly path: string;
  /** The last good parse and the file state it came from: rules are evaluated every second. */
  private cache: { mtimeMs: number; size: number; ino: number; register: Register } | null = null;

  constructor(home: string) {
    this.path = path.join(home, RISK_REGISTER_FILE);
  }

  load(): Register {
    const stat = fs.statSync(this.path, { throwIfNoEntry: false });
    if (stat && this.cache && this.cache.mtimeMs === stat.mtimeMs && this.cache.size === stat.size && this.cache.ino === stat.ino) return this.cache.register;
    const register = this.read();
    if (stat) this.cache = { mtimeMs: stat.mtimeMs, size: stat.size, ino: stat.ino, register };
    return register;
  }

  private read(): Register {
    let text: string;
    try {
      text = fs.readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw invalidInput(this.path, (error as Error).message);
      const seeded = registerSchema.parse({ version: 1, risks: SEED_RISKS });
      this.save(seeded);
      return seeded;
    }
    const document = YAML.parseDocument(text, { prettyErrors: true });
    if (document.errors.length > 0) {
      const first = document.errors[0]!;
      const line = first.linePos?.[0]?.line;
      throw invalidInput(line ? `${this.path}:${line}` : this.path, first.message.split('\n')[0] ?? 'not YAML');
    }
    const parsed = registerSchema.safeParse(document.toJS());
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const where = this.lineOf(document, issue.path as (string | number)[]);
      const field = issue.path.map(String).join('.') || 'document';
      throw invalidInput(`${where}: ${field}`, issue.message);
    }
    return parsed.data;
  }

  private lineOf(document: YAML.Document, fieldPath: (string | number)[]): string {
    // The deepest node that exists on the path gives the line to look at.
    for (let depth = fieldPath.length; depth >= 0; depth--) {
      const node = document.getIn(fieldPath.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
      const offset = node?.range?.[0];
      if (offset !== undefined) {
        const text = fs.readFileSync(this.path, 'utf8');
        return `${this.path}:${text.slice(0, offset).split('\n').length}`;
      }
    }
    return this.path;
  }

  save(register: Register): void {
    const valid = registerSchema.parse(register);
    fs.mkdirSync(path.dirname(this.path), { recursive: true });
    const temp = `${this.path}.${process.pid}.tmp`;
    fs.writeFileSync(temp, HEADER + YAML.stringify(valid, { lineWidth: 0 }));
    fs.renameSync(temp, this.path);
    this.cache = null;
  }
}
