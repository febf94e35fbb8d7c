import path from 'node:path';
import { registerSchema, type Register } from '../../../shared/risks';
import { ConfigFile, yamlFormat } from '../config-file';
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
  /** Rules are evaluated every second: parsed again only when the file changed. */
  private readonly file: ConfigFile<Register>;

  constructor(home: string) {
    this.file = new ConfigFile({
      path: path.join(home, RISK_REGISTER_FILE),
      schema: registerSchema,
      format: yamlFormat(HEADER),
      missing: { value: () => registerSchema.parse({ version: 1, risks: SEED_RISKS }), write: true },
    });
    this.path = this.file.path;
  }

  load(): Register {
    return this.file.load();
  }

  save(register: Register): void {
    this.file.save(register);
  }
}
