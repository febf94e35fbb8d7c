import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { DEFAULT_ESCALATION_POLICY, escalationPolicySchema, type EscalationPolicy } from '../../../shared/escalation';
import { invalidInput } from '../errors';

export const ESCALATION_POLICY_FILE = 'escalation-policy.yaml';

const HEADER = `# Firebreak escalation policy (seed 004 §11–12). Edit freely; every field may be left out
# and then has seed 004's value.
#   levels: the three levels in order; cover says when a level may be called outside its
#     contacts' hours: always (24 h), critical (24 h for Critical incidents, business hours
#     otherwise), emergency (business hours, 24 h in an emergency: a Critical incident).
#   updateCadenceMinutes: how often stakeholders hear from us while an incident is open.
#   noProgressMinutes: no recorded progress for this long suggests escalating.
`;

/**
 * The policy in `<profile>/escalation-policy.yaml`, written with seed 004's defaults on first
 * use (as risks.yaml is). A file that does not parse or validate is an error naming
 * file:line: field, never a stack trace.
 */
export class EscalationPolicyFile {
  readonly path: string;
  /** Suggestions read the policy on every check: parse again only when the file changed. */
  private cache: { mtimeMs: number; size: number; ino: number; policy: EscalationPolicy } | null = null;

  constructor(home: string) {
    this.path = path.join(home, ESCALATION_POLICY_FILE);
  }

  load(): EscalationPolicy {
    const stat = fs.statSync(this.path, { throwIfNoEntry: false });
    if (stat && this.cache && this.cache.mtimeMs === stat.mtimeMs && this.cache.size === stat.size && this.cache.ino === stat.ino) return this.cache.policy;
    const policy = this.read();
    const after = fs.statSync(this.path, { throwIfNoEntry: false });
    if (after) this.cache = { mtimeMs: after.mtimeMs, size: after.size, ino: after.ino, policy };
    return policy;
  }

  private read(): EscalationPolicy {
    let text: string;
    try {
      text = fs.readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw invalidInput(this.path, (error as Error).message);
      this.save(DEFAULT_ESCALATION_POLICY);
      return DEFAULT_ESCALATION_POLICY;
    }
    const document = YAML.parseDocument(text, { prettyErrors: true });
    if (document.errors.length > 0) {
      const first = document.errors[0]!;
      const line = first.linePos?.[0]?.line;
      throw invalidInput(line ? `${this.path}:${line}` : this.path, first.message.split('\n')[0] ?? 'not YAML');
    }
    const parsed = escalationPolicySchema.safeParse(document.toJS() ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.map(String).join('.') || 'document';
      // An unknown key is pointed at itself, not at the mapping that holds it.
      const at = issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined ? [...issue.path, issue.keys[0]] : issue.path;
      throw invalidInput(`${this.lineOf(document, text, at as (string | number)[])}: ${field}`, issue.message);
    }
    return parsed.data;
  }

  /** file:line of the deepest node on the field's path that exists. */
  private lineOf(document: YAML.Document, text: string, fieldPath: (string | number)[]): string {
    for (let depth = fieldPath.length; depth >= 0; depth--) {
      const node = (depth === 0 ? document.contents : document.getIn(fieldPath.slice(0, depth), true)) as { range?: [number, number, number] } | null | undefined;
      const offset = node?.range?.[0];
      if (offset !== undefined) return `${this.path}:${text.slice(0, offset).split('\n').length}`;
    }
    return this.path;
  }

  save(policy: EscalationPolicy): void {
    const valid = escalationPolicySchema.parse(policy);
    fs.mkdirSync(path.dirname(this.path), { recursive: true });
    const temp = `${this.path}.${process.pid}.tmp`;
    fs.writeFileSync(temp, HEADER + YAML.stringify(valid, { lineWidth: 0 }));
    fs.renameSync(temp, this.path);
    this.cache = null;
  }
}
