import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../../../src/diagnostics/code-frame.js';
import { loadProject } from '../../../src/project/load-project.js';
import { at, where } from './helpers.js';

const fixtures = join(import.meta.dirname, '../../fixtures/projects');
const text = (project: string, file: string) => readFileSync(join(fixtures, project, file), 'utf8');

describe('bad-many-errors: every problem of a project is reported', () => {
  it('reports all of them, sorted by file and position', async () => {
    const r = await loadProject(join(fixtures, 'bad-many-errors'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const t = (f: string) => text('bad-many-errors', f);
    expect(r.diagnostics.map(where)).toEqual([
      `invalid-range@inputs/forecast.yml:${at(t('inputs/forecast.yml'), '1 }')}`,
      `invalid-default@inputs/forecast.yml:${at(t('inputs/forecast.yml'), 'mid')}`,
      `unknown-role@inputs/forecast.yml:${at(t('inputs/forecast.yml'), 'analyst')}`,
      `unknown-param@macros/broken.sql:${at(t('macros/broken.sql'), 'prefix')}`,
      `unknown-var@models/first.yml:${at(t('models/first.yml'), "var('nope')")}`,
      `model-cycle@models/second.yml:${at(t('models/second.yml'), 'first')}`,
      `unknown-column@models/second.yml:${at(t('models/second.yml'), 'levl')}`,
      `missing-file@project.yml:${at(t('project.yml'), 'seeds/missing.csv')}`,
      `unknown-source@project.yml:${at(t('project.yml'), 'seeds/missing.csv')}`,
      `unknown-key@project.yml:${at(t('project.yml'), 'colour')}`,
    ]);
    expect(r.diagnostics.find((d) => d.code === 'model-cycle')?.message).toBe('models depend on each other in a cycle: first -> second -> first');
  });

  it('formats them with code frames', async () => {
    const r = await loadProject(join(fixtures, 'bad-many-errors'));
    if (r.ok) throw new Error('expected failure');
    const out = formatDiagnostics(r.diagnostics, join(fixtures, 'bad-many-errors'));
    expect(out).toContain(
      [
        '  models/second.yml:2:8  model-cycle  models depend on each other in a cycle: first -> second -> first',
        '    1 | kind: enrich',
        '  > 2 | model: first',
        '      |        ^^^^^',
        '    3 | inputs:',
        '    4 |   - input: forecast',
      ].join('\n'),
    );
    expect(out.split('\n').filter((l) => /^\S/.test(l))).toEqual(['inputs/forecast.yml', 'macros/broken.sql', 'models/first.yml', 'models/second.yml', 'project.yml']);
  });
});

describe('bad-yaml: syntax errors and duplicate keys have positions', () => {
  it('reports yaml-syntax and duplicate-key without follow-on errors', async () => {
    const r = await loadProject(join(fixtures, 'bad-yaml'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const codes = r.diagnostics.map(where);
    expect(codes).toContain(`duplicate-key@inputs/notes.yml:${at(text('bad-yaml', 'inputs/notes.yml'), 'id:', 2)}`);
    expect(codes.filter((c) => c.startsWith('yaml-syntax@project.yml:3:'))).not.toEqual([]);
    expect(codes.filter((c) => c.startsWith('yaml-syntax@inputs/notes.yml:'))).not.toEqual([]);
    expect(r.diagnostics.every((d) => d.loc !== undefined)).toBe(true);
    expect(r.diagnostics.map((d) => d.code).filter((c) => !['yaml-syntax', 'duplicate-key'].includes(c))).toEqual([]);
  });
});

describe('diagnostic codes', () => {
  it('every code the bad fixtures produce is declared, and its message is made from its params by the code', async () => {
    const { DIAGNOSTIC_CODES, describeUnchecked } = await import('../../../src/diagnostics/codes.js');
    for (const name of ['bad-many-errors', 'bad-yaml']) {
      const r = await loadProject(join(fixtures, name));
      const diags = r.ok ? r.warnings : r.diagnostics;
      expect(diags.length).toBeGreaterThan(0);
      for (const d of diags) {
        expect(Object.keys(DIAGNOSTIC_CODES)).toContain(d.code);
        expect(describeUnchecked(d.code, d.params).message).toBe(d.message);
        expect(JSON.parse(JSON.stringify(d.params))).toEqual(d.params);
      }
    }
  });
});
