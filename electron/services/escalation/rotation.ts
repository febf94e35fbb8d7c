import { isValidTimeZone, zonedTimeToUtc, type OnCallOverride, type OnCallRole, type OnCallShift, type OnCallSlot, type OnCallView, type RotationImportResult } from '../../../shared/escalation';
import type { Clock } from '../clock';
import type { Db } from '../db/open';
import { invalidInput, notFound } from '../errors';
import type { ContactDirectory } from './contacts';
import { readCsv } from './csv';
import { parseIcsShifts, type ParsedShift } from './ics';

// The on-call rotation (seed 003: weekly turns, a primary and a secondary). Imported from
// CSV or iCalendar, replacing the previous rotation; overrides (swaps, holidays) are kept
// apart and win over the rotation for their window. Everything answers offline.

const WEEK_MS = 7 * 24 * 3_600_000;

interface ShiftRow {
  id: number;
  role: OnCallRole;
  name: string;
  starts_at: string;
  ends_at: string;
  source?: string;
  reason?: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * "2026-12-07T09:00:00+09:00" as given; "2026-12-07" or "2026-12-07 09:00" as a wall time in
 * `timeZone`. Undefined when it is neither.
 */
export function parseRotationTime(value: string, timeZone: string): number | undefined {
  const v = value.trim();
  if (/[zZ]|[+-]\d\d:?\d\d$/.test(v) && /^\d{4}-\d\d-\d\dT/.test(v)) {
    const ms = Date.parse(v);
    return Number.isNaN(ms) ? undefined : ms;
  }
  const m = /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d))?)?$/.exec(v);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23) return undefined;
  return zonedTimeToUtc({ year, month, day, hour, minute, second }, timeZone);
}

