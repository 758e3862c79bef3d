import { describe, expect, it } from 'vitest';
import { identifierLengthDiagnostics } from '../../../src/managed/identifier-length.js';
import { getDialect } from '../../../src/dialects/registry.js';
import { fixtureProject } from '../emit/fixture-project.js';

describe('identifierLengthDiagnostics', () => {
  const project = fixtureProject();
  const long = 'a'.repeat(40);
  const [first] = project.models;
  if (!first) throw new Error('fixture has models');
  project.inputs[long] = { ...project.inputs['account_fix']!, name: long };
  project.models.push({ ...first, name: 'b'.repeat(57) });

  it('flags generated names Postgres would cut at 63 bytes', () => {
    const found = identifierLengthDiagnostics(project, getDialect('postgres'));
    expect(found.map((d) => [d.code, d.message])).toEqual([
      ['identifier-too-long', `input '${long}': the generated name '${long}__log__archived_19700101_000000' is 71 bytes; postgres keeps at most 63`],
      ['identifier-too-long', `model '${'b'.repeat(57)}': the generated name '${'b'.repeat(57)}__v9999' is 64 bytes; postgres keeps at most 63`],
    ]);
  });

  it('says nothing for the fixture as it is, nor where names are practically unlimited', () => {
    expect(identifierLengthDiagnostics(fixtureProject(), getDialect('postgres'))).toEqual([]);
    expect(identifierLengthDiagnostics(project, getDialect('duckdb'))).toEqual([]);
    expect(identifierLengthDiagnostics(project, getDialect('snowflake'))).toEqual([]);
  });
});
