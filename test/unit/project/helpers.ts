import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import { loadProject } from '../../../src/project/load-project.js';

/** A small valid project; tests override or add files. */
export const BASE: Record<string, string> = {
  'project.yml': [
    'name: demo',
    'targets:',
    '  dev: { type: duckdb, path: target/dev.duckdb }',
    'sources:',
    '  crm:',
    '    tables: [accounts, categories]',
    'vars: { fiscal_year: 2026 }',
    'roles:',
    '  planner: { attributes: [region] }',
    '  finance: {}',
    '',
  ].join('\n'),
  'inputs/forecast.yml': [
    'key: [account_id, quarter]',
    'links_to: { source: crm.accounts, on: { account_id: id } }',
    'columns:',
    '  account_id: { type: string }',
    '  quarter: { type: string }',
    '  amount: { type: number, min: 0 }',
    '  region: { type: string }',
    'permissions:',
    '  planner: { write: true, row_filter: { region: user.region } }',
    '',
  ].join('\n'),
  'macros/util.sql': "{% macro fq(col, prefix='Q') %}strftime({{ col }}, '%Y') || '{{ prefix }}'{% endmacro %}\n",
};

/** Writes `files` (relative path → text) into a new temp directory and returns it. */
export function writeProject(files: Record<string, string | undefined>): string {
  const dir = mkdtempSync(join(tmpdir(), 'wb-load-'));
  for (const [path, text] of Object.entries(files)) {
    if (text === undefined) continue;
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
  return dir;
}

/** `code@file:line:col` for a diagnostic (how tests compare them). */
export function where(d: Diagnostic): string {
  return d.loc ? `${d.code}@${d.loc.file}:${d.loc.line}:${d.loc.col}` : `${d.code}@-`;
}

/** Loads BASE overridden by `files`; returns every diagnostic (errors and warnings). */
export async function diagnose(files: Record<string, string | undefined>): Promise<Diagnostic[]> {
  const r = await loadProject(writeProject({ ...BASE, ...files }));
  return r.ok ? r.warnings : r.diagnostics;
}

/** Like {@link diagnose} but returns `code@file:line:col` strings. */
export async function codesAt(files: Record<string, string | undefined>): Promise<string[]> {
  return (await diagnose(files)).map(where);
}

/** `line:col` (1-based) of the `nth` occurrence of `needle` in `text` — an implementation-independent expectation. */
export function at(text: string, needle: string, nth = 1): string {
  let idx = -1;
  for (let i = 0; i < nth; i++) {
    idx = text.indexOf(needle, idx + 1);
    if (idx < 0) throw new Error(`${needle} not found`);
  }
  const before = text.slice(0, idx).split('\n');
  return `${before.length}:${(before.at(-1)?.length ?? 0) + 1}`;
}
