import type * as SystemInformation from 'systeminformation';

type Si = typeof SystemInformation;
let loading: Promise<Si> | undefined;

/**
 * systeminformation, loaded on first use: it is ~10 MB of memory and part of the start-up
 * that every CLI command (a collection from a server, a note) would otherwise pay, and only
 * the gauges and the system snapshot need it.
 */
export function systemInformation(): Promise<Si> {
  if (!loading) loading = import('systeminformation').then((m) => (m.default ?? m) as Si);
  return loading;
}
