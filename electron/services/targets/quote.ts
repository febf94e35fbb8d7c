// The one place where operator input becomes part of a command line. Hosts go to `ssh`
// as argv after `--`; paths and patterns go into POSIX sh scripts as single-quoted words.

/**
 * A POSIX sh single-quoted word: inside '…' nothing is special, so the only character to
 * handle is the quote itself (closed, escaped, reopened). NUL cannot be passed at all.
 */
export function shQuote(value: string): string {
  if (value.includes('\0')) throw new Error('a NUL character cannot be passed to a shell');
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A target as ssh will be given it: an alias, or user@host[:port] split into -l / -p. */
export interface TargetSpec {
  readonly name: string;
  readonly host: string;
  readonly user?: string;
  readonly port?: number;
}

const USER = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
const HOST = /^(?:[A-Za-z0-9_][A-Za-z0-9._-]*|\[[0-9A-Fa-f:.]+\])$/;

/**
 * Parses and vets a target name. Refused: a leading `-` (ssh would read an option such as
 * `-oProxyCommand=…`), whitespace and control characters, and anything that is not an
 * alias or user@host[:port] made of host-name characters — so nothing ssh would expand
 * (`%h`, `${…}`) or a shell would interpret can arrive this way.
 */
export function parseTargetName(raw: string): TargetSpec {
  const name = raw.trim();
  if (name === '') throw new Error('a target needs a host: an alias from ~/.ssh/config or user@host[:port]');
  if (name.startsWith('-')) throw new Error(`"${name}" starts with "-", which ssh would read as an option; not accepted as a target`);
  if (/[\s\x00-\x1f\x7f]/.test(name)) throw new Error('a target cannot contain spaces or control characters');
  if (name.length > 255) throw new Error('a target name is at most 255 characters');
  const at = name.lastIndexOf('@');
  const user = at === -1 ? undefined : name.slice(0, at);
  let hostPort = at === -1 ? name : name.slice(at + 1);
  let port: number | undefined;
  const portMatch = /^(.*[^:]):(\d{1,5})$/.exec(hostPort);
  if (portMatch && (hostPort.startsWith('[') ? portMatch[1]!.endsWith(']') : !portMatch[1]!.includes(':'))) {
    hostPort = portMatch[1]!;
    port = Number(portMatch[2]);
    if (port < 1 || port > 65535) throw new Error(`port ${port} is out of range (1–65535)`);
  }
  if (user !== undefined && !USER.test(user)) throw new Error(`"${user}" is not a valid remote user name`);
  if (!HOST.test(hostPort)) throw new Error(`"${name}" is not an ssh alias or user@host[:port] (letters, digits, ".", "_", "-")`);
  const host = hostPort.startsWith('[') ? hostPort.slice(1, -1) : hostPort;
  return { name, host, ...(user !== undefined ? { user } : {}), ...(port !== undefined ? { port } : {}) };
}

/** ssh argv naming the destination; always last, after `--`, so it is never an option. */
export function destinationArgs(spec: TargetSpec): string[] {
  return [...(spec.user !== undefined ? ['-l', spec.user] : []), ...(spec.port !== undefined ? ['-p', String(spec.port)] : []), '--', spec.host];
}
