import { describe, expect, it } from 'vitest';
import { findDanger } from '../../../../electron/services/runbooks/danger';
import { rewritePlaceholders } from '../../../../electron/services/runbooks/placeholders';
import { splitShellBlock } from '../../../../electron/services/runbooks/shell-blocks';

describe('prompts and sample output', () => {
  it('leaves a script without prompts as it is', () => {
    const code = 'kubectl get pods\n# a comment\necho done';
    expect(splitShellBlock(code, 'bash')).toEqual({ code, output: '' });
  });

  it('types prompt lines and their continuations, shows the rest as output', () => {
    const block = ['$ kubectl get pods \\', '>   -n prod', 'NAME   READY', 'web-1  1/1', '', '# then look closer', '$ kubectl describe pod web-1', 'Events: <none>'].join('\n');
    expect(splitShellBlock(block, 'console')).toEqual({
      code: 'kubectl get pods \\\n  -n prod\n# then look closer\nkubectl describe pod web-1',
      output: 'NAME   READY\nweb-1  1/1\n\nEvents: <none>',
    });
  });

  it('reads user@host, [root@host] and PowerShell prompts', () => {
    expect(splitShellBlock('admin@db-1:~$ df -h /var\nFilesystem Size\n/dev/sda1 50G', 'sh').code).toBe('df -h /var');
    expect(splitShellBlock('[root@node-3 ~]# systemctl status kubelet\n● kubelet.service', 'sh').code).toBe('systemctl status kubelet');
    expect(splitShellBlock('PS C:\\> Get-Service W3SVC\nStatus Name', 'powershell')).toEqual({ code: 'Get-Service W3SVC', output: 'Status Name' });
  });

  it('takes `# ` for a root prompt only before a command, and never when `$ ` prompts are used', () => {
    expect(splitShellBlock('# journalctl -u kubelet\n-- Logs begin --', 'console')).toEqual({ code: 'journalctl -u kubelet', output: '-- Logs begin --' });
    expect(splitShellBlock('# check the disk first\n$ df -h', 'console').code).toBe('# check the disk first\ndf -h');
  });

  it('does not take an apostrophe in double quotes for an open quote', () => {
    expect(splitShellBlock('$ echo "it\'s up"\nit\'s up', 'console')).toEqual({ code: 'echo "it\'s up"', output: "it's up" });
    expect(splitShellBlock('$ grep "a #b" x.log # find it\nx.log: a #b', 'console')).toEqual({ code: 'grep "a #b" x.log # find it', output: 'x.log: a #b' });
  });

  it('keeps a here-document typed after a prompt whole', () => {
    const block = "$ cat <<'EOF' > /tmp/x.yaml\nkind: Pod\nEOF\n$ kubectl apply --dry-run=client -f /tmp/x.yaml\npod/x created (dry run)";
    expect(splitShellBlock(block, 'console')).toEqual({
      code: "cat <<'EOF' > /tmp/x.yaml\nkind: Pod\nEOF\nkubectl apply --dry-run=client -f /tmp/x.yaml",
      output: 'pod/x created (dry run)',
    });
  });
});

describe('placeholders', () => {
  const sh = (code: string) => rewritePlaceholders(code, { shellVariables: true });

  it('rewrites every style as ${NAME} with what the author wrote as the description', () => {
    const r = sh('kubectl logs <pod name> -n {{ $labels.namespace }} --context ${CLUSTER}\nNODE=<instance label from alert>\nssh "$NODE"');
    expect(r.code).toBe('kubectl logs ${POD_NAME} -n ${NAMESPACE} --context ${CLUSTER}\nNODE=${NODE}\nssh "$NODE"');
    expect(r.placeholders).toEqual([
      { name: 'NAMESPACE', description: '{{ $labels.namespace }}' },
      { name: 'POD_NAME', description: '<pod name>' },
      { name: 'CLUSTER', description: '${CLUSTER}' },
      { name: 'NODE', description: 'instance label from alert' },
    ]);
  });

  it('leaves redirects, here-documents, comments and quoted program text alone', () => {
    const code = "sort < input.txt > out.txt 2>&1\nsort <input.txt >sorted.txt\ncat <<EOF\n<NOT_A_PLACEHOLDER> $NOPE\nEOF\ngrep -v '<none>' x # replace <POD> here\nawk '{print $NF}' y";
    const r = sh(code);
    expect(r.code).toBe(code);
    expect(r.placeholders).toEqual([]);
  });

  it('does not read $NAME as a placeholder in PowerShell', () => {
    expect(rewritePlaceholders('Get-Service $Name <SERVICE>', { shellVariables: false }).code).toBe('Get-Service $Name ${SERVICE}');
  });
});

describe('danger', () => {
  it.each([
    ['kubectl -n prod delete pod web-1', 'kubectl delete'],
    ['oc adm drain node-3 --ignore-daemonsets', 'oc drain'],
    ['kubectl patch deploy web -p "{}"', 'kubectl patch'],
    ['kubectl scale deploy/web --replicas=0', 'kubectl scale'],
    ['kubectl rollout restart deploy/web', 'kubectl rollout restart'],
    ['helm uninstall web -n prod', 'helm uninstall'],
    ['terraform destroy -target=x', 'terraform destroy'],
    ['sudo systemctl stop nginx', 'systemctl stop'],
    ['rm -r /var/cache/app', 'rm -r'],
    ['dd of=/dev/sdb bs=1M', 'dd'],
    ['mkfs.ext4 /dev/sdb1', 'mkfs'],
    ['truncate -s 0 /var/log/app.log', 'truncate'],
    ['redis-cli -h cache flushall', 'redis-cli FLUSHALL'],
    ['redis-cli DEBUG SLEEP 5', 'redis-cli DEBUG'],
    ['gcloud compute instances delete web-1', 'gcloud delete'],
    ['az vm deallocate -n web-1', 'az deallocate'],
    ['aws s3 rm s3://bucket/key', 'aws rm'],
  ])('%s → %s', (code, what) => {
    expect(findDanger(code, 'sh')?.what).toBe(what);
  });

  it('leaves reading commands alone', () => {
    for (const code of ['kubectl get pods | grep delete', 'kubectl describe node x', 'helm history web', 'terraform plan', 'systemctl status kubelet', 'redis-cli INFO memory', 'grep oom-kill /var/log/syslog']) {
      expect(findDanger(code, 'sh'), code).toBeUndefined();
    }
  });

  it('reads SQL, Cypher and Redis blocks by their language', () => {
    expect(findDanger('DELETE FROM audit_log;', 'sql')?.what).toBe('SQL DELETE without WHERE');
    expect(findDanger('DELETE FROM audit_log WHERE at < now() - interval \'1 year\';', 'sql')).toBeUndefined();
    expect(findDanger('SELECT 1;\nDROP TABLE x;', 'sql')).toMatchObject({ what: 'SQL DROP', index: 1 });
    expect(findDanger('MATCH (n:Tmp) DETACH DELETE n', 'cypher')?.what).toBe('Cypher DELETE');
    expect(findDanger('MATCH (n) RETURN count(n)', 'cypher')).toBeUndefined();
    expect(findDanger('INFO memory\nflushdb', 'redis')).toMatchObject({ what: 'Redis FLUSHDB', index: 1 });
  });
});
