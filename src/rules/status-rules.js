// @ts-check
/**
 * The status workflow rules of an enum column: where a new row may start (`initial`), which moves
 * are declared (`transitions`, optionally per role), and which statuses lock a row (`locked`).
 * The write path decides every write with this module, inside its transaction; the planner form
 * loads this very file (served unchanged as /assets/status-rules.js) to offer only what the server
 * will accept. Plain JavaScript with JSDoc types and no imports.
 *
 * Roles: `undefined` is the administrator, bound by the declared moves and `initial` (the workflow
 * itself) but by no role requirement and no lock.
 */

/** @typedef {{ to: string, roles?: string[] }} StatusMove */
/**
 * What the rules read of a column (the project IR's `InputColumn` has these fields).
 * @typedef {{ name: string, default?: unknown, transitions?: Record<string, StatusMove[]>,
 *   initial?: string[], locked?: Record<string, string[]> }} StatusColumn
 */
/** @typedef {{ kind: 'invalid' | 'forbidden', message: string }} StatusProblem */

/** @param {string[]} values */
const list = (values) => values.map((v) => `'${v}'`).join(', ');

/**
 * The statuses a row may start in (a new row, or one whose status was never set): the declared
 * `initial`, else the column's default; undefined when neither is declared (any value).
 * @param {StatusColumn} col
 * @returns {string[] | undefined}
 */
export function initialStatuses(col) {
  if (col.initial) return col.initial;
  if (col.transitions && typeof col.default === 'string') return [col.default];
  return undefined;
}

/**
 * Why `role` may not move a row's status from `from` (null: the row is new or has none) to `to`
 * (the value after the write), or undefined. Staying put is always allowed.
 * @param {StatusColumn} col
 * @param {string | undefined} role
 * @param {string | null} from
 * @param {string | null} to
 * @returns {StatusProblem | undefined}
 */
export function moveProblem(col, role, from, to) {
  if (from === to) return undefined;
  if (from === null) {
    const initial = initialStatuses(col);
    if (!initial || to === null || initial.includes(to)) return undefined;
    return { kind: 'invalid', message: `a new row's ${col.name} must start as ${list(initial)}, not '${to}'` };
  }
  if (!col.transitions) return undefined;
  // clearing the value would let the next write start anywhere: not a declared move
  if (to === null) return { kind: 'invalid', message: `${col.name} cannot be cleared once set (it is '${from}')` };
  const moves = (Object.hasOwn(col.transitions, from) ? col.transitions[from] : undefined) ?? [];
  const move = moves.find((m) => m.to === to);
  if (!move) {
    const allowed = moves.map((m) => m.to);
    return {
      kind: 'invalid',
      message: `${col.name} cannot go from '${from}' to '${to}'${allowed.length ? ` (from '${from}' it may go to ${list(allowed)})` : ` ('${from}' is final)`}`,
    };
  }
  if (move.roles && role !== undefined && !move.roles.includes(role))
    return { kind: 'forbidden', message: `moving ${col.name} from '${from}' to '${to}' needs role ${move.roles.join(' or ')}` };
  return undefined;
}

/**
 * Why `role` may not change (or delete) a row whose status is `current`, because that status
 * locks it (`locked: { approved: [finance] }`: only finance may still change an approved row), or
 * undefined.
 * @param {StatusColumn} col
 * @param {string | undefined} role
 * @param {string | null} current
 * @returns {string | undefined}
 */
export function lockProblem(col, role, current) {
  if (role === undefined || current === null || !col.locked || !Object.hasOwn(col.locked, current)) return undefined;
  const roles = col.locked[current] ?? [];
  if (roles.includes(role)) return undefined;
  return `the row is ${col.name} '${current}', which locks it${roles.length ? ` (only ${roles.join(' or ')} may change it)` : ''}`;
}

/**
 * The statuses `role` may give a row whose status is `from` (null: a new row), itself included;
 * undefined when any value is allowed. The form offers exactly these.
 * @param {StatusColumn} col
 * @param {string | undefined} role
 * @param {string | null} from
 * @param {string[]} values every value of the enum
 * @returns {string[] | undefined}
 */
export function allowedStatuses(col, role, from, values) {
  if (from === null) return initialStatuses(col);
  if (!col.transitions) return undefined;
  return values.filter((to) => !moveProblem(col, role, from, to));
}
