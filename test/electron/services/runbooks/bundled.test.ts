import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SEVERITIES } from '../../../../shared/severity';
import {
  CONTEXT_VARIABLES,
  lintRunbooks,
  loadRunbooks,
  looksDestructive,
  parseRunbook,
  platformCoverage,
  prepareCommand,
  variablesFor,
  type Runbook,
} from '../../../../electron/services/runbooks';

const dir = path.resolve(__dirname, '../../../../runbooks');

const EXPECTED_IDS = [
  'critical-total-outage',
  'data-loss-restore',
  'database-connection-errors',
  'high-major-function-outage',
  'initial-response',
  'low-minor-issue',
  'medium-partial-outage',
  'minor-performance-issue',
  'monthly-risk-review',
  'post-incident-checklist',
  'post-recovery-verification',
  'rollback',
  'security-incident',
  'severe-performance-degradation',
  'weekly-risk-review',
];

const loaded = await loadRunbooks({ bundledDir: dir });
const byId = new Map(loaded.runbooks.map((r) => [r.id, r]));
const get = (id: string): Runbook => {
  const r = byId.get(id);
  if (!r) throw new Error(`missing bundled runbook ${id}`);
  return r;
};

describe('bundled runbooks', () => {
  it('all parse and lint clean: no errors, no warnings', async () => {
    expect(loaded.diagnostics).toEqual([]);
    const lint = await lintRunbooks([dir]);
    expect(lint.diagnostics).toEqual([]);
    expect(lint.files.every((f) => f.ok && f.warnings === 0)).toBe(true);
  });

  it('are the scenarios of the seeds, each marked bundled', () => {
    expect(loaded.runbooks.map((r) => r.id).sort()).toEqual(EXPECTED_IDS);
    expect(loaded.runbooks.every((r) => r.source === 'bundled')).toBe(true);
  });

  it('cover every severity, with initial response and the follow-up lists applying to all', () => {
    for (const s of SEVERITIES) expect(loaded.runbooks.some((r) => r.severities.includes(s) && r.id !== 'initial-response'), s).toBe(true);
    for (const id of ['initial-response', 'post-recovery-verification', 'post-incident-checklist']) expect(get(id).severities).toEqual([...SEVERITIES]);
  });

  it("carry seed 004's phase time budgets", () => {
    const budgets = (id: string) => get(id).phases.map((p) => p.budgetMinutes);
    expect(budgets('initial-response').slice(0, 3)).toEqual([2, 5, 5]);
    expect(get('initial-response').phases.slice(0, 3).map((p) => p.id)).toEqual(['status-check', 'emergency-log-collection', 'alert-check']);
    expect(budgets('critical-total-outage')).toEqual([5, 10, 30]);
    expect(budgets('data-loss-restore')).toEqual([5, 15, 20]);
    expect(budgets('security-incident')).toEqual([2, 10, undefined]);
    expect(budgets('high-major-function-outage')).toEqual([10, 20, 30]);
    expect(budgets('severe-performance-degradation')).toEqual([5, 15, 20]);
    expect(budgets('medium-partial-outage')).toEqual([15, 30, 60]);
    expect(budgets('minor-performance-issue')).toEqual([20, 45]);
    expect(budgets('low-minor-issue')).toEqual([30, undefined]);
    expect(budgets('post-recovery-verification')).toEqual([30, 20, 15, undefined]);
  });

  it("follow seed 002's rollback flow", () => {
    expect(get('rollback').phases.map((p) => p.id)).toEqual(['decision', 'preparation', 'execution', 'verification', 'completion']);
    expect(get('rollback').phases[1]?.steps.some((s) => s.id === 'rollback/preparation/snapshot')).toBe(true);
  });

  it('cover Neo4j, Redis and Chroma for database connection errors', () => {
    expect(get('database-connection-errors').phases.map((p) => p.id)).toEqual(['reachability', 'neo4j', 'redis', 'chroma', 'recover-the-application-side']);
  });

  it('give every step with commands a POSIX sh and a PowerShell variant', () => {
    for (const runbook of loaded.runbooks) {
      for (const step of runbook.phases.flatMap((p) => p.steps)) {
        if (step.commands.length === 0) continue;
        expect(step.commands.some((c) => c.shell === 'sh'), step.id).toBe(true);
        expect(step.commands.some((c) => c.shell === 'pwsh'), step.id).toBe(true);
        expect(platformCoverage(step), step.id).toEqual(['linux', 'darwin', 'win32']);
      }
    }
  });

  it('are read-only unless a block is marked confirm=true', () => {
    for (const runbook of loaded.runbooks) {
      for (const block of runbook.phases.flatMap((p) => p.steps).flatMap((s) => s.commands)) {
        if (!block.attributes.confirm) expect(looksDestructive(block), `${block.id}: ${block.code}`).toBeUndefined();
      }
    }
    // The dangerous steps the seeds describe are there, and guarded.
    const confirmed = (id: string) => get(id).phases.flatMap((p) => p.steps).flatMap((s) => s.commands).filter((c) => c.attributes.confirm).length;
    expect(confirmed('security-incident')).toBeGreaterThanOrEqual(4);
    expect(confirmed('data-loss-restore')).toBeGreaterThanOrEqual(2);
  });

  it('describe every variable they need, and resolve all of them once answered', () => {
    for (const runbook of loaded.runbooks) {
      const reqs = variablesFor(runbook);
      for (const r of reqs) expect(r.description, `${runbook.id}: ${r.name}`).toBeTruthy();
      const values: Record<string, string> = Object.fromEntries(Object.keys(CONTEXT_VARIABLES).map((k) => [k, `ctx-${k.toLowerCase()}`]));
      for (const r of reqs) values[r.name] ??= r.default ?? `value-${r.name.toLowerCase()}`;
      const names = new Set(reqs.map((r) => r.name));
      for (const block of runbook.phases.flatMap((p) => p.steps).flatMap((s) => s.commands)) {
        const prepared = prepareCommand(block, values, names);
        expect(prepared.missing, block.id).toEqual([]);
        expect(prepared.code, block.id).not.toMatch(/\$\{(INCIDENT_[A-Z]+|SERVICE|APP_DIR|LOG_DIR)\}/);
      }
    }
  });

  it('have sh blocks that are valid POSIX shell syntax after substitution', () => {
    const values = { INCIDENT_DIR: "/tmp/incident 7/it's", INCIDENT_ID: '7', INCIDENT_TITLE: 'Disk "full" $HOME', INCIDENT_SEVERITY: 'high', RESPONDER: 'me' };
    for (const runbook of loaded.runbooks) {
      const vars: Record<string, string> = { ...values };
      for (const r of variablesFor(runbook)) vars[r.name] ??= r.default ?? 'x y';
      for (const block of runbook.phases.flatMap((p) => p.steps).flatMap((s) => s.commands)) {
        if (block.shell !== 'sh') continue;
        const { code } = prepareCommand(block, vars);
        const check = spawnSync('sh', ['-n'], { input: code, encoding: 'utf8' });
        expect(check.status, `${block.id}\n${code}\n${check.stderr}`).toBe(0);
      }
    }
  });

  it('match the example in runbooks/README.md, which itself parses clean', () => {
    const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
    const example = /````markdown\n([\s\S]*?)\n````/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const result = parseRunbook(example ?? '', { file: 'README example' });
    expect(result.diagnostics).toEqual([]);
    expect(result.runbook?.phases[0]).toMatchObject({ id: 'find', budgetMinutes: 5 });
  });
});
