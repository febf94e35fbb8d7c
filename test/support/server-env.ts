/**
 * The environment for a real server a test starts (redis-server, sshd, prometheus …).
 * The suite is also run with the clock moved a year ahead (faketime, see .ci/run) to catch
 * tests that depend on today's date; libfaketime is preloaded into every child, and some
 * servers cannot start under it (redis-server's jemalloc recurses into clock_gettime). The
 * servers' clocks are not what those runs test, so they get the real one.
 */
export function serverEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  if (env.LD_PRELOAD?.includes('faketime')) {
    env.LD_PRELOAD = env.LD_PRELOAD.split(/[: ]/).filter((lib) => lib && !lib.includes('faketime')).join(':');
    if (!env.LD_PRELOAD) delete env.LD_PRELOAD;
  }
  for (const key of Object.keys(env)) if (key.startsWith('FAKETIME')) delete env[key];
  return env;
}
