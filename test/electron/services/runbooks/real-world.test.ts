import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import MarkdownIt from 'markdown-it';
import { beforeAll, describe, expect, it } from 'vitest';
import { needsConfirmation } from '../../../../shared/runbooks';
import { CONTEXT_VARIABLES, loadRunbooks, lintRunbooks, parseRunbook, prepareCommand, runbooksFor, variablesFor, type LoadResult, type Runbook } from '../../../../electron/services/runbooks';

// Runbooks in the styles public alert-runbook collections use (fixtures written for these
// tests): Hugo/Jekyll front matter or none, sections instead of checklists, prompts with
// sample output, placeholders of every kind, reference blocks in other languages.
const dir = path.join(__dirname, 'fixtures', 'real-world');
const SHELL_FENCES = new Set(['sh', 'bash', 'shell', 'zsh', 'console', 'powershell', 'pwsh']);

let loaded: LoadResult;
beforeAll(async () => {
  loaded = await loadRunbooks({ userDirs: [dir] });
});

const byId = (id: string): Runbook => {
  const found = loaded.runbooks.find((r) => r.id === id);
  if (!found) throw new Error(`no runbook ${id}`);
  return found;
};
const blocks = (r: Runbook) => r.phases.flatMap((p) => p.steps).flatMap((s) => s.commands);

/** Fences in a shell language, counted by an independent parse of the file. */
function shellFences(file: string): number {
  return new MarkdownIt()
    .parse(readFileSync(file, 'utf8'), {})
    .filter((t) => t.type === 'fence' && SHELL_FENCES.has(t.info.trim().split(/\s+/)[0]!.toLowerCase())).length;
}

