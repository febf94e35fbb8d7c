import type ICAL from 'ical.js';
import { zonedTimeToUtc, isValidTimeZone, type OnCallRole } from '../../../shared/escalation';
import { invalidInput } from '../errors';
import { ical } from '../lazy-require';

// iCalendar (.ics) on-call schedules, as calendar apps and paging tools export them: one
// event per turn (or a weekly RRULE), the role and person in the SUMMARY ("Primary: Alice",
// "On call – Bob (secondary)") or the one ATTENDEE's CN. ical.js does the parsing and the
// recurrence expansion; time zones it does not know from a VTIMEZONE are read through Intl.

export interface ParsedShift {
  readonly role: OnCallRole;
  readonly name: string;
  readonly startsAt: number;
  readonly endsAt: number;
}

const ROLE_WORDS = /\b(?:on[-\s]?call|primary|secondary|backup|shift)\b|オンコール|プライマリ|セカンダリ|バックアップ|当番|[:：()（）\-–—|/]/gi;
const SECONDARY = /secondary|backup|セカンダリ|バックアップ|副/i;

/** Occurrences of a recurring turn are read this far past `fromMs` (and at most this many per event). */
export const ICS_HORIZON_MS = 366 * 24 * 3_600_000;
const MAX_OCCURRENCES = 1_000;

function toMs(time: ICAL.Time, tzid: string | undefined, calendarZone: string): number {
  const known = time.zone && time.zone.tzid !== 'floating';
  if (known && !time.isDate) return time.toJSDate().getTime();
  // Floating or an unregistered TZID: the wall time in that zone (or the calendar's), by Intl.
  const zone = tzid && isValidTimeZone(tzid) ? tzid : calendarZone;
  return zonedTimeToUtc({ year: time.year, month: time.month, day: time.day, hour: time.isDate ? 0 : time.hour, minute: time.isDate ? 0 : time.minute, second: time.isDate ? 0 : time.second }, zone);
}

function nameAndRole(summary: string, attendees: string[]): { role: OnCallRole; name: string } {
  const role: OnCallRole = SECONDARY.test(summary) ? 'secondary' : 'primary';
  const name = attendees.length === 1 ? attendees[0]! : summary.replace(ROLE_WORDS, ' ').replace(/\s+/g, ' ').trim();
  return { role, name };
}

export function parseIcsShifts(text: string, source: string, fromMs: number): ParsedShift[] {
  let root: ICAL.Component;
  try {
    root = new (ical().Component)(ical().parse(text) as unknown[]);
  } catch (error) {
    throw invalidInput('rotation', `${source}: not a valid iCalendar file (${error instanceof Error ? error.message : String(error)})`);
  }
  for (const vtimezone of root.getAllSubcomponents('vtimezone')) ical().TimezoneService.register(vtimezone);
  const declared = String(root.getFirstPropertyValue('x-wr-timezone') ?? '');
  const calendarZone = declared && isValidTimeZone(declared) ? declared : 'UTC';
  const horizon = fromMs + ICS_HORIZON_MS;
  const shifts: ParsedShift[] = [];
  const events = root.getAllSubcomponents('vevent');
  if (events.length === 0) throw invalidInput('rotation', `${source}: the calendar has no events (VEVENT)`);
  events.forEach((component, index) => {
    const event = new (ical().Event)(component);
    const summary = event.summary ?? '';
    const attendees = component.getAllProperties('attendee').map((p) => String(p.getParameter('cn') ?? '')).filter(Boolean);
    const { role, name } = nameAndRole(summary, attendees);
    const where = `${source}, event ${index + 1}${summary ? ` ("${summary}")` : ''}`;
    if (!name) throw invalidInput('rotation', `${where}: no person named in SUMMARY or ATTENDEE`);
    if (!event.startDate) throw invalidInput('rotation', `${where}: no DTSTART`);
    const tzid = component.getFirstProperty('dtstart')?.getParameter('tzid') as string | undefined;
    const durationMs = event.endDate ? toMs(event.endDate, tzid, calendarZone) - toMs(event.startDate, tzid, calendarZone) : 7 * 24 * 3_600_000;
    if (!(durationMs > 0)) throw invalidInput('rotation', `${where}: DTEND is not after DTSTART`);
    if (!event.isRecurring()) {
      const start = toMs(event.startDate, tzid, calendarZone);
      shifts.push({ role, name, startsAt: start, endsAt: start + durationMs });
      return;
    }
    const iterator = event.iterator();
    for (let n = 0, next = iterator.next(); next && n < MAX_OCCURRENCES; n++, next = iterator.next()) {
      const start = toMs(next, tzid, calendarZone);
      if (start > horizon) break;
      shifts.push({ role, name, startsAt: start, endsAt: start + durationMs });
    }
  });
  return shifts;
}