export class OnCallRotation {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly contacts: ContactDirectory,
  ) {}

  shifts(): OnCallShift[] {
    return this.db
      .prepare<[], ShiftRow>('SELECT * FROM oncall_shifts ORDER BY starts_at, role')
      .all()
      .map((r) => ({ id: r.id, role: r.role, name: r.name, startsAt: r.starts_at, endsAt: r.ends_at, source: r.source ?? '' }));
  }

  overrides(): OnCallOverride[] {
    return this.db
      .prepare<[], ShiftRow>('SELECT * FROM oncall_overrides ORDER BY starts_at, id')
      .all()
      .map((r) => ({ id: r.id, role: r.role, name: r.name, startsAt: r.starts_at, endsAt: r.ends_at, reason: r.reason ?? '' }));
  }

  addOverride(input: { role: OnCallRole; name: string; startsAt: string; endsAt: string; reason: string }): OnCallOverride {
    const start = Date.parse(input.startsAt);
    const end = Date.parse(input.endsAt);
    if (!(end > start)) throw invalidInput('endsAt', 'must be after startsAt');
    const result = this.db
      .prepare('INSERT INTO oncall_overrides (role, name, starts_at, ends_at, reason) VALUES (?, ?, ?, ?, ?)')
      .run(input.role, input.name.trim(), iso(start), iso(end), input.reason.trim());
    return this.overrides().find((o) => o.id === Number(result.lastInsertRowid))!;
  }

  removeOverride(id: number): OnCallOverride {
    const found = this.overrides().find((o) => o.id === id);
    if (!found) throw notFound(`override #${id}`);
    this.db.prepare('DELETE FROM oncall_overrides WHERE id = ?').run(id);
    return found;
  }

  /**
   * CSV columns: starts_at, ends_at (default a week later), primary, secondary, time_zone
   * (for times without an offset; default `timeZone`). One row per turn.
   */
  importCsv(text: string, source = 'input', timeZone = 'UTC'): RotationImportResult {
    const rows = readCsv(text, source, 'rotation');
    const shifts: ParsedShift[] = [];
    rows.forEach((row, index) => {
      const line = index + 2;
      const zone = row.time_zone || row.timezone || timeZone;
      if (!isValidTimeZone(zone)) throw invalidInput('rotation', `${source}:${line}: time_zone: "${zone}" is not an IANA time zone such as Asia/Tokyo`);
      const startText = row.starts_at ?? row.start ?? row.week ?? row.week_start ?? '';
      const start = parseRotationTime(startText, zone);
      if (start === undefined) throw invalidInput('rotation', `${source}:${line}: starts_at: "${startText}" is not a date such as 2026-12-07, 2026-12-07 09:00 or 2026-12-07T09:00:00+09:00`);
      const endText = row.ends_at ?? row.end ?? '';
      const end = endText ? parseRotationTime(endText, zone) : start + WEEK_MS;
      if (end === undefined) throw invalidInput('rotation', `${source}:${line}: ends_at: "${endText}" is not a date such as 2026-12-14 09:00`);
      if (!(end > start)) throw invalidInput('rotation', `${source}:${line}: ends_at must be after starts_at`);
      const primary = (row.primary ?? '').trim();
      const secondary = (row.secondary ?? row.backup ?? '').trim();
      if (!primary && !secondary) throw invalidInput('rotation', `${source}:${line}: names neither a primary nor a secondary`);
      if (primary) shifts.push({ role: 'primary', name: primary, startsAt: start, endsAt: end });
      if (secondary) shifts.push({ role: 'secondary', name: secondary, startsAt: start, endsAt: end });
    });
    return this.replace(shifts, `csv:${source}`);
  }

  importIcs(text: string, source = 'input'): RotationImportResult {
    return this.replace(parseIcsShifts(text, source, this.clock.now()), `ics:${source}`);
  }

  /** Who is on call at `atMs` (default now), and the next turn. */
  at(atMs: number = this.clock.now()): OnCallView {
    const primary = this.slot('primary', atMs);
    const secondary = this.slot('secondary', atMs);
    return { at: iso(atMs), primary, secondary, next: this.nextTurn(atMs, primary?.name ?? null, secondary?.name ?? null) };
  }

  private slot(role: OnCallRole, atMs: number): OnCallSlot | null {
    const t = iso(atMs);
    const override = this.db
      .prepare<[string, string, string], ShiftRow>('SELECT * FROM oncall_overrides WHERE role = ? AND starts_at <= ? AND ends_at > ? ORDER BY id DESC LIMIT 1')
      .get(role, t, t);
    const row =
      override ??
      this.db.prepare<[string, string, string], ShiftRow>('SELECT * FROM oncall_shifts WHERE role = ? AND starts_at <= ? AND ends_at > ? ORDER BY id DESC LIMIT 1').get(role, t, t);
    if (!row) return null;
    return {
      name: row.name,
      contact: this.contacts.find(row.name) ?? null,
      startsAt: row.starts_at,
      endsAt: row.ends_at,
      override: override ? { id: override.id, reason: override.reason ?? '' } : null,
    };
  }

  private nextTurn(atMs: number, primary: string | null, secondary: string | null): OnCallView['next'] {
    const t = iso(atMs);
    // Every later boundary of a shift or override is where the answer may change.
    const boundaries = this.db
      .prepare<[string, string, string, string], { b: string }>(
        `SELECT b FROM (
           SELECT starts_at AS b FROM oncall_shifts WHERE starts_at > ? UNION SELECT ends_at FROM oncall_shifts WHERE ends_at > ?
           UNION SELECT starts_at FROM oncall_overrides WHERE starts_at > ? UNION SELECT ends_at FROM oncall_overrides WHERE ends_at > ?
         ) ORDER BY b LIMIT 200`,
      )
      .all(t, t, t, t);
    for (const { b } of boundaries) {
      const ms = Date.parse(b);
      const p = this.slot('primary', ms)?.name ?? null;
      const s = this.slot('secondary', ms)?.name ?? null;
      if (p !== primary || s !== secondary) return { at: b, primary: p, secondary: s };
    }
    return null;
  }

  private replace(shifts: readonly ParsedShift[], source: string): RotationImportResult {
    if (shifts.length === 0) throw invalidInput('rotation', `${source.replace(/^\w+:/, '')}: no turns found`);
    const insert = this.db.prepare('INSERT INTO oncall_shifts (role, name, starts_at, ends_at, source) VALUES (?, ?, ?, ?, ?)');
    this.db
      .transaction(() => {
        this.db.prepare('DELETE FROM oncall_shifts').run();
        for (const s of shifts) insert.run(s.role, s.name, iso(s.startsAt), iso(s.endsAt), source);
      })
      .immediate();
    const starts = shifts.map((s) => s.startsAt);
    const ends = shifts.map((s) => s.endsAt);
    return { shifts: shifts.length, from: iso(Math.min(...starts)), to: iso(Math.max(...ends)) };
  }
}
