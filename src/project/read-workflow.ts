import { error } from '../diagnostics/diagnostic.js';
import { didYouMean, listNames } from '../diagnostics/did-you-mean.js';
import type { InputFile } from '../schema/input-file.js';
import { checkName } from './check-name.js';
import type { DiagnosticSink } from '../diagnostics/reporter.js';
import { isBroken, type LoadScope } from '../resolve/scope.js';
import type { ApprovalRule, InputAction, InputColumn, Transition } from '../ir/types.js';
import { keyLoc, pathLoc, type YamlDoc } from './yaml-file.js';

type YamlPath = readonly PropertyKey[];

/** True when `role` is declared under `roles:` (or its declaration is broken); else an `unknown-role` error at `path`. */
export function checkRole(yd: YamlDoc, path: YamlPath, role: string, scope: LoadScope, sink: DiagnosticSink): boolean {
  if (scope.roles[role] || isBroken(scope.broken.roles, role)) return true;
  const names = Object.keys(scope.roles);
  sink.add(error('unknown-role', `role \`${role}\` is not declared under \`roles:\` in project.yml; roles: ${listNames(names)}`, pathLoc(yd, path), didYouMean(role, names)));
  return false;
}

/** `transitions:` of an enum column: every from/to must be one of its values; roles must be declared. */
export function readTransitions(
  yd: YamlDoc,
  col: InputColumn,
  raw: Record<string, (string | { to: string; roles?: string[] | undefined })[]>,
  scope: LoadScope,
  sink: DiagnosticSink,
): Record<string, Transition[]> | undefined {
  const base = ['columns', col.name, 'transitions'];
  if (col.type.kind !== 'enum') {
    sink.add(error('rule-not-applicable', `\`transitions\` apply only to enum columns; \`${col.name}\` is ${col.type.kind}`, keyLoc(yd, base)));
    return undefined;
  }
  const values = col.type.values;
  const out: Record<string, Transition[]> = {};
  for (const [from, moves] of Object.entries(raw)) {
    if (!values.includes(from)) sink.add(error('invalid-value', `transition from \`${from}\`, which is not a value of \`${col.name}\` (${listNames(values)})`, keyLoc(yd, [...base, from]), didYouMean(from, values)));
    out[from] = moves.map((m, i) => {
      const t: Transition = typeof m === 'string' ? { to: m } : { to: m.to, ...(m.roles ? { roles: m.roles } : {}) };
      if (!values.includes(t.to)) sink.add(error('invalid-value', `transition to \`${t.to}\`, which is not a value of \`${col.name}\` (${listNames(values)})`, pathLoc(yd, [...base, from, i]), didYouMean(t.to, values)));
      (t.roles ?? []).forEach((r, j) => checkRole(yd, [...base, from, i, 'roles', j], r, scope, sink));
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
  sink: DiagnosticSink,
): void {
  const base = ['columns', col.name];
  if (col.type.kind !== 'enum') {
    for (const k of ['initial', 'locked'] as const)
      if (raw[k]) sink.add(error('rule-not-applicable', `\`${k}\` applies only to enum columns; \`${col.name}\` is ${col.type.kind}`, keyLoc(yd, [...base, k])));
    return;
  }
  const values = col.type.values;
  const known = (v: string, path: YamlPath, what: string) => {
    if (values.includes(v)) return true;
    sink.add(error('invalid-value', `${what} \`${v}\`, which is not a value of \`${col.name}\` (${listNames(values)})`, pathLoc(yd, path), didYouMean(v, values)));
    return false;
  };
  if (raw.initial) {
    raw.initial.forEach((v, i) => known(v, [...base, 'initial', i], 'initial status'));
    if (typeof col.default === 'string' && !raw.initial.includes(col.default))
      sink.add(error('invalid-default', `default '${col.default}' is not one of the initial statuses ${listNames(raw.initial)}`, pathLoc(yd, [...base, 'default'])));
    col.initial = raw.initial;
  }
  if (raw.locked) {
    for (const [status, roles] of Object.entries(raw.locked)) {
      if (!values.includes(status))
        sink.add(error('invalid-value', `locked status \`${status}\`, which is not a value of \`${col.name}\` (${listNames(values)})`, keyLoc(yd, [...base, 'locked', status]), didYouMean(status, values)));
      roles.forEach((r, j) => checkRole(yd, [...base, 'locked', status, j], r, scope, sink));
    }
    col.locked = raw.locked;
  }
}

/** `approval:` — roles declared, condition columns declared. */
export function readApproval(yd: YamlDoc, raw: NonNullable<InputFile['approval']>, columns: InputColumn[], scope: LoadScope, sink: DiagnosticSink): ApprovalRule {
  const rule: ApprovalRule = {};
  if (raw.required_for) {
    raw.required_for.forEach((r, i) => checkRole(yd, ['approval', 'required_for', i], r, scope, sink));
    rule.requiredFor = raw.required_for;
  }
  if (raw.when) {
    const names = columns.map((c) => c.name);
    for (const c of Object.keys(raw.when))
      if (!names.includes(c)) sink.add(error('unknown-column', `approval condition on \`${c}\`, which is not a column of this input`, keyLoc(yd, ['approval', 'when', c]), didYouMean(c, names)));
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
  sink: DiagnosticSink,
): Record<string, InputAction> {
  const out: Record<string, InputAction> = {};
  const names = columns.map((c) => c.name);
  for (const [name, a] of Object.entries(raw)) {
    checkName(sink, yd, ['actions', name], name, 'action');
    for (const c of Object.keys(a.set)) {
      if (!names.includes(c)) sink.add(error('unknown-column', `action \`${name}\` sets \`${c}\`, which is not a column of this input`, keyLoc(yd, ['actions', name, 'set', c]), didYouMean(c, names)));
      else if (key.includes(c)) sink.add(error('invalid-value', `action \`${name}\` cannot set the key column \`${c}\``, keyLoc(yd, ['actions', name, 'set', c])));
    }
    (a.roles ?? []).forEach((r, i) => checkRole(yd, ['actions', name, 'roles', i], r, scope, sink));
    if (a.webhook && !/^https?:\/\//.test(a.webhook.url))
      sink.add(error('invalid-value', `webhook url must start with http:// or https://, found \`${a.webhook.url}\``, pathLoc(yd, ['actions', name, 'webhook', 'url'])));
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