describe('runbooks from the real world', () => {
  it('all load without edits: no errors, and the only warnings name dangerous commands', async () => {
    const lint = await lintRunbooks([dir]);
    expect(lint.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(lint.diagnostics.filter((d) => d.code !== 'unsafe-command')).toEqual([]);
    expect(lint.files).toHaveLength(11);
    expect(loaded.runbooks).toHaveLength(11);
  });

  it('names a runbook without an id by its path in the folder, and titles it from the front matter or the first heading', () => {
    expect(byId('kubernetes.kubepodcrashlooping')).toMatchObject({ title: 'Kube Pod Crash Looping', format: 'document', appliesTo: ['kubernetes', 'pods'] });
    expect(byId('openshift.etcdmembersdown').title).toBe('etcdMembersDown'); // setext heading
    expect(byId('nodenotready').title).toBe('NodeNotReady');
    expect(byId('alertmanagerfailedreload').title).toBe('Alertmanager failed to reload its configuration');
    // Hugo's TOML front matter: its title is read, the rest ignored.
    expect(byId('hugotomlfrontmatter')).toMatchObject({ title: 'Prometheus target down', description: '' });
    expect(byId('hugotomlfrontmatter').phases.map((p) => p.title)).toEqual(['Meaning', 'Diagnosis']);
    // Without a version the text's hash identifies it; every severity is offered.
    expect(byId('nodenotready').version).toBe('');
    expect(byId('nodenotready').sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(byId('nodenotready').severities).toEqual(['critical', 'high', 'medium', 'low']);
  });

  it('suggests a runbook that names no severity only when its tags match the incident', () => {
    expect(byId('nodenotready').anySeverity).toBe(true);
    const suggested = runbooksFor(loaded.runbooks, { severity: 'high', tags: ['Kubernetes', 'outage'] });
    expect(suggested.map((s) => [s.runbook.id, s.matchedTags])).toEqual([['kubernetes.kubepodcrashlooping', ['kubernetes']]]);
    expect(runbooksFor(loaded.runbooks, { severity: 'low', tags: [] })).toEqual([]);
  });

  it('makes every shell fence a runnable step, under its section', () => {
    for (const runbook of loaded.runbooks) {
      const steps = runbook.phases.flatMap((p) => p.steps);
      expect(steps.every((s) => s.commands.length === 1), runbook.id).toBe(true);
      expect(steps.length, runbook.id).toBe(shellFences(runbook.file));
    }
    const crash = byId('kubernetes.kubepodcrashlooping');
    expect(crash.phases.map((p) => [p.title, p.steps.length])).toEqual([
      ['Meaning', 0],
      ['Impact', 0],
      ['Diagnosis', 3],
      ['Mitigation', 1],
    ]);
    expect(crash.phases[0]?.description).toMatch(/keeps restarting/);
    expect(crash.phases[2]?.steps.map((s) => s.text)).toEqual([
      'Check the pods in the namespace from the alert',
      'Describe the failing pod and look at the events at the end',
      'Read the logs of the previous (crashed) container',
    ]);
    // A fence nested in a numbered item takes the item as its title, the prose as guidance.
    const node = byId('nodenotready');
    expect(node.phases[1]?.steps.map((s) => s.text)).toEqual(['Move the workloads away', 'Restart the kubelet', 'If the node is gone for good, terminate the instance']);
    expect(byId('terraformdrift').phases[0]?.steps[0]).toMatchObject({ text: 'Plan against the live state' });
  });

  it('keeps non-shell blocks as reference in the guidance, shown but never run', () => {
    const etcd = byId('openshift.etcdmembersdown');
    expect(etcd.phases[2]?.steps[1]?.guidance).toContain('```promql');
    const neo = byId('neo4jslowqueries');
    expect(neo.phases[0]?.steps[0]?.guidance).toContain('```cypher');
    expect(blocks(neo).map((b) => b.language)).toEqual(['sh']);
    expect(byId('alertmanagerfailedreload').phases[1]?.steps[0]?.guidance).toMatch(/```yaml[\s\S]*```json/);
  });

  it('strips prompts and never types the sample output a block shows', () => {
    const get = blocks(byId('kubernetes.kubepodcrashlooping'))[0]!;
    expect(get.code).toBe('kubectl get pods -n ${NAMESPACE}');
    expect(get.expectedOutput).toMatch(/^NAME +READY +STATUS/);
    const kubelet = blocks(byId('nodenotready'))[0]!;
    expect(kubelet.code).toBe('systemctl status kubelet\njournalctl -u kubelet --since "10 min ago" | tail -n 20');
    expect(kubelet.expectedOutput).toContain('Active: activating');
    const du = blocks(byId('kubernetes.nodefilesystemspacefillingup'))[2]!;
    expect(du.code).toBe('du -xh /host/var/log | sort -h | tail -5'); // `# ` root prompt
    const ps = blocks(byId('windowsservicedown'));
    expect(ps.map((b) => b.code)).toEqual(['Get-Service -Name ${SERVICE_NAME}', 'Restart-Service -Name ${SERVICE_NAME}']);
    // A continuation line stays with its command.
    expect(blocks(byId('kubernetes.kubepodcrashlooping'))[2]?.code).toBe('kubectl logs ${POD_NAME} -n ${NAMESPACE} --previous \\\n    --tail=200');
    for (const runbook of loaded.runbooks) {
      for (const block of blocks(runbook)) {
        for (const line of (block.expectedOutput ?? '').split('\n').filter((l) => l.trim() !== '')) expect(block.code, block.id).not.toContain(line);
      }
    }
  });

  it('turns every placeholder style into a prompted variable, and no <NAME> is ever typed', () => {
    const names = (id: string) => variablesFor(byId(id)).map((v) => v.name).sort();
    expect(names('kubernetes.kubepodcrashlooping')).toEqual(['NAMESPACE', 'POD_NAME']);
    expect(names('kubernetes.nodefilesystemspacefillingup')).toEqual(['INSTANCE', 'NODE_NAME']);
    expect(names('terraformdrift')).toEqual(['CLUSTER', 'NAMESPACE', 'RELEASE']);
    expect(names('nodenotready')).toEqual(['INSTANCE_ID', 'NODE_NAME']);
    expect(names('alertmanagerfailedreload')).toEqual(['NAMESPACE']);
    expect(names('hugotomlfrontmatter')).toEqual(['TARGET_ADDRESS']);
    const nodeName = variablesFor(byId('kubernetes.nodefilesystemspacefillingup')).find((v) => v.name === 'NODE_NAME');
    expect(nodeName?.description).toContain('instance label from alert');

    for (const runbook of loaded.runbooks) {
      const values: Record<string, string> = Object.fromEntries(Object.keys(CONTEXT_VARIABLES).map((k) => [k, `ctx-${k.toLowerCase()}`]));
      for (const v of variablesFor(runbook)) values[v.name] = `it's ${v.name.toLowerCase()} & more`;
      for (const block of blocks(runbook)) {
        const prepared = prepareCommand(block, values, new Set(Object.keys(values)));
        expect(prepared.missing, block.id).toEqual([]);
        expect(prepared.code, block.id).not.toMatch(/\{\{|<[A-Za-z][\w -]*>|\$\{[A-Z_]+\}/);
        if (block.shell !== 'sh') continue;
        // What is typed is valid shell, with the answers quoted as single words.
        const check = spawnSync('sh', ['-n'], { input: prepared.code, encoding: 'utf8' });
        expect(check.status, `${block.id}\n${prepared.code}\n${check.stderr}`).toBe(0);
      }
    }
  });

  it('keeps an explicit {#id} on a section heading stable', () => {
    const r = parseRunbook('# T\n\n## Check the disks {#disks}\n\n```sh\ndf -h\n```\n', { file: 't.md' });
    expect(r.runbook?.phases[0]).toMatchObject({ id: 'disks', title: 'Check the disks' });
    expect(r.runbook?.phases[0]?.steps[0]?.id).toBe('t/disks/check-the-disks');
  });

  it('leaves awk fields, assigned variables and environment variables alone', () => {
    const r = parseRunbook('# T\n\n```sh\nNS=prod\nkubectl get pods -n "$NS" | awk \'{print $NF}\'\necho "$HOME"\n```\n', { file: 't.md' });
    expect(r.runbook?.variables).toEqual([]);
    expect(r.runbook?.phases[0]?.steps[0]?.commands[0]?.code).toBe('NS=prod\nkubectl get pods -n "$NS" | awk \'{print $NF}\'\necho "$HOME"');
  });

  it('flags dangerous commands for the typed confirmation, and lint names them', async () => {
    const dangerous = loaded.runbooks.flatMap((r) => blocks(r).filter(needsConfirmation).map((b) => b.danger?.what)).sort();
    expect(dangerous).toEqual([
      'PowerShell change',
      'aws terminate-instances',
      'helm rollback',
      'kubectl cordon',
      'kubectl delete',
      'oc delete',
      'redis-cli FLUSHDB',
      'rm -r',
      'systemctl restart',
      'terraform apply',
    ]);
    const lint = await lintRunbooks([dir]);
    const messages = lint.diagnostics.map((d) => `${path.relative(dir, d.file)}:${d.line}: ${d.message}`);
    expect(messages).toContain("kubernetes/KubePodCrashLooping.md:50: 'kubectl delete pod <POD_NAME> -n $NAMESPACE' is dangerous (kubectl delete): Firebreak asks for a typed confirmation before running it");
    // Reference blocks are not run, but what they would do is named too.
    expect(messages.some((m) => m.startsWith('PostgresTableBloat.md:28:') && m.includes('SQL DELETE without WHERE'))).toBe(true);
    expect(messages.some((m) => m.startsWith('Neo4jSlowQueries.md:29:') && m.includes('Cypher DELETE'))).toBe(true);
    expect(messages.some((m) => m.startsWith('RedisMemoryHigh.md:29:') && m.includes('Redis FLUSHALL'))).toBe(true);
    // Read-only commands are not flagged.
    expect(blocks(byId('redismemoryhigh'))[0]?.danger).toBeUndefined();
    expect(blocks(byId('terraformdrift'))[0]?.danger).toBeUndefined();
  });
});
