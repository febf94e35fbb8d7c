// Commands that change or stop things. Firebreak runs runbooks read-only by default: a
// block that matches one of these needs the operator's typed confirmation, whether or not
// its author marked it confirm=true. Each rule has a name, so lint can say what it saw.

export interface DangerHit {
  /** 0-based line within the block. */
  readonly index: number;
  readonly text: string;
  /** What was recognised: `kubectl delete`, `SQL DELETE without WHERE` … */
  readonly what: string;
}

type Rule = readonly [what: string | ((m: RegExpExecArray) => string), pattern: RegExp];

// `[^|;&]*?` lets options come before the verb (`kubectl -n prod delete pod x`) without
// reading across a pipe (`kubectl get pods | grep delete`).
const SHELL: readonly Rule[] = [
  [(m) => `${m[1]} ${m[2]}`, /\b(kubectl|oc)\b[^|;&#]*?\s(delete|drain|cordon|patch|scale|replace)\b/],
  [(m) => `${m[1]} rollout ${m[2]}`, /\b(kubectl|oc)\b[^|;&#]*?\srollout\s+(restart|undo)\b/],
  [(m) => `helm ${m[1]}`, /\bhelm\b[^|;&#]*?\s(uninstall|rollback|delete)\b/],
  [(m) => `terraform ${m[1]}`, /\bterraform\b[^|;&#]*?\s(apply|destroy)\b/],
  [(m) => `systemctl ${m[1]}`, /\bsystemctl\s+(?:-\S+\s+)*(stop|restart|kill|disable|mask|isolate)\b/],
  ['service stop/restart', /\bservice\s+\S+\s+(?:stop|restart)\b/],
  ['rm -r', /\brm\s+(?:-\S+\s+)*(?:-\w*[rRf]|--recursive|--force)/],
  ['file removal', /\b(?:rmdir|shred|wipefs|fdisk)\b/],
  ['truncate', /(?:^|[\s;&|(])truncate\s/],
  ['mkfs', /\bmkfs(?:\.\w+)?\b/],
  ['dd', /\bdd\s+(?:\S+\s+)*(?:if|of)=/],
  // Only in command position: `grep 'oom-kill'` must not count as killing anything.
  ['kill', /(?:^|[;&|({]\s*|\b(?:sudo|xargs|exec|then|do)\s+)(?:kill|pkill|killall)\b/],
  ['shutdown/reboot', /(?:^|[;&|({]\s*|\b(?:sudo|then|do)\s+)(?:shutdown|reboot|halt|poweroff)\b/],
  ['firewall change', /\b(?:iptables|ip6tables|nft|ufw|pfctl|netsh)\b/],
  ['link down', /\bip\s+link\s+set\b.*\bdown\b/],
  ['mv', /\bmv\s/],
  ['cp -f', /\bcp\s+-\w*f/],
  ['rsync --delete', /\brsync\b.*--delete/],
  ['tar extract', /\btar\s+-?\w*x/],
  ['git history change', /\bgit\s+(?:reset\s+--hard|checkout\s+--?\s|clean\s+-\w*f|push\s+(?:-f|--force))/],
  [(m) => `docker ${m[1]}`, /\bdocker\s+(rm|stop|kill|restart|compose\s+(?:down|restart|up))\b/],
  [(m) => `redis-cli ${m[1]!.toUpperCase()}`, /\bredis-cli\b.*?\s(flushall|flushdb|debug|shutdown)\b/i],
  [(m) => `Redis ${m[1]}`, /\b(FLUSHALL|FLUSHDB|SHUTDOWN)\b/],
  ['Cypher DELETE', /\bcypher-shell\b.*\b(?:DETACH\s+)?DELETE\b/i],
  [(m) => `SQL ${m[1]!.toUpperCase()}`, /\b(DROP|TRUNCATE)\s+(?:TABLE|DATABASE|INDEX|SCHEMA)\b/i],
  ['SQL DELETE', /\bDELETE\s+FROM\b/i],
  ['input fed to a database client', /\b(?:psql|mysql|cypher-shell|redis-cli)\b.*<\s*\S/],
  ['restore into a database', /\bgunzip\s+-c\b.*\|\s*(?:psql|mysql)/],
  [(m) => `aws ${m[1]}`, /\baws\s+\S+\s+((?:delete|terminate|remove|deregister|stop)-[\w-]+|rm|rb)\b/],
  [(m) => `gcloud ${m[1]}`, /\bgcloud\b[^|;&#]*?\s(delete|stop|reset)\b/],
  [(m) => `az ${m[1]}`, /\baz\b[^|;&#]*?\s(delete|stop|deallocate|restart)\b/],
  ['PowerShell change', /\b(?:Remove-Item|Stop-Process|Stop-Service|Restart-Service|Set-Service|Restart-Computer|Stop-Computer|Clear-Content|Move-Item|Rename-Item)\b/i],
  ['Copy-Item -Force', /\bCopy-Item\b.*-Force\b/i],
  ['Windows network or account change', /\b(?:Disable-NetAdapter|Set-NetFirewallProfile|New-NetFirewallRule|Set-NetFirewallRule|Disable-LocalUser|Remove-LocalUser)\b/i],
  ['cmd.exe delete/kill', /\b(?:del|erase|rd|taskkill)\b\s/i],
];

const CYPHER: readonly Rule[] = [
  ['Cypher DELETE', /\b(?:DETACH\s+)?DELETE\b/i],
  ['Cypher DROP', /\bDROP\s+(?:INDEX|CONSTRAINT|DATABASE)\b/i],
];

const REDIS: readonly Rule[] = [[(m) => `Redis ${m[1]!.toUpperCase()}`, /^\s*(flushall|flushdb|debug|shutdown)\b/i]];

function matchRules(rules: readonly Rule[], text: string): string | undefined {
  for (const [what, pattern] of rules) {
    const m = pattern.exec(text);
    if (m) return typeof what === 'string' ? what : what(m);
  }
  return undefined;
}

/** Removes comments so guidance written as `# do not rm -rf here` does not trip the check. */
function stripComment(text: string, language: string): string {
  if (language === 'cmd' || language === 'bat' || language === 'batch') return text.replace(/^\s*(?:rem\b|::).*$/i, '');
  if (language === 'sql' || language === 'cypher') return text.replace(/(--|\/\/).*$/, '');
  return text.replace(/(^|\s)#.*$/, '');
}

/** SQL statements that drop or empty a table, or delete without a WHERE clause. */
function sqlDanger(code: string): DangerHit | undefined {
  let offset = 0;
  for (const statement of code.split(';')) {
    const lines = statement.split('\n').map((l) => stripComment(l, 'sql'));
    const text = lines.join(' ');
    const first = lines.findIndex((l) => l.trim() !== '');
    const at = { index: offset + Math.max(0, first), text: (lines[Math.max(0, first)] ?? '').trim() };
    const drop = /\b(DROP|TRUNCATE)\b/i.exec(text);
    if (drop) return { ...at, what: `SQL ${drop[1]!.toUpperCase()}` };
    if (/\bDELETE\s+FROM\b/i.test(text) && !/\bWHERE\b/i.test(text)) return { ...at, what: 'SQL DELETE without WHERE' };
    offset += statement.split('\n').length - 1;
  }
  return undefined;
}

/**
 * The first dangerous line of a block, by its fence language: shell languages use the
 * command rules, `sql`, `cypher` and `redis` their own. Other languages are never run.
 */
export function findDanger(code: string, language: string): DangerHit | undefined {
  const lang = language.toLowerCase();
  if (lang === 'sql' || lang === 'postgresql' || lang === 'mysql') return sqlDanger(code);
  const rules = lang === 'cypher' ? CYPHER : lang === 'redis' ? REDIS : SHELL;
  const lines = code.split('\n');
  for (const [index, line] of lines.entries()) {
    const text = stripComment(line, lang);
    if (text.trim() === '') continue;
    const what = matchRules(rules, text);
    if (what) return { index, text: line.trim(), what };
  }
  return undefined;
}

/** Languages whose blocks are checked even though Firebreak only shows them. */
export function isQueryLanguage(language: string): boolean {
  return ['sql', 'postgresql', 'mysql', 'cypher', 'redis'].includes(language.toLowerCase());
}
