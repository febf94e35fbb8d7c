import type { StateCreator } from 'zustand';
import type { TargetListing } from '../../../shared/channels/targets';
import type { GaugeUpdate } from '../../../shared/monitor';
import { LOCAL_TARGET, type HostKeyOffer, type TargetGaugeUpdate, type TargetStatus } from '../../../shared/targets';
import { api, errorMessage } from '../api';
import { appendBounded } from './monitor-slice';
import type { AppState } from './store';

/**
 * Remote targets (issue 13): the profile's targets with their live connection state, the
 * incidents' affected targets, host-key offers waiting for the operator, and the gauges of
 * the target the System screen / Resources tab is looking at.
 */
export interface TargetsSlice {
  targets: readonly TargetListing[];
  targetsError: string | undefined;
  incidentTargets: Readonly<Record<number, readonly string[]>>;
  hostKeyOffers: Readonly<Record<string, HostKeyOffer>>;
  /** LOCAL_TARGET or a target name: whose gauges the resource views show. */
  gaugeSource: string;
  /** The watched target's recent readings, shaped like the laptop's (bounded the same way). */
  targetGaugeUpdates: Readonly<Record<string, readonly GaugeUpdate[]>>;
  /** Moves a run's steps to LOCAL_TARGET or one of the incident's targets (saved with the run). */
  setRunTarget(runId: string, target: string): Promise<void>;
  loadTargets(): Promise<void>;
  addTarget(name: string): Promise<boolean>;
  removeTarget(name: string): Promise<void>;
  connectTarget(name: string): Promise<void>;
  fetchHostKey(name: string): Promise<void>;
  acceptHostKey(name: string, fingerprint: string): Promise<void>;
  setTargetStatus(status: TargetStatus): void;
  loadIncidentTargets(incidentId: number): Promise<void>;
  addIncidentTarget(incidentId: number, name: string): Promise<void>;
  removeIncidentTarget(incidentId: number, name: string): Promise<void>;
  setGaugeSource(source: string): Promise<void>;
  addTargetGauge(update: TargetGaugeUpdate): void;
}

/** A target reading as the gauge views draw it (colours from the host; the alert levels if it sent none). */
export function asGaugeUpdate(update: TargetGaugeUpdate): GaugeUpdate {
  const cores = (update.sample.cpu?.cores ?? []).map(() => 'normal' as const);
  return { sample: update.sample, levels: update.levels, display: update.display ?? { ...update.levels, cores } };
}

export const createTargetsSlice: StateCreator<AppState, [], [], TargetsSlice> = (set, get) => {
  const fail = (error: unknown) => get().notify('error', errorMessage(error));
  return {
    targets: [],
    targetsError: undefined,
    incidentTargets: {},
    hostKeyOffers: {},
    gaugeSource: LOCAL_TARGET,
    targetGaugeUpdates: {},
    setRunTarget: async (runId, target) => {
      try {
        get().upsertRun(await api.runs.setTarget({ runId, target }));
      } catch (error) {
        fail(error);
      }
    },
    loadTargets: async () => {
      try {
        set({ targets: await api.targets.list(), targetsError: undefined });
      } catch (error) {
        set({ targetsError: errorMessage(error) });
      }
    },
    addTarget: async (name) => {
      try {
        await api.targets.add({ name });
        await get().loadTargets();
        // Connecting right away tells the operator at once whether the host key needs accepting.
        void get().connectTarget(name);
        return true;
      } catch (error) {
        fail(error);
        return false;
      }
    },
    removeTarget: async (name) => {
      try {
        if (get().gaugeSource === name) await get().setGaugeSource(LOCAL_TARGET);
        await api.targets.remove({ name });
        const { [name]: _offer, ...offers } = get().hostKeyOffers;
        set({ hostKeyOffers: offers });
        await get().loadTargets();
      } catch (error) {
        fail(error);
      }
    },
    connectTarget: async (name) => {
      try {
        const status = await api.targets.connect({ name });
        get().setTargetStatus(status);
      } catch (error) {
        fail(error);
      }
    },
    fetchHostKey: async (name) => {
      try {
        const offer = await api.targets.hostKey({ name });
        set({ hostKeyOffers: { ...get().hostKeyOffers, [name]: offer } });
      } catch (error) {
        fail(error);
      }
    },
    acceptHostKey: async (name, fingerprint) => {
      try {
        await api.targets.acceptHostKey({ name, fingerprint });
        const { [name]: _offer, ...offers } = get().hostKeyOffers;
        set({ hostKeyOffers: offers });
        await get().connectTarget(name);
      } catch (error) {
        fail(error);
      }
    },
    setTargetStatus: (status) => {
      const targets = get().targets;
      if (!targets.some((t) => t.name === status.name)) return;
      set({ targets: targets.map((t) => (t.name === status.name ? { ...t, status } : t)) });
      // The fingerprint is fetched once per unknown-key episode, for the operator to compare.
      if (status.state === 'host-key-unknown' && !get().hostKeyOffers[status.name]) void get().fetchHostKey(status.name);
    },
    loadIncidentTargets: async (incidentId) => {
      try {
        const names = await api.targets.ofIncident({ incidentId });
        set({ incidentTargets: { ...get().incidentTargets, [incidentId]: names } });
      } catch (error) {
        fail(error);
      }
    },
    addIncidentTarget: async (incidentId, name) => {
      try {
        await api.targets.addToIncident({ incidentId, name });
      } catch (error) {
        fail(error);
      }
      await get().loadIncidentTargets(incidentId);
    },
    removeIncidentTarget: async (incidentId, name) => {
      try {
        await api.targets.removeFromIncident({ incidentId, name });
      } catch (error) {
        fail(error);
      }
      await get().loadIncidentTargets(incidentId);
    },
    setGaugeSource: async (source) => {
      const previous = get().gaugeSource;
      if (previous === source) return;
      set({ gaugeSource: source });
      // Only the target on screen keeps a remote loop running: one `sleep 1` a second on its server.
      if (previous !== LOCAL_TARGET) void api.targets.stopGauges({ name: previous }).catch(() => undefined);
      if (source === LOCAL_TARGET) return;
      try {
        const latest = await api.targets.watchGauges({ name: source });
        if (latest) get().addTargetGauge(latest);
      } catch (error) {
        fail(error);
      }
    },
    addTargetGauge: (update) => {
      const current = get().targetGaugeUpdates[update.name] ?? [];
      set({ targetGaugeUpdates: { ...get().targetGaugeUpdates, [update.name]: appendBounded(current, asGaugeUpdate(update)) } });
    },
  };
};
