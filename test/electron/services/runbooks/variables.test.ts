import { describe, expect, it } from 'vitest';
import {
  findVariableReferences,
  parseRunbook,
  prepareCommand,
  promptDeclarations,
  substituteVariables,
  variablesFor,
  variablesToPrompt,
  type CommandBlock,
  type Runbook,
} from '../../../../electron/services/runbooks';

describe('substituteVariables', () => {
  it('replaces known ${NAME} references and leaves the rest to the shell', () => {
    expect(substituteVariables('ls ${INCIDENT_DIR}/logs $HOME ${HOME} ${lower} ${X:-d}', { INCIDENT_DIR: '/inc/7' })).toBe(
      'ls /inc/7/logs $HOME ${HOME} ${lower} ${X:-d}',
    );
  });

  it('escapes values for sh in each quoting context', () => {
    const vars = { V: `a b"$(rm)'x` };
    expect(substituteVariables('echo "${V}"', vars, 'sh')).toBe('echo "a b\\"\\$(rm)\'x"');
    expect(substituteVariables("echo '${V}'", vars, 'sh')).toBe(`echo 'a b"$(rm)'\\''x'`);
    expect(substituteVariables('echo ${V}', vars, 'sh')).toBe(`echo 'a b"$(rm)'\\''x'`);
    // Plain values stay readable when bare.
    expect(substituteVariables('cd ${V}/x', { V: '/tmp/inc-1' }, 'sh')).toBe('cd /tmp/inc-1/x');
  });

  it('escapes values for PowerShell in each quoting context', () => {
    const vars = { V: "a `b\"$c'd" };
    expect(substituteVariables('Write-Output "${V}"', vars, 'pwsh')).toBe('Write-Output "a ``b`"`$c\'d"');
    expect(substituteVariables("Write-Output '${V}'", vars, 'pwsh')).toBe("Write-Output 'a `b\"$c''d'");
    expect(substituteVariables('Get-NetTCPConnection -LocalPort ${V}', { V: '5000' }, 'pwsh')).toBe('Get-NetTCPConnection -LocalPort 5000');
  });

  it('does not let an apostrophe in a comment change the quoting of later lines', () => {
    const code = "# the service's logs\necho \"${V}\"";
    expect(substituteVariables(code, { V: 'a$b' }, 'sh')).toBe("# the service's logs\necho \"a\\$b\"");
  });

  it('escapes inside here-documents, and leaves quoted here-documents literal', () => {
    const code = 'cat > f <<EOF\nTitle: ${T}\nEOF\ncat <<\'RAW\'\n${T}\nRAW\necho ${T}';
    expect(substituteVariables(code, { T: 'Disk $full' }, 'sh')).toBe("cat > f <<EOF\nTitle: Disk \\$full\nEOF\ncat <<'RAW'\nDisk $full\nRAW\necho 'Disk $full'");
  });

  it('lists references in order of first appearance', () => {
    expect(findVariableReferences('${B} ${A} ${B} $C ${d}')).toEqual(['B', 'A']);
  });
});

function block(shell: CommandBlock['shell'], code: string, promptEnv: 'auto' | 'always' | 'never' = 'auto'): CommandBlock {
  return {
    id: 'rb/p/s#1',
    language: shell,
    shell,
    code,
    line: 1,
    attributes: { interactive: false, background: false, excludeFromRunAll: false, promptEnv, confirm: false },
  };
}

