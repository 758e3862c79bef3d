import { createHash } from 'node:crypto';
import type { Dialect } from '../dialects/dialect.js';
import type { Diagnostic, Result } from '../diagnostics/diagnostic.js';
import { Reporter } from '../diagnostics/reporter.js';
import type { Model, Project } from '../ir/types.js';
import { renderModel, type RefResolver, type RenderOptions } from './model-sql.js';

/**
 * A model's fingerprint: sha256 over the dialect name, its SQL rendered with refs pointing at
 * the latest aliases (symbolic: independent of version numbers), normalized so whitespace and
 * comments do not count, and the fingerprints of the models it refers to. Equal fingerprint =
 * same view definition over the same upstream definitions.
 */
export function fingerprintModel(
  project: Project,
  model: Model,
  dialect: Dialect,
  targetName: string,
  upstream: ReadonlyMap<string, string>,
  options: RenderOptions = {},
): Result<string> {
  const refs = new Set<string>();
  const rendered = renderModel(project, model, dialect, targetName, recordingAliasResolver(project, refs), options);
  if (!rendered.ok) return rendered;
  return fingerprintRendered(model, dialect, rendered, refs, upstream);
}

/**
 * The resolver a fingerprint is rendered with: `latestAliasResolver`'s (every ref at the model's
 * latest alias in the views schema), recording each model referred to in `refs`. `compile` renders
 * its output with it too, so one rendering gives both the SQL and the fingerprint.
 */
export function recordingAliasResolver(project: Project, refs: Set<string>): RefResolver {
  return (name) => {
    refs.add(name);
    return { schema: project.schemas.views, name };
  };
}

/**
 * {@link fingerprintModel} of a model already rendered with {@link recordingAliasResolver}:
 * `rendered` is that rendering (its warnings are repeated in the result, as `fingerprintModel`
 * returns them) and `refs` what it recorded.
 */
export function fingerprintRendered(
  model: Model,
  dialect: Dialect,
  rendered: Extract<Result<string>, { ok: true }>,
  refs: ReadonlySet<string>,
  upstream: ReadonlyMap<string, string>,
): Result<string> {
  const pairs: [string, string][] = [];
  const report = new Reporter();
  report.add(...rendered.warnings);
  for (const name of [...refs].sort()) {
    const fp = upstream.get(name);
    if (fp === undefined) report.error('upstream-failed', { model: model.name, upstream: name }, model.loc);
    else pairs.push([name, fp]);
  }
  if (report.hasErrors) return report.result<string>(undefined);
  const payload = JSON.stringify({ dialect: dialect.name, sql: normalizeSql(rendered.value, dialect), upstream: pairs });
  return report.result(createHash('sha256').update(payload).digest('hex'));
}

/** Fingerprints of every model, upstream first (`project.models` is in dependency order); failures as diagnostics. */
export function fingerprintProject(
  project: Project,
  dialect: Dialect,
  targetName: string,
  options: RenderOptions = {},
): { fingerprints: Map<string, string>; diagnostics: Diagnostic[] } {
  const fingerprints = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  for (const model of project.models) {
    const r = fingerprintModel(project, model, dialect, targetName, fingerprints, options);
    if (r.ok) fingerprints.set(model.name, r.value);
    else diagnostics.push(...r.diagnostics);
  }
  return { fingerprints, diagnostics };
}

/** Word-like or quote characters: `[A-Za-z0-9_$'"\`]` and every code unit from U+0080. */
function isWordish(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) ||
    code === 95 || code === 36 || code === 39 || code === 34 || code === 96 || code >= 0x80
  );
}

/** `/\s/` for one code unit, without a regex for ASCII. */
function isSpace(sql: string, i: number, code: number): boolean {
  if (code < 128) return code === 32 || (code >= 9 && code <= 13);
  return /\s/.test(sql[i] ?? '');
}

/**
 * SQL with comments (`--`, `/* *\/`) removed and whitespace dropped, except one space between two
 * word-like or quoted tokens; string literals and quoted identifiers are kept byte for byte.
 * Only for comparing and hashing, never for running. (Fingerprints hash this text: its output for a
 * given input must never change.)
 */
export function normalizeSql(sql: string, dialect?: Pick<Dialect, 'backslashEscapesInStrings'>): string {
  let out = '';
  let last = -1; // code unit last written, -1 when none
  let gap = false;
  const emit = (text: string) => {
    if (gap && last >= 0 && isWordish(last) && isWordish(text.charCodeAt(0))) out += ' ';
    gap = false;
    out += text;
    last = text.charCodeAt(text.length - 1);
  };
  let i = 0;
  while (i < sql.length) {
    const code = sql.charCodeAt(i);
    if (isSpace(sql, i, code)) {
      gap = true;
      i++;
    } else if (code === 45 && sql.charCodeAt(i + 1) === 45) {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? sql.length : nl;
      gap = true;
    } else if (code === 47 && sql.charCodeAt(i + 1) === 42) {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
      gap = true;
    } else if (code === 39 || code === 34 || code === 96) {
      const end = quotedEnd(sql, i, code === 39 && (dialect?.backslashEscapesInStrings ?? false));
      emit(sql.slice(i, end));
      i = end;
    } else {
      // a run of plain characters (no space, quote or comment start) is emitted at once
      let j = i + 1;
      while (j < sql.length) {
        const c = sql.charCodeAt(j);
        if (c === 39 || c === 34 || c === 96 || c === 45 || c === 47 || isSpace(sql, j, c)) break;
        j++;
      }
      emit(sql.slice(i, j));
      i = j;
    }
  }
  return out;
}

/** Offset just past the quoted token opening at `start` (a doubled quote continues it). */
function quotedEnd(sql: string, start: number, backslash: boolean): number {
  const q = sql[start];
  let i = start + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (backslash && c === '\\') i += 2;
    else if (c === q && sql[i + 1] === q) i += 2;
    else if (c === q) return i + 1;
    else i++;
  }
  return sql.length;
}
