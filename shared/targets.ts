// Remote targets (issue 13): hosts reached over the operator's own OpenSSH client. Plain
// data shared by the main side and the renderer.
import type { GaugeSample } from './gauges';
import type { GaugeLevels, GaugeUpdate } from './monitor';

/** The machine Firebreak runs on; every feature takes this or a target name. */
export const LOCAL_TARGET = 'local';

/**
 * Where a target is on the way to a usable connection. `host-key-unknown` and
 * `host-key-changed` never turn into `connected` by themselves: the first needs the
 * operator to accept the fingerprint, the second is refused until known_hosts is fixed.
 */
export type TargetConnectionState =
  | 'idle'
  | 'connecting'
  | 'connected'
  /** Key or agent refused, or a password / hardware key is needed: authenticate once in a terminal. */
  | 'auth-required'
  | 'host-key-unknown'
  | 'host-key-changed'
  | 'unreachable';

export interface TargetStatus {
  readonly name: string;
  readonly state: TargetConnectionState;
  /** When the current state began (ISO), e.g. unreachable since … */
  readonly since: string;
  /** The last error in one sentence (ssh's own words where they are clear). */
  readonly message: string | null;
  /** After a failure, when the next attempt is due (ISO), or null. */
  readonly retryAt: string | null;
  /** `SHA256:…` of the host key the live connection was verified against. */
  readonly hostKeyFingerprint: string | null;
}

export interface TargetRecord {
  /** As the operator typed it: an alias from ~/.ssh/config, or user@host[:port]. */
  readonly name: string;
  readonly addedAt: string;
}

/** What `ssh -G` resolves a target to (for display, keyscan and custody). */
export interface ResolvedTarget {
  readonly name: string;
  readonly hostname: string;
  readonly port: number;
  readonly user: string;
}

export interface HostKeyOffer {
  readonly name: string;
  /** `[host]:port` or `host`, as it will be written to known_hosts. */
  readonly knownHostsName: string;
  readonly keys: readonly { readonly type: string; readonly fingerprint: string }[];
}

/** Who and what produced something on a target: written into custody entries. */
export interface TargetOrigin {
  readonly target: string;
  readonly hostname: string;
  readonly user: string;
  readonly hostKeyFingerprint: string | null;
}

/** One second of a target's gauges (event `targets.gauges`), levels by the seeds' rules. */
export interface TargetGaugeUpdate {
  readonly name: string;
  readonly sample: GaugeSample;
  readonly levels: GaugeLevels;
  /** Colours as the laptop's gauges have them (the value's band now, or the alert level if worse). */
  readonly display?: GaugeUpdate['display'];
}