describe('prompted variables (Runme promptEnv)', () => {
  it('declares a variable for each literal export line, in all three shells', () => {
    const sh = block('sh', 'export SERVICE=nginx  # unit to inspect\nexport EMPTY=""\nexport NOW=$(date)\nexport P="$HOME/x"\nexport Q=\'lit $x\'');
    expect(promptDeclarations(sh)).toEqual([
      { name: 'SERVICE', default: 'nginx', description: 'unit to inspect', codeLine: 0 },
      { name: 'EMPTY', codeLine: 1 },
      { name: 'Q', default: 'lit $x', codeLine: 4 },
    ]);
    expect(promptDeclarations(block('pwsh', '$env:SERVICE = "nginx"  # Windows service\n$env:X = $y'))).toEqual([
      { name: 'SERVICE', default: 'nginx', description: 'Windows service', codeLine: 0 },
    ]);
    expect(promptDeclarations(block('cmd', 'set SERVICE=nginx\nset "OTHER=a"'))).toEqual([
      { name: 'SERVICE', default: 'nginx', codeLine: 0 },
      { name: 'OTHER', default: 'a', codeLine: 1 },
    ]);
    expect(promptDeclarations(block('sh', 'export SERVICE=nginx', 'never'))).toEqual([]);
  });

  it('rewrites the export line with the answer and substitutes references', () => {
    const b = { ...block('sh', 'export SERVICE=nginx\nsystemctl status "$SERVICE" > "${INCIDENT_DIR}/status.txt"'), attributes: { ...block('sh', '').attributes, cwd: '${INCIDENT_DIR}' } };
    const prepared = prepareCommand(b, { SERVICE: "my app's", INCIDENT_DIR: '/inc/1' });
    expect(prepared.code).toBe(`export SERVICE='my app'\\''s'\nsystemctl status "$SERVICE" > "/inc/1/status.txt"`);
    expect(prepared.cwd).toBe('/inc/1');
    expect(prepared.missing).toEqual([]);
    const pw = prepareCommand(block('pwsh', '$env:SERVICE = "nginx"'), { SERVICE: 'W3SVC' });
    expect(pw.code).toBe("$env:SERVICE = 'W3SVC'");
    expect(prepareCommand(block('cmd', 'set SERVICE=nginx'), { SERVICE: 'a b' }).code).toBe('set "SERVICE=a b"');
    expect(prepareCommand(block('sh', 'echo ${LOG_DIR}'), {}).missing).toEqual(['LOG_DIR']);
  });
});

describe('variablesFor / variablesToPrompt', () => {
  const text = [
    '---',
    'id: vars',
    'title: Vars',
    'severity: [high]',
    'applies_to: [x]',
    'version: 1',
    'variables:',
    '  LOG_DIR:',
    '    description: Log folder',
    '    default: /var/log',
    '  API_TOKEN: Token for the API',
    '---',
    '## Phase',
    '- [ ] First',
    '  ```sh {promptEnv=always}',
    '  export NEO4J_PASSWORD=""',
    '  ls "${LOG_DIR}" "${INCIDENT_DIR}" "${HOME}"',
    '  ```',
    '- [ ] Second',
    '  ```pwsh {cwd=${APP_DIR}}',
    '  $env:APP_DIR = "C:\\app"  # application folder',
    '  Invoke-RestMethod -Headers @{ Authorization = "Bearer ${API_TOKEN}" } -Uri "${LOG_DIR}"',
    '  ```',
  ].join('\n');
  const parsed = parseRunbook(text, { file: 'vars.md' });
  const runbook = parsed.runbook as Runbook;

  it('lists every Firebreak variable the runbook needs, merged by name', () => {
    expect(parsed.diagnostics).toEqual([]);
    const reqs = variablesFor(runbook);
    expect(reqs.map((r) => r.name)).toEqual(['NEO4J_PASSWORD', 'LOG_DIR', 'INCIDENT_DIR', 'APP_DIR', 'API_TOKEN']);
    expect(reqs.find((r) => r.name === 'NEO4J_PASSWORD')).toMatchObject({ secret: true, always: true, context: false });
    expect(reqs.find((r) => r.name === 'API_TOKEN')).toMatchObject({ secret: true, description: 'Token for the API' });
    expect(reqs.find((r) => r.name === 'LOG_DIR')).toMatchObject({ default: '/var/log', stepIds: ['vars/phase/first', 'vars/phase/second'] });
    expect(reqs.find((r) => r.name === 'APP_DIR')).toMatchObject({ default: 'C:\\app', description: 'application folder' });
    expect(reqs.find((r) => r.name === 'INCIDENT_DIR')).toMatchObject({ context: true });
  });

  it('limits the list to one step', () => {
    const step = runbook.phases[0]?.steps[1];
    expect(variablesFor(runbook, step).map((r) => r.name)).toEqual(['APP_DIR', 'API_TOKEN', 'LOG_DIR']);
  });

  it('asks only for what is not known yet, plus promptEnv=always', () => {
    const known = { INCIDENT_DIR: '/inc/1', LOG_DIR: '/var/log', API_TOKEN: '', NEO4J_PASSWORD: 'remembered' };
    // API_TOKEN was answered with an empty value: that is remembered, not asked again.
    expect(variablesToPrompt(variablesFor(runbook), known).map((r) => r.name)).toEqual(['NEO4J_PASSWORD', 'APP_DIR']);
  });
});
