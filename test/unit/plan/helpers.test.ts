import { describe, expect, it } from 'vitest';
import { normalizeType, sameType } from '../../../src/plan/same-type.js';
import { referencedVersion, referencedVersions } from '../../../src/plan/warehouse-state.js';
import { archiveLogName, versionViewName } from '../../../src/managed/names.js';

describe('sameType', () => {
  it('treats spellings of one type as equal', () => {
    expect(normalizeType('decimal(18, 2)')).toBe('DECIMAL(18,2)');
    expect(sameType('DECIMAL(18, 2)', 'DECIMAL(18,2)')).toBe(true);
    expect(sameType('DOUBLE PRECISION', 'DOUBLE')).toBe(true);
    expect(sameType('TIMESTAMPTZ', 'timestamp with time zone')).toBe(true);
    expect(sameType('VARCHAR', 'TEXT')).toBe(true);
  });
  it('tells different types apart', () => {
    expect(sameType('DECIMAL(18, 2)', 'DECIMAL(18,3)')).toBe(false);
    expect(sameType('BIGINT', 'INTEGER')).toBe(false);
    expect(sameType('TIMESTAMP', 'TIMESTAMP WITH TIME ZONE')).toBe(false);
  });
});

describe('version names', () => {
  it('finds `<model>__v<N>` only as a whole name, quoted or not', () => {
    expect(referencedVersion('CREATE VIEW planning.m AS SELECT * FROM planning.m__v12;', 'm')).toBe(12);
    expect(referencedVersion('select * from "planning"."m__v3"', 'm')).toBe(3);
    expect(referencedVersion('select * from planning.xm__v3', 'm')).toBeUndefined();
    expect(referencedVersion('select * from planning.m__v3x', 'm')).toBeUndefined();
    expect(referencedVersions('select * from "p"."a__v1" join "p"."a__v2" on true', 'a')).toEqual([1, 2]);
    expect(versionViewName('account_plan', 4)).toBe('account_plan__v4');
  });
  it('stamps archived logs in UTC', () => {
    expect(archiveLogName('forecast', new Date('2026-01-02T03:04:05.678Z'))).toBe('forecast__log__archived_20260102_030405');
  });
});
