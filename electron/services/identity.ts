import os from 'node:os';

/** Who is acting, recorded on every timeline entry: the OS user and the host name. */
export interface Identity {
  readonly actor: string;
  readonly host: string;
}

export function osIdentity(): Identity {
  let actor: string;
  try {
    actor = os.userInfo().username;
  } catch {
    actor = process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
  return { actor, host: os.hostname() };
}
