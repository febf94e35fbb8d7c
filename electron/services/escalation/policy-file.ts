import path from 'node:path';
import { DEFAULT_ESCALATION_POLICY, escalationPolicySchema, type EscalationPolicy } from '../../../shared/escalation';
import { ConfigFile, yamlFormat } from '../config-file';

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
 * file:line: field, never a stack trace. An empty file is the defaults.
 */
export class EscalationPolicyFile {
  readonly path: string;
  /** Suggestions read the policy on every check: parsed again only when the file changed. */
  private readonly file: ConfigFile<EscalationPolicy>;

  constructor(home: string) {
    this.file = new ConfigFile({
      path: path.join(home, ESCALATION_POLICY_FILE),
      schema: escalationPolicySchema,
      format: yamlFormat(HEADER, { empty: {} }),
      missing: { value: () => DEFAULT_ESCALATION_POLICY, write: true },
    });
    this.path = this.file.path;
  }

  load(): EscalationPolicy {
    return this.file.load();
  }

  save(policy: EscalationPolicy): void {
    this.file.save(policy);
  }
}
