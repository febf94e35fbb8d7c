// One way to show a moment, in the UI and in reports (issue 15): `2026-12-07 09:30:00 UTC+09:00`.
// 24-hour, year first, the same in English and Japanese, and always with the time zone, so a
// time read off a report or a screenshot means one thing. The zone is injected (tests, reports
// written for another zone); the clock too, for "now".

export interface DateFormatOptions {
  /** IANA zone (`Asia/Tokyo`, `UTC`); the machine's zone when absent. */
  readonly timeZone?: string;
  /** Milliseconds since the epoch, for `now()`; Date.now when absent. */
  readonly now?: () => number;
}

type Moment = string | number | Date;

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The machine's zone as Intl sees it (TZ, or the OS setting). */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** A zone name Intl accepts; throws a clear error otherwise. */
export function checkTimeZone(timeZone: string): string {
  try {
    partsFormatter(timeZone);
    return timeZone;
  } catch {
    throw new RangeError(`unknown time zone "${timeZone}" (use an IANA name such as UTC or Asia/Tokyo)`);
  }
}

function toMs(at: Moment): number {
  return at instanceof Date ? at.getTime() : typeof at === 'number' ? at : Date.parse(at);
}

interface Fields {
  readonly date: string;
  readonly hm: string;
  readonly hms: string;
  readonly offsetMin: number;
}

const QUARTER_HOUR = 15 * 60_000;
const offsets = new Map<string, Map<number, number>>();

/**
 * The zone's offset at `ms`, asked of Intl once per quarter hour (zones change offset only on
 * quarter-hour boundaries) and cached: a report prints tens of thousands of times, and
 * formatToParts is ten times slower than the arithmetic below.
 */
function offsetAt(ms: number, timeZone: string): number {
  let cache = offsets.get(timeZone);
  if (!cache) offsets.set(timeZone, (cache = new Map()));
  const bucket = Math.floor(ms / QUARTER_HOUR);
  let offset = cache.get(bucket);
  if (offset === undefined) {
    const p: Record<string, string> = {};
    for (const part of partsFormatter(timeZone).formatToParts(bucket * QUARTER_HOUR)) p[part.type] = part.value;
    const hour = p.hour === '24' ? 0 : Number(p.hour);
    const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), hour, Number(p.minute), Number(p.second));
    offset = Math.round((wall - bucket * QUARTER_HOUR) / 60_000);
    if (cache.size > 50_000) cache.clear();
    cache.set(bucket, offset);
  }
  return offset;
}

function fields(ms: number, timeZone: string): Fields {
  const offsetMin = offsetAt(ms, timeZone);
  const wall = new Date(Math.floor(ms / 1000) * 1000 + offsetMin * 60_000).toISOString();
  return { date: wall.slice(0, 10), hm: wall.slice(11, 16), hms: wall.slice(11, 19), offsetMin };
}

function zoneOf(offsetMin: number): string {
  if (offsetMin === 0) return 'UTC';
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

export class DateFormatter {
  readonly timeZone: string;
  private readonly clock: () => number;

  constructor(options: DateFormatOptions = {}) {
    this.timeZone = checkTimeZone(options.timeZone ?? localTimeZone());
    this.clock = options.now ?? Date.now;
  }

  /** `2026-12-07 09:30:00 UTC+09:00`; text that is not a time comes back as it was. */
  dateTime(at: Moment): string {
    const ms = toMs(at);
    if (Number.isNaN(ms)) return String(at);
    const f = fields(ms, this.timeZone);
    return `${f.date} ${f.hms} ${zoneOf(f.offsetMin)}`;
  }

  /** `09:30` or `09:30:15` (24-hour), for chart axes and tight columns that show the zone once elsewhere. */
  clockTime(at: Moment, options: { readonly seconds?: boolean } = {}): string {
    const ms = toMs(at);
    if (Number.isNaN(ms)) return String(at);
    const f = fields(ms, this.timeZone);
    return options.seconds ? f.hms : f.hm;
  }

  /** `UTC+09:00` at that moment (offsets change with daylight saving). */
  zone(at: Moment = this.clock()): string {
    const ms = toMs(at);
    return zoneOf(Number.isNaN(ms) ? 0 : fields(ms, this.timeZone).offsetMin);
  }

  /** Now, in the one format. */
  now(): string {
    return this.dateTime(this.clock());
  }
}

/** Made when first used: an Intl.DateTimeFormat costs ~10 ms to create, and every CLI command started by making this one. */
let utc: DateFormatter | null = null;

/** The one format in UTC: `2026-12-07 00:30:00 UTC` (logs, exports and mail that must not depend on the reader). */
export function formatUtc(at: Moment): string {
  return (utc ??= new DateFormatter({ timeZone: 'UTC' })).dateTime(at);
}
