import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvHeader, seedSourceColumns } from '../../../src/seeds/seed-columns.js';
import { fixtureProject } from '../emit/fixture-project.js';

describe('csvHeader', () => {
  it.each([
    ['id,name,region\n1,a,b\n', ['id', 'name', 'region']],
    ['\ufeffid, name ,"we,ird ""x"""\r\n1,2,3', ['id', 'name', 'we,ird "x"']],
    ['only', ['only']],
    ['', []],
  ])('%j', (text, expected) => {
    expect(csvHeader(text)).toEqual(expected);
  });
});

describe('seedSourceColumns', () => {
  it('reads the columns of seeded source tables; others stay unknown', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wb-seed-cols-'));
    writeFileSync(join(dir, 'accounts.csv'), 'id,name,region,category\nx,y,z,w\n');
    const project = { ...fixtureProject(), dir };
    project.seeds = [
      { file: 'accounts.csv', into: { source: 'crm', table: 'accounts' }, columnTypes: {}, loc: { file: 'project.yml', line: 1, col: 1 } },
      { file: 'missing.csv', into: { source: 'crm', table: 'products' }, columnTypes: {}, loc: { file: 'project.yml', line: 2, col: 1 } },
    ];
    const lookup = seedSourceColumns(project);
    expect(lookup('crm', 'accounts')).toEqual(['id', 'name', 'region', 'category']);
    expect(lookup('crm', 'products')).toBeUndefined();
  });
});
