// @ts-check
/**
 * What a scenario may be called: the one rule for reads, writes and `create`, which the planner
 * form loads too (served unchanged as /assets/scenario-name.js). Plain JavaScript, no imports.
 */

/** A lower-case letter, then lower-case letters, digits and `_`; at most 63 characters. */
export const SCENARIO_NAME_RE = /^[a-z][a-z0-9_]{0,62}$/;

/**
 * `bad_request` naming the scenario when it is not a valid scenario name; undefined when it is.
 * @param {string} name
 * @returns {{ code: 'bad_request', message: string, details: { column: string, message: string }[] } | undefined}
 */
export function checkScenarioName(name) {
  if (SCENARIO_NAME_RE.test(name)) return undefined;
  const shown = name.length > 70 ? `${name.slice(0, 70)}…` : name;
  return {
    code: 'bad_request',
    message: `invalid scenario name '${shown}' (a lower-case letter, then lower-case letters, digits and _; at most 63 characters)`,
    details: [{ column: 'scenario', message: `invalid scenario name '${shown}'` }],
  };
}
