import fs from 'node:fs';
import path from 'node:path';
import { ManualClock } from '../../../../electron/services/clock';
import { createServices, type Services } from '../../../../electron/services';
import { MemorySecretStore } from '../../../../electron/services/probes/secret-store';
import { tempHome } from '../../../support/temp-home';

export const TEST_RUNBOOK = `---
id: drill
title: Drill
severity: [critical, high, medium, low]
applies_to: [outage]
version: 1.2.0
time_budget:
  Check: 2m
---

# Drill

## Check

- [ ] Say hello {#hello}

  Prints a greeting.

  \`\`\`sh {name=hello}
  echo "hello from \${INCIDENT_ID}"
  \`\`\`

- [ ] Look at the target {#target}

  \`\`\`sh {name=target}
  export TARGET=web-1   # host to check
  export API_TOKEN=""
  echo "target=$TARGET token=$API_TOKEN"
  \`\`\`

- [ ] Fail on purpose {#fails}

  \`\`\`sh {name=fails}
  echo about to fail; exit 3
  \`\`\`

- [ ] Never reached {#after}

  \`\`\`sh {name=after}
  echo after
  \`\`\`

## Fix

- [ ] Restart it {#restart}

  \`\`\`sh {name=restart confirm=true}
  echo restarting
  \`\`\`

- [ ] Write it down {#write}

  Nothing to run here.
`;

export interface RunFixture {
  readonly services: Services;
  readonly clock: ManualClock;
  readonly home: string;
  readonly secrets: MemorySecretStore;
  reopen(): Services;
  cleanup(): Promise<void>;
}

/** Real services (SQLite file, node-pty with /bin/sh) and a runbook folder with the drill. */
export function createRunFixture(): RunFixture {
  const home = tempHome('firebreak-runs-');
  const dir = path.join(home.dir, 'runbooks-src');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'drill.md'), TEST_RUNBOOK);
  const clock = new ManualClock(Date.parse('2026-11-23T09:00:00.000Z'));
  const secrets = new MemorySecretStore();
  const make = () =>
    createServices({
      home: home.dir,
      clock,
      identity: { actor: 'alice', host: 'laptop-1' },
      secrets,
      runbooksDir: dir,
      terminals: { env: { ...process.env, SHELL: '/bin/sh', PS1: '$ ' }, killGraceMs: 300 },
    });
  const services = make();
  const extra: Services[] = [];
  return {
    services,
    clock,
    home: home.dir,
    secrets,
    reopen: () => {
      const s = make();
      extra.push(s);
      return s;
    },
    cleanup: async () => {
      for (const s of [services, ...extra]) {
        await s.terminals.close();
        s.close();
      }
      home.cleanup();
    },
  };
}
