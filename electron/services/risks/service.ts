import fs from 'node:fs';
import path from 'node:path';
import type { SignalsView } from '../../../shared/metrics';
import type { GaugeSample, ProbeResult } from '../../../shared/monitor';
import { riskLevel, type RescoreRecord, type Risk, type RiskView, type RisksView, type RiskWarning } from '../../../shared/risks';
import type { Clock } from '../clock';
import type { Db } from '../db/open';
import { invalidInput, ServiceError } from '../errors';
import type { EventBus } from '../events';
import type { Identity } from '../identity';
import { profileAlertGate, type AlertProcessOptions, type ProfileAlertGate } from '../gauges/timeline-sink';
import type { IncidentService } from '../incidents';
import type { TimelineService } from '../timeline';
import { RiskRegisterFile } from './register';
import { evaluateRule, type RuleInputs } from './rules';

export const RISK_HISTORY_FILE = 'risk-history.jsonl';
const RECENT_WARNINGS = 50;

export interface RiskServiceDeps {
  readonly home: string;
  readonly db: Db;
  readonly clock: Clock;
  readonly identity: Identity;
  readonly timeline: TimelineService;
  readonly incidents: IncidentService;
  readonly events: EventBus;
  /** The incident that receives alerts (the monitor's alert target). */
  readonly alertTarget: () => number | null;
  /** Writes each warning once per profile when the app and `firebreak serve` both evaluate. */
  readonly alertGate?: ProfileAlertGate;
  /** Tests: this process as the gate sees it (when no alertGate is given). */
  readonly alertProcess?: AlertProcessOptions;
}

/** A proposed re-score of a realised risk, for the postmortem and the monthly review. */
export interface RescoreProposal {
  readonly risk: string;
  readonly title: string;
  readonly current: { readonly impact: number; readonly probability: number; readonly score: number };
  readonly proposed: { readonly impact: number; readonly probability: number; readonly score: number };
  readonly reason: string;
}

const scored = (impact: number, probability: number) => ({ impact, probability, score: impact * probability });

/**
 * The risk register: seed 000's risks in a user-editable file, their early warnings bound
 * to service indicators, gauges and probes, incident links (on the incident's timeline) and
 * re-scoring with a reason (a JSON-lines history in the profile).
 */
export class RiskService {
  readonly register: RiskRegisterFile;
  private readonly historyPath: string;
  private inputs: { signals: SignalsView | null; gauge: GaugeSample | null; probes: Map<string, ProbeResult> } = { signals: null, gauge: null, probes: new Map() };
  /** Risks whose warning is firing now (edge-triggered: one timeline entry per crossing). */
  private readonly firing = new Map<string, boolean | null>();
  private warnings: RiskWarning[] = [];
  private readonly gate: ProfileAlertGate;

  constructor(private readonly deps: RiskServiceDeps) {
    this.gate = deps.alertGate ?? profileAlertGate(deps.db, deps.timeline, deps.alertProcess);
    this.register = new RiskRegisterFile(deps.home);
    this.historyPath = path.join(deps.home, RISK_HISTORY_FILE);
  }

  /** `field` names the request field that held the id (the boundary's errors name the field). */
  private risk(id: string, field = 'risk'): Risk {
    const risk = this.register.load().risks.find((r) => r.id === id);
    if (!risk) throw new ServiceError('not_found', `${field}: risk ${id} does not exist`);
    return risk;
  }

  /** Incident ids per risk, from the risk.linked / risk.unlinked entries of the timelines. */
  private links(): Map<string, Set<number>> {
    const rows = this.deps.db
      .prepare<[], { incident_id: number; kind: string; data: string }>("SELECT incident_id, kind, data FROM timeline WHERE kind IN ('risk.linked', 'risk.unlinked') ORDER BY id")
      .all();
    const links = new Map<string, Set<number>>();
    for (const row of rows) {
      const risk = (JSON.parse(row.data) as { risk?: unknown }).risk;
      if (typeof risk !== 'string') continue;
      let set = links.get(risk);
      if (!set) links.set(risk, (set = new Set()));
      if (row.kind === 'risk.linked') set.add(row.incident_id);
      else set.delete(row.incident_id);
    }
    return links;
  }

  private view(risk: Risk, links: Map<string, Set<number>>): RiskView {
    const score = risk.impact * risk.probability;
    return {
      ...risk,
      score,
      level: riskLevel(score),
      incidents: [...(links.get(risk.id) ?? [])].sort((a, b) => a - b),
      warningActive: this.firing.get(risk.id) ?? null,
    };
  }

  list(): RisksView {
    const links = this.links();
    return { risks: this.register.load().risks.map((risk) => this.view(risk, links)), warnings: [...this.warnings], path: this.register.path };
  }

  get(id: string, field = 'id'): RiskView {
    return this.view(this.risk(id, field), this.links());
  }

  /** Risks an incident realised. */
  forIncident(incidentId: number): RiskView[] {
    const links = this.links();
    return this.register
      .load()
      .risks.filter((risk) => links.get(risk.id)?.has(incidentId))
      .map((risk) => this.view(risk, links));
  }

  link(incidentId: number, riskId: string, note?: string): RiskView {
    this.deps.incidents.get(incidentId);
    const risk = this.get(riskId, 'risk');
    if (risk.incidents.includes(incidentId)) return risk;
    this.deps.timeline.append({ incidentId, kind: 'risk.linked', data: { risk: risk.id, title: risk.title.en, score: risk.score, level: risk.level, ...(note ? { note } : {}) } });
    this.changed();
    return this.get(riskId);
  }

