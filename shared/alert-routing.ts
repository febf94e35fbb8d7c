// Which machine an alert is about, and which way it went (issue 15, "alerts that mean
// something"). Pure functions over an alert's data, so the timeline, reports and the UI read
// the same answer from entries written before these fields existed.

import { LOCAL_TARGET } from './targets';

/**
 * raised: from normal/ok to a bad level; escalated: from a bad level to a worse one;
 * eased: from a bad level to a milder bad one (a recovery under way); recovered: back to normal/ok.
 */
export type AlertDirection = 'raised' | 'escalated' | 'eased' | 'recovered';

const RANK: Readonly<Record<string, number>> = { normal: 0, ok: 0, warning: 1, danger: 2, down: 3 };

interface DirectionInput {
  readonly kind?: unknown;
  readonly from?: unknown;
  readonly to?: unknown;
}

export function alertDirection(alert: DirectionInput): AlertDirection {
  const to = RANK[String(alert.to)];
  const from = RANK[String(alert.from)];
  if (alert.kind === 'alert.cleared' || to === 0) return 'recovered';
  if (to === undefined || from === undefined || from === 0) return 'raised';
  return to < from ? 'eased' : 'escalated';
}

/** A recovery (eased or recovered) is shown in a calm colour, never as a new problem. */
export function isRecovery(direction: AlertDirection): boolean {
  return direction === 'eased' || direction === 'recovered';
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|::1|0\.0\.0\.0)$/i;

/** The host part of `host:port`, `[v6]:port`, a URL, or `user@host[:port]`. */
export function hostOf(address: string): string {
  const trimmed = address.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    try {
      return new URL(trimmed).hostname.replace(/^\[|\]$/g, '');
    } catch {
      return trimmed;
    }
  }
  const afterUser = trimmed.slice(trimmed.lastIndexOf('@') + 1);
  const bracket = /^\[([^\]]+)\](?::\d+)?$/.exec(afterUser);
  if (bracket) return bracket[1]!;
  const port = /^([^:]+):\d+$/.exec(afterUser);
  return port ? port[1]! : afterUser;
}

/** `local` for this laptop (loopback addresses included), else the host name. */
export function machineOfAddress(address: string): string {
  const host = hostOf(address);
  return LOOPBACK.test(host) ? LOCAL_TARGET : host;
}

/**
 * The machine an alert is about: a remote target's gauges carry `host` (the target name),
 * the laptop's gauges are `local`, a probe is about the host it calls.
 */
export function alertMachine(alert: Readonly<Record<string, unknown>>): string {
  if (typeof alert.host === 'string' && alert.host) return alert.host;
  if (alert.source === 'probe' && typeof alert.target === 'string') return machineOfAddress(alert.target);
  return LOCAL_TARGET;
}

/** Whether a target name (alias or user@host[:port]) or pin stands for `machine`. */
export function namesMachine(name: string, machine: string): boolean {
  return name === machine || machineOfAddress(name) === machine;
}
