import { describe, expect, it } from 'vitest';
import type { Model, SourceLocation } from '../../../src/ir/types.js';
import { Reporter } from '../../../src/diagnostics/reporter.js';
import { downstreamModels, orderModels, upstreamModels } from '../../../src/resolve/graph.js';

function order(list: Model[], refLoc?: (from: string, to: string) => SourceLocation) {
  const report = new Reporter();
  const models = orderModels(list, report, refLoc);
  return { models, diagnostics: report.all };
}

const model = (name: string, ...ups: string[]): Model => ({
  name,
  body: { kind: 'sql', sql: 'select 1', sqlLoc: { file: `models/${name}.yml`, line: 3, col: 3 } },
  dependsOn: { models: ups, inputs: [], sources: [] },
  loc: { file: `models/${name}.yml`, line: 1, col: 1 },
});

describe('orderModels', () => {
  it('puts upstream models first and keeps declaration order otherwise', () => {
    const { models, diagnostics } = order([model('report', 'plan', 'base'), model('plan', 'base'), model('base'), model('other')]);
    expect(diagnostics).toEqual([]);
    expect(models.map((m) => m.name)).toEqual(['base', 'plan', 'report', 'other']);
  });

  it('reports a cycle once, printing it, at the reference that closes it', () => {
    const refLoc = (from: string, to: string) => ({ file: `models/${from}.yml`, line: 7, col: to.length });
    const { models, diagnostics } = order([model('a', 'b'), model('b', 'c'), model('c', 'a'), model('d', 'a')], refLoc);
    expect(diagnostics).toEqual([
      {
        code: 'model-cycle',
        severity: 'error',
        message: 'models depend on each other in a cycle: a -> b -> c -> a',
        params: { cycle: ['a', 'b', 'c', 'a'] },
        loc: { file: 'models/c.yml', line: 7, col: 1 },
        hint: 'a model cannot (even indirectly) select from itself; break the cycle by removing one of these references',
      },
    ]);
    expect(models.map((m) => m.name).sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('reports a self reference', () => {
    const { diagnostics } = order([model('a', 'a')]);
    expect(diagnostics.map((d) => [d.message, d.loc?.file])).toEqual([['models depend on each other in a cycle: a -> a', 'models/a.yml']]);
  });

  it('lists upstream and downstream models transitively', () => {
    const ms = [model('base'), model('plan', 'base'), model('report', 'plan'), model('side', 'base')];
    expect(upstreamModels(ms, 'report').sort()).toEqual(['base', 'plan']);
    expect(downstreamModels(ms, 'base').sort()).toEqual(['plan', 'report', 'side']);
  });
});
