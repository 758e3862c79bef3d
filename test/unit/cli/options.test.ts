import { describe, expect, it } from 'vitest';
import { inOptionTerms, parseTime } from '../../../src/cli/options.js';
import { colorOn, plural } from '../../../src/cli/output.js';

describe('CLI option values', () => {
  it('--since: a date is the start of that day in UTC; a date and time is UTC unless it has a zone', () => {
    expect(parseTime('2026-11-01', '--since')).toBe('2026-11-01T00:00:00.000Z');
    expect(parseTime('2026-11-01T09:30', '--since')).toBe('2026-11-01T09:30:00.000Z');
    expect(parseTime('2026-11-01 09:30:15', '--since')).toBe('2026-11-01T09:30:15.000Z');
    expect(parseTime('2026-11-01T09:30:00.250Z', '--since')).toBe('2026-11-01T09:30:00.250Z');
    expect(parseTime('2026-11-01T09:30+01:00', '--since')).toBe('2026-11-01T08:30:00.000Z');
    expect(parseTime('2026-11-01T09:30-0530', '--since')).toBe('2026-11-01T15:00:00.000Z');
    for (const bad of ['2026-13-01', '2026-02-30', '2026-02-30T10:00', 'yesterday', '2026-11-01T25:00', '11/01/2026', '']) {
      expect(() => parseTime(bad, '--since'), bad).toThrow(/--since expects a date/);
    }
  });

  it('an API error is told in options, not query parameters', () => {
    const error = { code: 'bad_request', message: 'invalid query parameters', details: [{ column: 'since', message: 'Invalid ISO datetime' }, { column: 'key.id', message: "query parameter 'key.id' is given twice" }] };
    expect(inOptionTerms(error, { since: '--since', key: '--key' })).toEqual({
      code: 'bad_request',
      message: 'invalid options',
      details: [{ column: '--since', message: 'Invalid ISO datetime' }, { column: '--key id=…', message: 'option --key id=… is given twice' }],
    });
  });

  it('colour: FORCE_COLOR decides when set, else NO_COLOR (not empty) turns it off, else a terminal turns it on', () => {
    expect(colorOn({ isTTY: true }, {})).toBe(true);
    expect(colorOn({ isTTY: false }, {})).toBe(false);
    expect(colorOn({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colorOn({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(colorOn({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(colorOn({ isTTY: true }, { FORCE_COLOR: '0' })).toBe(false);
    expect(colorOn({ isTTY: true }, { NO_COLOR: '1', FORCE_COLOR: 'true' })).toBe(true);
  });

  it('counts agree with their nouns', () => {
    expect([plural(0, 'row'), plural(1, 'row'), plural(2, 'row'), plural(1, 'entry', 'entries'), plural(12345, 'row')]).toEqual(['0 rows', '1 row', '2 rows', '1 entry', '12,345 rows']);
  });
});
