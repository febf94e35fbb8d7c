import path from 'node:path';
import type { IncidentView } from '../../../shared/domain';
import type { VariablePrompt } from '../../../shared/runbook-runs';
import type { Platform, Runbook, Step } from '../../../shared/runbooks';
import type { Clock } from '../clock';
import { invalidInput } from '../errors';
import type { SecretStore } from '../probes/secret-store';
import { looksSecret } from '../runbooks/front-matter';
import { variablesFor, type VariableRequirement } from '../runbooks';
import type { RunRepo } from './repo';

// Values for ${VARIABLES}: context from the incident, plus answers remembered per incident.
// A secret answer is kept in the SecretStore; the database only records that it exists.

export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export const secretRef = (incidentId: number, name: string) => `runbook-var.${incidentId}.${name}`;

export interface ResolvedValues {
  readonly vars: Record<string, string>;
  /** Secret values, to be masked in transcripts. */
  readonly secrets: string[];
}

export function incidentDir(home: string, incidentId: number): string {
  return path.join(home, 'incidents', String(incidentId));
}

export function contextValues(
  incident: IncidentView,
  ctx: { home: string; platform: Platform; actor: string; runbookId: string; stepId?: string },
): Record<string, string> {
  return {
    INCIDENT_ID: String(incident.id),
    INCIDENT_DIR: incidentDir(ctx.home, incident.id),
    INCIDENT_TITLE: incident.title,
    INCIDENT_SEVERITY: incident.severity,
    // Left out when the incident names no service, so it is asked for instead of being ''.
    ...(incident.services[0] ? { SERVICE: incident.services[0] } : {}),
    RESPONDER: incident.responder || ctx.actor,
    RUNBOOK_ID: ctx.runbookId,
    ...(ctx.stepId ? { STEP_ID: ctx.stepId } : {}),
    PLATFORM: ctx.platform,
  };
}

/**
 * Context values that are guesses, not facts: the incident's first service may not be the
 * process a step kills. They are offered as the answer and confirmed like a default; the
 * other context values (incident id, folder, title…) are facts and never asked.
 */
const GUESSED_CONTEXT: ReadonlySet<string> = new Set(['SERVICE']);

export class RunVariables {
  constructor(
    private readonly repo: RunRepo,
    private readonly secrets: SecretStore,
    private readonly clock: Clock,
  ) {}

  /** What to ask before the given steps run (all of the runbook's steps when none given). */
  prompts(runbook: Runbook, steps: readonly Step[] | undefined, incidentId: number, context: Record<string, string>): VariablePrompt[] {
    const reqs = requirements(runbook, steps);
    const rows = new Map(this.repo.variables(incidentId).map((r) => [r.name, r]));
    const out: VariablePrompt[] = [];
    for (const req of reqs) {
      const guessed = Object.hasOwn(context, req.name);
      if (guessed && !GUESSED_CONTEXT.has(req.name)) continue; // a fact about the incident, never asked
      const row = rows.get(req.name);
      const secret = req.secret || row?.secret === 1;
      const known = row !== undefined;
      const offered = guessed ? context[req.name] : req.default;
      out.push({
        name: req.name,
        description: req.description ?? null,
        value: secret ? null : (row?.value ?? offered ?? null),
        secret,
        known,
        ask: !known || req.always,
        from: known ? 'answer' : guessed ? 'incident' : req.default !== undefined ? 'default' : null,
      });
    }
    return out;
  }

  async remember(incidentId: number, runbook: Runbook, values: Readonly<Record<string, string>>): Promise<void> {
    const reqs = new Map(requirements(runbook, undefined).map((r) => [r.name, r]));
    const at = new Date(this.clock.now()).toISOString();
    for (const [name, value] of Object.entries(values)) {
      if (!VARIABLE_NAME.test(name)) throw invalidInput('values', `${JSON.stringify(name)} is not a variable name`);
      const secret = reqs.get(name)?.secret ?? looksSecret(name);
      if (secret) {
        await this.secrets.set(secretRef(incidentId, name), value);
        this.repo.setVariable(incidentId, name, null, true, at);
      } else {
        this.repo.setVariable(incidentId, name, value, false, at);
      }
    }
  }

  /** Remembered answers (secrets fetched from the store) merged over the context values: what the operator typed wins. */
  async resolve(incidentId: number, context: Record<string, string>): Promise<ResolvedValues> {
    const vars: Record<string, string> = {};
    const secrets: string[] = [];
    for (const row of this.repo.variables(incidentId)) {
      if (row.secret === 1) {
        const value = await this.secrets.get(secretRef(incidentId, row.name));
        if (value === null) continue; // the store lost it (another machine): ask again
        vars[row.name] = value;
        if (value !== '') secrets.push(value);
      } else if (row.value !== null) {
        vars[row.name] = row.value;
      }
    }
    return { vars: { ...context, ...vars }, secrets };
  }
}

function requirements(runbook: Runbook, steps: readonly Step[] | undefined): VariableRequirement[] {
  if (steps === undefined) return variablesFor(runbook);
  const merged = new Map<string, VariableRequirement>();
  for (const step of steps) for (const req of variablesFor(runbook, step)) if (!merged.has(req.name)) merged.set(req.name, req);
  return [...merged.values()];
}
