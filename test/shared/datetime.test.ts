import { describe, expect, it } from 'vitest';
import { DateFormatter, formatUtc } from '../../shared/datetime';

// Fixed moments and explicit zones: nothing here depends on the machine's zone or today's date.
const AT = '2026-03-05T20:30:05.120Z';

describe('one date format with its time zone (issue 15)', () => {
  it('prints 24-hour, year first, with the zone as an offset', () => {
    expect(new DateFormatter({ timeZone: 'Asia/Tokyo' }).dateTime(AT)).toBe('2026-03-06 05:30:05 UTC+09:00');
    expect(new DateFormatter({ timeZone: 'UTC' }).dateTime(AT)).toBe('2026-03-05 20:30:05 UTC');
    expect(new DateFormatter({ timeZone: 'America/New_York' }).dateTime(AT)).toBe('2026-03-05 15:30:05 UTC-05:00');
    expect(new DateFormatter({ timeZone: 'Asia/Kolkata' }).dateTime(Date.parse(AT))).toBe('2026-03-06 02:00:05 UTC+05:30');
  });

  it('follows daylight saving at the moment shown, not today', () => {
    const ny = new DateFormatter({ timeZone: 'America/New_York' });
    expect(ny.dateTime('2026-07-01T12:00:00Z')).toBe('2026-07-01 08:00:00 UTC-04:00');
    expect(ny.zone('2026-01-01T12:00:00Z')).toBe('UTC-05:00');
    // Either side of the spring-forward instant (02:00 EST → 03:00 EDT on 2026-03-08).
    expect(ny.dateTime('2026-03-08T06:59:59Z')).toBe('2026-03-08 01:59:59 UTC-05:00');
    expect(ny.dateTime('2026-03-08T07:00:00Z')).toBe('2026-03-08 03:00:00 UTC-04:00');
    // Lord Howe moves by half an hour.
    expect(new DateFormatter({ timeZone: 'Australia/Lord_Howe' }).zone('2026-07-01T00:00:00Z')).toBe('UTC+10:30');
  });

  it('gives a 24-hour clock time for chart axes (never "8:30pm")', () => {
    expect(new DateFormatter({ timeZone: 'UTC' }).clockTime(AT)).toBe('20:30');
    expect(new DateFormatter({ timeZone: 'Asia/Tokyo' }).clockTime(AT)).toBe('05:30');
  });

  it('takes its clock from the caller', () => {
    const f = new DateFormatter({ timeZone: 'Asia/Tokyo', now: () => Date.parse('2030-01-01T00:00:00Z') });
    expect(f.now()).toBe('2030-01-01 09:00:00 UTC+09:00');
  });

  it('leaves text that is not a time as it was, and names a bad zone', () => {
    expect(formatUtc('soon')).toBe('soon');
    expect(formatUtc(AT)).toBe('2026-03-05 20:30:05 UTC');
    expect(() => new DateFormatter({ timeZone: 'Mars/Olympus' })).toThrow(/unknown time zone "Mars\/Olympus"/);
  });
});
