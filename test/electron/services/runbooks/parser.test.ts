import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandsFor, parseFenceInfo, parseRunbook, runAllPlan, type Runbook } from '../../../../electron/services/runbooks';

const fixtures = path.join(__dirname, 'fixtures');

function parse(text: string, file = 'mem.md'): Runbook {
  const result = parseRunbook(text, { file });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  if (!result.runbook) throw new Error('no runbook');
  return result.runbook;
}

const FRONT = ['---', 'id: demo', 'title: Demo', 'severity: [low]', 'applies_to: [minor]', 'version: 1', '---', ''].join('\n');

describe('Runme-style fence attributes', () => {
  const file = path.join(fixtures, 'runme-style.md');
  const result = parseRunbook(readFileSync(file, 'utf8'), { file, source: 'bundled' });
  const runbook = result.runbook;

  it('parses the fixture without any diagnostic', () => {
    expect(result.diagnostics).toEqual([]);
    expect(runbook).toBeDefined();
  });

  it('reads the front matter: P-level aliases, tags, numeric version, budgets', () => {
    expect(runbook?.severities).toEqual(['high']);
    expect(runbook?.appliesTo).toEqual(['demo']);
    expect(runbook?.version).toBe('2');
    expect(runbook?.source).toBe('bundled');
    expect(runbook?.description).toBe('Intro text.');
    expect(runbook?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(runbook?.phases.map((p) => [p.id, p.title, p.budgetMinutes, p.line])).toEqual([
      ['key-value-form', 'Key value form', 3, 19],
      ['json-form', 'JSON form', 1.5, 36],
    ]);
    expect(runbook?.phases[0]?.description).toBe('Phase description.');
  });

  it('reads key=value attributes, including a bare flag and Runme-only ones', () => {
    const step = runbook?.phases[0]?.steps[0];
    expect(step?.id).toBe('runme-style/key-value-form/kv');
    expect(step?.text).toBe('Key-value attributes');
    expect(step?.line).toBe(23);
    const block = step?.commands[0];
    expect(block).toMatchObject({
      id: 'runme-style/key-value-form/kv#kv-block',
      language: 'sh',
      shell: 'sh',
      line: 27,
      // Runme's "$ " prompts are not part of the command.
      code: 'echo one\necho two',
      attributes: {
        name: 'kv-block',
        cwd: '/var/log',
        interactive: true,
        background: false,
        excludeFromRunAll: true,
        promptEnv: 'never',
        platform: ['linux', 'darwin'],
        confirm: true,
        timeoutMs: 30_000,
      },
    });
    // The text fence is sample output: guidance, not a command.
    expect(step?.commands).toHaveLength(1);
    expect(step?.guidance).toContain('Guidance for the step.');
    expect(step?.guidance).toContain('```text\nsample output\n```');
  });

  it('reads JSON attributes with string and boolean values', () => {
    const step = runbook?.phases[1]?.steps[0];
    expect(step?.id).toBe('runme-style/json-form/json-attributes');
    expect(step?.commands[0]).toMatchObject({
      language: 'bash',
      shell: 'sh',
      code: 'echo json',
      attributes: { name: 'json-block', interactive: false, background: true, promptEnv: 'always', platform: ['win32'], timeoutMs: 120_000 },
    });
  });

  it('gives defaults to a block without attributes and keeps nested items in guidance', () => {
    const step = runbook?.phases[1]?.steps[1];
    expect(runbook?.phases[1]?.steps).toHaveLength(2);
    expect(step?.commands[0]).toMatchObject({
      id: 'runme-style/json-form/plain-block-without-attributes#1',
      shell: 'pwsh',
      attributes: { interactive: false, background: false, excludeFromRunAll: false, promptEnv: 'auto', confirm: false },
    });
    expect(step?.commands[0]?.attributes.name).toBeUndefined();
    expect(step?.guidance).toBe('- [ ] a sub-item that stays in the guidance');
  });
});

describe('fence info strings', () => {
  it('accepts both attribute forms with the same meaning', () => {
    const kv = parseFenceInfo('sh {name=collect-logs interactive=false cwd=/var/log}', 4);
    const json = parseFenceInfo('sh {"name":"collect-logs","interactive":"false","cwd":"/var/log"}', 4);
    expect(kv.problems).toEqual([]);
    expect(json.problems).toEqual([]);
    expect(kv.attributes).toEqual(json.attributes);
    expect(kv.attributes).toMatchObject({ name: 'collect-logs', interactive: false, cwd: '/var/log' });
  });

  it('accepts quoted values and promptEnv / platform aliases', () => {
    const r = parseFenceInfo(`pwsh {cwd="C:\\Program Files\\App" promptEnv=yes platform=windows timeout=500ms}`, 1);
    expect(r.problems).toEqual([]);
    expect(r.attributes).toMatchObject({ cwd: 'C:\\Program Files\\App', promptEnv: 'always', platform: ['win32'], timeoutMs: 500 });
  });

  it('rejects attributes outside braces and repeated keys', () => {
    expect(parseFenceInfo('sh name=x', 1).problems[0]?.code).toBe('attribute-syntax');
    expect(parseFenceInfo('sh {name=x name=y}', 1).problems[0]?.message).toMatch(/given twice/);
  });
});

describe('structure', () => {
  it('accepts CRLF, a BOM, indented fences, * and numbered task items, checked boxes', () => {
    const text = `\ufeff${FRONT}## One\r\n\r\n* [x] First\r\n    ~~~cmd\r\n    dir\r\n    ~~~\r\n1. [ ] Second\r\n`.replace(/\n/g, '\r\n').replace(/\r\r/g, '\r');
    const rb = parse(text);
    const steps = rb.phases[0]?.steps ?? [];
    expect(steps.map((s) => s.text)).toEqual(['First', 'Second']);
    expect(steps[0]?.commands[0]).toMatchObject({ shell: 'cmd', code: 'dir' });
  });

  it('treats steps inside an HTML comment as text', () => {
    const rb = parse(`${FRONT}## One\n\n- [ ] Kept\n<!--\n- [ ] Commented out\n\`\`\`sh\nrm -rf /\n\`\`\`\n-->\n- [ ] Also kept\n`);
    expect(rb.phases[0]?.steps.map((s) => s.text)).toEqual(['Kept', 'Also kept']);
    expect(rb.phases[0]?.steps[0]?.commands).toEqual([]);
  });

  it('keeps step ids stable when unrelated steps are added, removed or reworded', () => {
    const v1 = parse(`${FRONT}## Check\n\n- [ ] Look at the logs\n- [ ] Ping the host\n- [ ] Ping the host\n`);
    const v2 = parse(`${FRONT}## Check\n\nNew intro.\n\n- [ ] A new first step\n- [ ] Look at the logs\n  more guidance\n- [ ] Ping the host\n- [ ] Ping the host\n`);
    expect(v1.phases[0]?.steps.map((s) => s.id)).toEqual(['demo/check/look-at-the-logs', 'demo/check/ping-the-host', 'demo/check/ping-the-host-2']);
    expect(v2.phases[0]?.steps.slice(1).map((s) => s.id)).toEqual(v1.phases[0]?.steps.map((s) => s.id));
  });

  it('uses explicit {#ids} for phases and steps, and keeps non-Latin text in slugs', () => {
    const rb = parse(`${FRONT}## 状況確認 (2分以内) {#status}\n\n- [ ] ログを収集する {#collect}\n- [ ] プロセス確認\n`);
    expect(rb.phases[0]).toMatchObject({ id: 'status', title: '状況確認 (2分以内)' });
    expect(rb.phases[0]?.steps.map((s) => s.id)).toEqual(['demo/status/collect', 'demo/status/プロセス確認']);
  });

  it('warns about a phase without steps and a time budget that matches no phase', () => {
    const r = parseRunbook(`${FRONT.replace('version: 1', 'version: 1\ntime_budget:\n  Nowhere: 5m')}## Empty\n\n## Full\n\n- [ ] Step\n`, { file: 'w.md' });
    expect(r.runbook).toBeDefined();
    expect(r.diagnostics.map((d) => [d.severity, d.code, d.line])).toEqual([
      ['warning', 'time-budget', 8],
      ['warning', 'structure', 10],
    ]);
  });

  it('warns about a command that changes the system without confirm=true', () => {
    const r = parseRunbook(`${FRONT}## Fix\n\n- [ ] Clean\n\n  \`\`\`sh\n  ls /tmp\n  rm -rf /tmp/cache\n  \`\`\`\n`, { file: 'u.md' });
    expect(r.diagnostics).toMatchObject([{ severity: 'warning', code: 'unsafe-command', line: 14 }]);
    const ok = parseRunbook(`${FRONT}## Fix\n\n- [ ] Clean\n\n  \`\`\`sh {confirm=true}\n  rm -rf /tmp/cache\n  \`\`\`\n`, { file: 'u.md' });
    expect(ok.diagnostics).toEqual([]);
  });

  it('keeps promql, yaml, json, sql, cypher, text and redis fences under a step as reference blocks, not commands', () => {
    const fences: Array<[string, string]> = [
      ['promql', 'sum(rate(api_errors_total[5m]))'],
      ['yaml', 'replicas: 3'],
      ['json', '{"a": 1}'],
      ['sql', 'SELECT count(*) FROM pg_stat_activity;'],
      ['cypher', 'MATCH (n) RETURN count(n)'],
      ['text', 'expected output'],
      ['redis', 'INFO memory'],
    ];
    const body = fences.map(([lang, code]) => `  \`\`\`${lang}\n  ${code}\n  \`\`\`\n`).join('\n');
    const r = parseRunbook(`${FRONT}## Check\n\n- [ ] Look at the error rate\n\n${body}\n  \`\`\`sh\n  uptime\n  \`\`\`\n`, { file: 'q.md' });
    expect(r.diagnostics).toEqual([]);
    const step = r.runbook?.phases[0]?.steps[0];
    expect(step?.commands.map((c) => c.code)).toEqual(['uptime']);
    for (const [lang, code] of fences) {
      expect(step?.guidance).toContain(`\`\`\`${lang}`);
      expect(step?.guidance).toContain(code);
    }
  });

  it('warns about a write query in a reference block under a step, and still rejects a programming language', () => {
    const r = parseRunbook(`${FRONT}## Fix\n\n- [ ] Look\n\n  \`\`\`sql\n  DROP TABLE sessions;\n  \`\`\`\n`, { file: 'w.md' });
    expect(r.runbook).toBeDefined();
    expect(r.diagnostics).toMatchObject([{ severity: 'warning', code: 'unsafe-command', line: 13 }]);
    const py = parseRunbook(`${FRONT}## Fix\n\n- [ ] Look\n\n  \`\`\`python\n  print(1)\n  \`\`\`\n`, { file: 'p.md' });
    expect(py.diagnostics).toMatchObject([{ severity: 'error', code: 'language', line: 12 }]);
  });

  it('warns about an unknown ${VAR} in a PowerShell block but not in sh', () => {
    const r = parseRunbook(
      `${FRONT}## P\n\n- [ ] S\n\n  \`\`\`sh\n  echo "\${HOME} \${INCIDENT_DIR}"\n  \`\`\`\n\n  \`\`\`pwsh\n  Write-Output "\${NOPE} \${INCIDENT_DIR}"\n  \`\`\`\n`,
      { file: 'v.md' },
    );
    expect(r.diagnostics).toMatchObject([{ severity: 'warning', code: 'variable', line: 16 }]);
    expect(r.diagnostics[0]?.message).toContain('${NOPE}');
  });
});

describe('commandsFor and runAllPlan', () => {
  const rb = parse(
    [
      FRONT,
      '## Collect',
      '',
      '- [ ] Both shells',
      '  ```sh',
      '  uname -a',
      '  ```',
      '  ```powershell',
      '  Get-ComputerInfo',
      '  ```',
      '- [ ] Linux only, explicit',
      '  ```pwsh {platform=linux}',
      '  Get-Process',
      '  ```',
      '  ```sh {platform=darwin}',
      '  sw_vers',
      '  ```',
      '- [ ] Interactive',
      '  ```sh {interactive=true}',
      '  top',
      '  ```',
      '  ```pwsh',
      '  Get-Date',
      '  ```',
      '- [ ] No commands',
    ].join('\n'),
  );
  const [both, explicit, interactive] = rb.phases[0]?.steps ?? [];

  it('offers the current platform variant and lists the others as alternates', () => {
    if (!both || !explicit) throw new Error('steps missing');
    expect(commandsFor(both, 'linux').current.map((b) => b.shell)).toEqual(['sh']);
    expect(commandsFor(both, 'linux').alternates.map((b) => b.shell)).toEqual(['pwsh']);
    expect(commandsFor(both, 'darwin').current.map((b) => b.shell)).toEqual(['sh']);
    expect(commandsFor(both, 'win32').current.map((b) => b.shell)).toEqual(['pwsh']);
    // Explicit platform= wins over the shell's default.
    expect(commandsFor(explicit, 'linux').current.map((b) => b.code)).toEqual(['Get-Process']);
    expect(commandsFor(explicit, 'darwin').current.map((b) => b.code)).toEqual(['sw_vers']);
    expect(commandsFor(explicit, 'win32').current).toEqual([]);
    expect(commandsFor(explicit, 'win32').alternates).toHaveLength(2);
  });

  it('runs only unattended steps in Run all', () => {
    const phase = rb.phases[0];
    if (!phase || !interactive) throw new Error('phase missing');
    expect(runAllPlan(phase, 'linux').map((i) => i.step.text)).toEqual(['Both shells', 'Linux only, explicit']);
    expect(runAllPlan(phase, 'win32').map((i) => i.step.text)).toEqual(['Both shells', 'Interactive']);
  });
});
