// Linting a real collection: 400 generated Markdown runbooks in the styles alert-runbook
// collections use (Hugo front matter or none, sections, prompts with sample output,
// placeholders, reference blocks), against just reading the same 400 files in the same
// run. Target: the lint under 1 s.
import fs from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { lintRunbooks } from '../../electron/services/runbooks';

function runbookText(i: number): string {
  const name = `Kube${['Pod', 'Node', 'Job', 'Deployment', 'Etcd'][i % 5]}Problem${i}`;
  const front = i % 3 === 0 ? '' : `---\ntitle: ${name}\nweight: ${i}\naliases:\n  - /${name.toLowerCase()}/\n---\n\n`;
  const heading = i % 4 === 0 ? `${name}\n${'='.repeat(name.length)}\n` : `# ${name}\n`;
  return `${front}${heading}
## Meaning

The alert fires when something in \`{{ $labels.namespace }}\` has been wrong for 15 minutes.
Lines of prose explain what it means and which dashboards show it.

## Impact

| Replicas down | Impact |
|---|---|
| one | degraded |
| all | outage |

## Diagnosis

1. **Check the pods**

   \`\`\`console
   $ kubectl get pods -n $NAMESPACE -l app=<APP_NAME>
   NAME          READY   STATUS    RESTARTS   AGE
   app-1-abcde   0/1     Error     7          12m
   \`\`\`

2. **Read the logs**

   \`\`\`bash
   kubectl logs <POD_NAME> -n $NAMESPACE --previous \\
     --tail=100 | grep -i error
   \`\`\`

3. Query the rate:

   \`\`\`promql
   rate(kube_pod_container_status_restarts_total{namespace="{{ $labels.namespace }}"}[5m])
   \`\`\`

<!-- TODO: add a dashboard link -->

## Mitigation

Restart the workload once the cause is fixed:

\`\`\`shell
kubectl rollout restart deployment/<DEPLOYMENT> -n $NAMESPACE
\`\`\`

If a node is broken, move the pods away:

\`\`\`sh
NODE_NAME=<instance label from alert>
kubectl cordon "$NODE_NAME"
\`\`\`
`;
}

function elapsed(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** CPU time of this process since `start`: on a shared, loaded machine wall time alone misleads. */
function cpuMs(start: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1000;
}

async function readAll(dir: string): Promise<number> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.md'));
  const texts = await Promise.all(names.map((n) => readFile(path.join(dir, n), 'utf8')));
  return texts.reduce((n, t) => n + t.length, 0);
}

export async function runRunbookLintBench(options: { files?: number; rounds?: number } = {}): Promise<Record<string, unknown>> {
  const files = options.files ?? 400;
  const rounds = options.rounds ?? 5;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-bench-runbooks-'));
  try {
    for (let i = 0; i < files; i++) fs.writeFileSync(path.join(dir, `runbook-${String(i).padStart(3, '0')}.md`), runbookText(i));
    // Warm both paths once (module loading, page cache) so the rounds compare like with like.
    await readAll(dir);
    const warm = await lintRunbooks([dir]);
    const errors = warm.diagnostics.filter((d) => d.severity === 'error').length;
    if (errors > 0) throw new Error(`generated runbooks have ${errors} errors: the bench would time the wrong thing`);
    const readMs: number[] = [];
    const lintMs: number[] = [];
    const readCpuMs: number[] = [];
    const lintCpuMs: number[] = [];
    for (let r = 0; r < rounds; r++) {
      let start = process.hrtime.bigint();
      let cpu = process.cpuUsage();
      await readAll(dir);
      readMs.push(elapsed(start));
      readCpuMs.push(cpuMs(cpu));
      start = process.hrtime.bigint();
      cpu = process.cpuUsage();
      await lintRunbooks([dir]);
      lintMs.push(elapsed(start));
      lintCpuMs.push(cpuMs(cpu));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const round = (x: number) => Math.round(x * 10) / 10;
    return {
      files,
      rounds,
      bytes: fs.readdirSync(dir).reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0),
      filesLinted: warm.files.length,
      warnings: warm.diagnostics.length,
      loadAverage: os.loadavg().map(round),
      baselineReadMs: { median: round(median(readMs)), min: round(Math.min(...readMs)), cpuMedian: round(median(readCpuMs)) },
      lintMs: { median: round(median(lintMs)), min: round(Math.min(...lintMs)), cpuMedian: round(median(lintCpuMs)) },
      targetMs: 1000,
      withinTarget: median(lintMs) < 1000,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