  unlink(incidentId: number, riskId: string, reason: string): RiskView {
    const risk = this.get(riskId, 'risk');
    if (!risk.incidents.includes(incidentId)) throw new ServiceError('not_found', `risk: incident ${incidentId} is not linked to risk ${riskId}`);
    this.deps.timeline.append({ incidentId, kind: 'risk.unlinked', data: { risk: risk.id, reason } });
    this.changed();
    return this.get(riskId);
  }

  /** New impact and probability with the reason; kept in the history (and on the incident's timeline when given). */
  rescore(request: { readonly risk: string; readonly impact: number; readonly probability: number; readonly reason: string; readonly context?: string; readonly incidentId?: number }): RescoreRecord {
    if (!request.reason.trim()) throw invalidInput('reason', 'must not be empty');
    if (request.incidentId !== undefined) this.deps.incidents.get(request.incidentId);
    const register = this.register.load();
    const index = register.risks.findIndex((r) => r.id === request.risk);
    if (index === -1) throw new ServiceError('not_found', `risk: risk ${request.risk} does not exist`);
    const before = register.risks[index]!;
    const record: RescoreRecord = {
      risk: before.id,
      at: new Date(this.deps.clock.now()).toISOString(),
      actor: this.deps.identity.actor,
      from: scored(before.impact, before.probability),
      to: scored(request.impact, request.probability),
      reason: request.reason.trim(),
      context: request.context ?? null,
      incidentId: request.incidentId ?? null,
    };
    const risks = [...register.risks];
    risks[index] = { ...before, impact: request.impact, probability: request.probability };
    this.register.save({ ...register, risks });
    fs.appendFileSync(this.historyPath, `${JSON.stringify(record)}\n`);
    if (request.incidentId !== undefined) this.deps.timeline.append({ incidentId: request.incidentId, kind: 'risk.rescored', data: { ...record } });
    this.changed();
    return record;
  }

  history(riskId?: string): RescoreRecord[] {
    let text = '';
    try {
      text = fs.readFileSync(this.historyPath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const records: RescoreRecord[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const record = JSON.parse(line) as RescoreRecord;
        if (!riskId || record.risk === riskId) records.push(record);
      } catch {
        // a torn last line (crash mid-append) is skipped, the rest still counts
      }
    }
    return records;
  }

  /**
   * Postmortem: each risk the incident realised, with a proposal. It happened, so its
   * probability goes up one step (at most 5); the monthly review records the decision.
   */
  proposals(incidentId: number): RescoreProposal[] {
    return this.forIncident(incidentId).map((risk) => {
      const probability = Math.min(5, risk.probability + 1);
      return {
        risk: risk.id,
        title: risk.title.en,
        current: scored(risk.impact, risk.probability),
        proposed: scored(risk.impact, probability),
        reason: `realised in incident #${incidentId}`,
      };
    });
  }

  // ---- Early warnings ----

  observeSignals(signals: SignalsView): RiskWarning[] {
    this.inputs.signals = signals;
    return this.evaluate();
  }

  observeGauge(sample: GaugeSample): RiskWarning[] {
    this.inputs.gauge = sample;
    return this.evaluate();
  }

  observeProbe(result: ProbeResult): RiskWarning[] {
    this.inputs.probes.set(result.name, result);
    return this.evaluate();
  }

  /** Evaluates every rule; a risk whose warning starts firing is announced once. */
  evaluate(inputs: RuleInputs = this.inputs): RiskWarning[] {
    const fired: RiskWarning[] = [];
    let register;
    try {
      register = this.register.load();
    } catch {
      // A register being edited into a broken state stops warnings, not the monitor.
      return fired;
    }
    for (const risk of register.risks) {
      const outcomes = risk.warning.rules.map((rule) => evaluateRule(rule, inputs));
      const known = outcomes.filter((o) => o.known);
      const hit = known.find((o) => o.firing);
      const now: boolean | null = known.length === 0 ? null : hit !== undefined;
      const was = this.firing.get(risk.id) ?? null;
      this.firing.set(risk.id, now);
      if (now === true && was !== true && hit?.known) fired.push(this.announce(risk, hit.condition));
    }
    return fired;
  }

  private announce(risk: Risk, condition: string): RiskWarning {
    const score = risk.impact * risk.probability;
    const incidentId = this.deps.alertTarget();
    const base = {
      risk: risk.id,
      title: risk.title.en,
      score,
      level: riskLevel(score),
      condition,
      mitigation: risk.mitigations[0]?.en ?? null,
      runbooks: risk.runbooks,
      at: this.deps.clock.now(),
    };
    let entryId: number | null = null;
    if (incidentId !== null) {
      try {
        // Once per profile: the app and `firebreak serve` both see the warning start.
        const request = { incidentId, kind: 'risk.warning', data: { ...base, runbooks: [...base.runbooks], warning: risk.warning.text.en } };
        entryId = this.gate.record(`risk:${risk.id}`, 'warning', new Date(base.at).toISOString(), request)?.id ?? null;
      } catch {
        // The warning still reaches the UI when the timeline refuses (incident closed meanwhile).
      }
    }
    const warning: RiskWarning = { ...base, incidentId: entryId === null ? null : incidentId, entryId };
    this.warnings = [warning, ...this.warnings].slice(0, RECENT_WARNINGS);
    this.deps.events.emit('risks.warning', warning);
    return warning;
  }

  private changed(): void {
    this.deps.events.emit('risks.changed', { at: this.deps.clock.now() });
  }
}
