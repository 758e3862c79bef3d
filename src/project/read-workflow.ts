import { didYouMean } from '../diagnostics/message-text.js';
import type { Reporter } from '../diagnostics/reporter.js';
import type { InputFile } from '../schema/input-file.js';
import { checkName } from './check-name.js';
import { isBroken, type LoadScope } from '../resolve/scope.js';
import type { ApprovalRule, InputAction, InputColumn, Transition } from '../ir/types.js';
import { keyLoc, pathLoc, type YamlDoc } from './yaml-file.js';

type YamlPath = readonly PropertyKey[];

/** True when `role` is declared under `roles:` (or its declaration is broken); else an `unknown-role` error at `path`. */
export function checkRole(yd: YamlDoc, path: YamlPath, role: string, scope: LoadScope, report: Reporter): boolean {
  if (scope.roles[role] || isBroken(scope.broken.roles, role)) return true;
  const names = Object.keys(scope.roles);
  report.error('unknown-role', { role, declared: names }, pathLoc(yd, path), didYouMean(role, names));
  return false;
}

/** `transitions:` of an enum column: every from/to must be one of its values; roles must be declared. */
export function readTransitions(
  yd: YamlDoc,
  col: InputColumn,
  raw: Record<string, (string | { to: string; roles?: string[] | undefined })[]>,
  scope: LoadScope,
  report: Reporter,
): Record<string, Transition[]> | undefined {
  const base = ['columns', col.name, 'transitions'];
  if (col.type.kind !== 'enum') {
    report.error('rule-not-applicable', { rule: 'transitions', column: col.name, kind: col.type.kind }, keyLoc(yd, base));
    return undefined;
  }
  const values = col.type.values;
  const out: Record<string, Transition[]> = {};
  for (const [from, moves] of Object.entries(raw)) {
    if (!values.includes(from)) report.error('invalid-value', { reason: 'not-a-status', as: 'transition from', value: from, column: col.name, values }, keyLoc(yd, [...base, from]), didYouMean(from, values));
    out[from] = moves.map((m, i) => {
      const t: Transition = typeof m === 'string' ? { to: m } : { to: m.to, ...(m.roles ? { roles: m.roles } : {}) };
      // a move written `{ to: x, roles: [...] }` is located at its `to` value, a bare `x` at itself
      const at = typeof m === 'string' ? [...base, from, i] : [...base, from, i, 'to'];
      if (!values.includes(t.to)) report.error('invalid-value', { reason: 'not-a-status', as: 'transition to', value: t.to, column: col.name, values }, pathLoc(yd, at), didYouMean(t.to, values));
      (t.roles ?? []).forEach((r, j) => checkRole(yd, [...base, from, i, 'roles', j], r, scope, report));
      return t;
    });
  }
  return out;
}

/** `initial:` and `locked:` of an enum column: every status must be one of its values; roles must be declared. */
export function readStatusRules(
  yd: YamlDoc,
  col: InputColumn,
  raw: { initial?: string[] | undefined; locked?: Record<string, string[]> | undefined },
  scope: LoadScope,
  report: Reporter,
): void {
  const base = ['columns', col.name];
  if (col.type.kind !== 'enum') {
    for (const k of ['initial', 'locked'] as const)
      if (raw[k]) report.error('rule-not-applicable', { rule: k, column: col.name, kind: col.type.kind }, keyLoc(yd, [...base, k]));
    return;
  }
  const values = col.type.values;
  const known = (v: string, path: YamlPath, as: 'initial status' | 'locked status') => {
    if (values.includes(v)) return true;
    report.error('invalid-value', { reason: 'not-a-status', as, value: v, column: col.name, values }, pathLoc(yd, path), didYouMean(v, values));
    return false;
  };
  if (raw.initial) {
    raw.initial.forEach((v, i) => known(v, [...base, 'initial', i], 'initial status'));
    if (typeof col.default === 'string' && !raw.initial.includes(col.default))
      report.error('invalid-default', { value: col.default, initial: raw.initial }, pathLoc(yd, [...base, 'default']));
    col.initial = raw.initial;
  }
  if (raw.locked) {
    for (const [status, roles] of Object.entries(raw.locked)) {
      if (!values.includes(status))
        report.error('invalid-value', { reason: 'not-a-status', as: 'locked status', value: status, column: col.name, values }, keyLoc(yd, [...base, 'locked', status]), didYouMean(status, values));
      roles.forEach((r, j) => checkRole(yd, [...base, 'locked', status, j], r, scope, report));
    }
    col.locked = raw.locked;
  }
}

/** `approval:` — roles declared, condition columns declared. */
export function readApproval(yd: YamlDoc, raw: NonNullable<InputFile['approval']>, columns: InputColumn[], scope: LoadScope, report: Reporter): ApprovalRule {
  const rule: ApprovalRule = {};
  if (raw.required_for) {
    raw.required_for.forEach((r, i) => checkRole(yd, ['approval', 'required_for', i], r, scope, report));
    rule.requiredFor = raw.required_for;
  }
  if (raw.when) {
    const names = columns.map((c) => c.name);
    for (const c of Object.keys(raw.when))
      if (!names.includes(c)) report.error('unknown-column', { as: 'approval', column: c }, keyLoc(yd, ['approval', 'when', c]), didYouMean(c, names));
    const when: ApprovalRule['when'] = {};
    for (const [c, cond] of Object.entries(raw.when)) {
      const clean: NonNullable<ApprovalRule['when']>[string] = {};
      for (const [k, v] of Object.entries(cond)) if (v !== undefined) Object.assign(clean, { [k]: v });
      when[c] = clean;
    }
    rule.when = when;
  }
  return rule;
}

/** `actions:` — names, `set` columns (declared, not key), roles. */
export function readActions(
  yd: YamlDoc,
  raw: NonNullable<InputFile['actions']>,
  columns: InputColumn[],
  key: string[],
  scope: LoadScope,
  report: Reporter,
): Record<string, InputAction> {
  const out: Record<string, InputAction> = {};
  const names = columns.map((c) => c.name);
  for (const [name, a] of Object.entries(raw)) {
    checkName(report, yd, ['actions', name], name, 'action');
    for (const c of Object.keys(a.set)) {
      if (!names.includes(c)) report.error('unknown-column', { as: 'action', column: c, action: name }, keyLoc(yd, ['actions', name, 'set', c]), didYouMean(c, names));
      else if (key.includes(c)) report.error('invalid-value', { reason: 'action-sets-key', action: name, column: c }, keyLoc(yd, ['actions', name, 'set', c]));
    }
    (a.roles ?? []).forEach((r, i) => checkRole(yd, ['actions', name, 'roles', i], r, scope, report));
    if (a.webhook && !/^https?:\/\//.test(a.webhook.url))
      report.error('invalid-value', { reason: 'webhook-url', action: name, found: a.webhook.url }, pathLoc(yd, ['actions', name, 'webhook', 'url']));
    out[name] = {
      name,
      ...(a.description ? { description: a.description } : {}),
      set: a.set,
      ...(a.roles ? { roles: a.roles } : {}),
      confirm: a.confirm ?? false,
      commentRequired: a.comment === 'required',
      ...(a.webhook ? { webhook: { url: a.webhook.url, retries: a.webhook.retries ?? 2 } } : {}),
    };
  }
  return out;
}
