// Post dates as Jekyll reads them, and the same instant on every machine.
//
// Jekyll accepts `2025-02-02`, `2025-02-02 14:00:00`, `2025-02-02T14:00:00.000Z`
// and offsets written `+0800`, `+08:00`, `+08`, or `UTC`/`GMT`. A date without
// an offset is in the site's `timezone:` (from _config.yml), else UTC. Never
// the reader's time zone: a post's id is a hash that includes its date, so an
// id that changed with the machine would duplicate posts between browsers.

/** Longer than any date Jekyll accepts; longer input is rejected before any pattern runs. */
const MAX_DATE_CHARS = 64;

// Anchored, with no nested or adjacent overlapping repetition: linear time.
const DATE_RE =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:T|[ \t]+)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?[ \t]*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23',
      year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The IANA name if this platform knows it (`Asia/Taipei`), else null. */
export function validTimeZone(name: unknown): string | null {
  if (typeof name !== 'string' || !name.trim() || name.length > 64) return null;
  try {
    return formatter(name.trim()).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

export interface DateParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock date and time of an instant in a time zone (UTC when null). */
export function zonedParts(time: number, timeZone: string | null): DateParts {
  if (!timeZone) {
    const d = new Date(time);
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
  }
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(time))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** Milliseconds the zone's wall clock is ahead of UTC at an instant. */
function offsetAt(time: number, timeZone: string): number {
  const p = zonedParts(time, timeZone);
  const whole = time - (((time % 1000) + 1000) % 1000);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - whole;
}

function wallClockToUtc(wall: number, timeZone: string | null): number {
  if (!timeZone) return wall;
  // The offset at the guess, then again at the result: right across DST changes.
  const first = offsetAt(wall, timeZone);
  const second = offsetAt(wall - first, timeZone);
  return wall - second;
}

/** Epoch milliseconds of a front-matter date, or null when it is not one. */
export function parsePostDate(value: string | undefined, timeZone: string | null = null): number | null {
  if (!value) return null;
  const text = value.trim();
  if (text.length > MAX_DATE_CHARS) return null;
  const m = DATE_RE.exec(text);
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const year = Number(y), month = Number(mo), day = Number(d), hour = Number(h), minute = Number(mi), second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Date.UTC rolls 2025-02-31 over into March: that is not a date.
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  if (!zone) return wallClockToUtc(wall, timeZone);
  if (/^(z|utc|gmt)$/i.test(zone)) return wall;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offset = (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0')) * 60_000;
  if (offset > 14 * 3_600_000) return null;
  return wall - sign * offset;
}

const DAY_MS = 86_400_000;

/**
 * The month of a time in UTC as one number (year × 12 + month − 1), without
 * a Date: a commit counts the months of every post (489,000 at society ×32),
 * and a Date and a string each were that many objects at once. Days to the
 * civil calendar as in Howard Hinnant's `civil_from_days` (proleptic Gregorian, as Date is).
 */
export function monthNumber(time: number): number {
  const z = Math.floor(time / DAY_MS) + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shifted = Math.floor((5 * dayOfYear + 2) / 153); // March is 0
  const month = shifted < 10 ? shifted + 3 : shifted - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return year * 12 + month - 1;
}
