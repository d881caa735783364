import { describe, expect, it } from 'vitest';
import { monthNumber, parsePostDate, validTimeZone, zonedParts } from './dates';

const utc = (iso: string) => Date.parse(iso);

describe('post dates', () => {
  it.each([
    ['2025-02-02T14:00:00.000Z', null, '2025-02-02T14:00:00.000Z'],
    ['2025-02-02 14:00:00 +0800', null, '2025-02-02T06:00:00.000Z'],
    ['2025-02-02 14:00:00 +08:00', null, '2025-02-02T06:00:00.000Z'],
    ['2025-02-02 14:00:00 +08', null, '2025-02-02T06:00:00.000Z'],
    ['2025-02-02 14:00:00 -05:30', null, '2025-02-02T19:30:00.000Z'],
    ['2025-02-02 14:00:00 UTC', null, '2025-02-02T14:00:00.000Z'],
    ['2025-02-02 14:00:00 GMT', 'Asia/Taipei', '2025-02-02T14:00:00.000Z'],
    ['2025-02-02T14:00:00Z', 'Asia/Taipei', '2025-02-02T14:00:00.000Z'],
    ['2025-02-02', null, '2025-02-02T00:00:00.000Z'],
    ['2025-2-2 9:05', null, '2025-02-02T09:05:00.000Z'],
  ])('%s (site zone %s) is %s', (text, zone, iso) => {
    expect(parsePostDate(text, zone)).toBe(utc(iso));
  });

  it("reads a date without an offset in the site's time zone, else UTC, never the machine's", () => {
    expect(parsePostDate('2025-02-02 12:00:00', null)).toBe(utc('2025-02-02T12:00:00Z'));
    expect(parsePostDate('2025-02-02 12:00:00', 'Asia/Taipei')).toBe(utc('2025-02-02T04:00:00Z'));
    expect(parsePostDate('2025-02-02', 'Asia/Taipei')).toBe(utc('2025-02-01T16:00:00Z'));
    // Across a daylight-saving change: New York is UTC-4 in July, UTC-5 in January.
    expect(parsePostDate('2024-07-01 12:00:00', 'America/New_York')).toBe(utc('2024-07-01T16:00:00Z'));
    expect(parsePostDate('2024-01-01 12:00:00', 'America/New_York')).toBe(utc('2024-01-01T17:00:00Z'));
  });

  it.each(['', 'yesterday', '2025-13-01', '2025-02-30', '2025-02-02 25:00', '2025-02-02 12:00 +2400', `2025-02-02${' '.repeat(100_000)}x`])(
    'rejects %j',
    (text) => {
      expect(parsePostDate(text, null)).toBeNull();
    },
  );

  it('knows time zones the platform knows, and nothing else', () => {
    expect(validTimeZone('Asia/Taipei')).toBe('Asia/Taipei');
    expect(validTimeZone('Not/AZone')).toBeNull();
    expect(validTimeZone('constructor')).toBeNull();
    expect(validTimeZone(42)).toBeNull();
    expect(zonedParts(utc('2025-02-01T16:30:00Z'), 'Asia/Taipei')).toMatchObject({ year: 2025, month: 2, day: 2, hour: 0, minute: 30 });
  });
});

describe('the month of a time', () => {
  const asDate = (time: number) => {
    const d = new Date(time);
    return d.getUTCFullYear() * 12 + d.getUTCMonth();
  };

  it('is the month Date says, at every month edge from 1600 to 2400 and either side of it', () => {
    for (let year = 1600; year <= 2400; year++) {
      for (let month = 0; month < 12; month++) {
        const start = Date.UTC(year, month, 1);
        for (const time of [start - 1, start, start + 1, start + 12 * 3_600_000]) expect(monthNumber(time)).toBe(asDate(time));
      }
    }
  });

  it('is right for times before 1970, leap days, and far years', () => {
    for (const text of ['1969-12-31T23:59:59.999Z', '1900-02-28T12:00:00Z', '2000-02-29T23:59:59Z', '2024-02-29T00:00:00Z', '2100-03-01T00:00:00Z', '0001-01-01T00:00:00Z', '+275760-09-13T00:00:00Z', '-271821-04-20T00:00:00Z']) {
      const time = Date.parse(text);
      expect(monthNumber(time)).toBe(asDate(time));
    }
  });
});
