import type * as SystemInformation from 'systeminformation';

type Si = typeof SystemInformation;

/**
 * systeminformation, loaded on first use: it is ~10 MB of memory and part of the start-up
 * that every CLI command (a collection from a server, a note) would otherwise pay, and only
 * the gauges and the system snapshot need it. The module loader keeps the loaded module.
 */
export async function systemInformation(): Promise<Si> {
  const m = await import('systeminformation');
  return (m.default ?? m) as Si;
}
