// Scenarios: the picker (`?scenario=` on reads and writes), "new scenario from…", compare and reset to parent
// (promote and archive: scenario-actions.js).
// The list, create and compare use GET/POST /api/v1/scenarios; without them the picker still opens a scenario by name.
import { api, query } from './api.js';
import { h, modal, replace, toast } from './dom.js';
import { display } from './rules.js';
import { checkScenarioName } from './scenario-name.js';
import { difference, total } from './totals.js';

const pick = (o, snake, camel) => o?.[snake] ?? o?.[camel] ?? null;

/**
 * Scenarios known to the server (`base` first) and whether the caller may create one, or null when
 * the server has no scenario API. Each scenario says whether the caller may archive it (the server
 * decides; a server that does not say leaves the buttons on and answers 403).
 */
export async function loadScenarios() {
  const res = await api('GET', '/api/v1/scenarios');
  if (!res.ok || !Array.isArray(res.body?.scenarios)) return null;
  const scenarios = res.body.scenarios
    .filter((s) => !pick(s, 'archived_at', 'archivedAt'))
    .map((s) => (typeof s === 'string'
      ? { name: s, parent: null, mayArchive: true }
      : { name: s.name, parent: s.parent ?? null, by: pick(s, 'created_by', 'createdBy'), mayArchive: s.permissions?.archive ?? true }));
  return { scenarios, mayCreate: res.body.permissions?.create ?? true };
}

/** Switch the page to scenario `name` (asks before dropping unsaved changes). */
export async function switchScenario(page, name) {
  if (page.dirtyRows().length && !window.confirm('Switching scenario discards your unsaved changes. Continue?')) return false;
  page.rows = [];
  page.scenario = name;
  const url = new URL(location.href);
  if (name === 'base') url.searchParams.delete('scenario'); else url.searchParams.set('scenario', name);
  history.replaceState(null, '', url);
  page.renderToolbar();
  await page.reload();
  return true;
}

/** The toolbar group: picker, and with the scenario API "New…", "Compare…" and `extra` (promote, archive). */
export function scenarioTools(page, extra = null) {
  return h('div', { class: 'tool-group' }, scenarioPicker(page), scenarioButtons(page, extra));
}

/** The scenario picker with its label (always in view: a planner must see which scenario they edit). */
export function scenarioPicker(page) {
  const names = page.scenarios.map((s) => s.name);
  const select = h('select', { id: 'scenario', 'aria-label': 'Scenario' },
    page.scenarios.map((s) => h('option', { value: s.name, text: s.parent ? `${s.name} (from ${s.parent})` : s.name, selected: s.name === page.scenario })),
    page.scenarioApi ? null : h('option', { value: '__other', text: 'Other…' }));
  select.addEventListener('change', async () => {
    let name = select.value;
    if (name === '__other') name = (window.prompt('Open the scenario named:') ?? '').trim();
    if (!name || !(await switchScenario(page, name))) { select.value = page.scenario; return; }
    if (!names.includes(name)) page.scenarios.push({ name, parent: null });
    page.renderToolbar();
  });
  return [h('label', { for: 'scenario', class: 'tool-label', text: 'Scenario' }), select];
}

/** With the scenario API: "New…", "Compare…" and `extra` (promote, archive). */
export function scenarioButtons(page, extra = null) {
  return [
    page.scenarioApi && page.canWrite && page.mayCreateScenario ? h('button', { type: 'button', id: 'new-scenario', onclick: () => newScenario(page) }, 'New…') : null,
    page.scenarioApi ? h('button', { type: 'button', id: 'compare', onclick: () => compareScenarios(page) }, 'Compare…') : null,
    extra,
  ];
}

/** "New scenario from…": name, parent, description → POST /api/v1/scenarios, then open it. */
export async function newScenario(page) {
  const name = h('input', { id: 'scn-name', required: true, autocomplete: 'off', 'aria-describedby': 'scn-help scn-error' });
  const from = h('select', { id: 'scn-from' }, page.scenarios.map((s) => h('option', { value: s.name, text: s.name, selected: s.name === page.scenario })));
  const desc = h('input', { id: 'scn-desc', autocomplete: 'off' });
  const error = h('p', { class: 'field-error', id: 'scn-error', role: 'alert' });
  const form = h('form', { method: 'dialog' },
    h('h2', { id: 'scn-title', text: 'New scenario' }),
    h('label', { for: 'scn-name', text: 'Name' }), name,
    h('p', { class: 'help', id: 'scn-help', text: 'A lower-case letter, then lower-case letters, digits and _; at most 63 (e.g. stretch_q4).' }),
    h('label', { for: 'scn-from', text: 'Starts from' }), from,
    h('p', { class: 'help', text: 'A new scenario stores only what you change in it; everything else follows its parent.' }),
    h('label', { for: 'scn-desc', text: 'Description (optional)' }), desc,
    error,
    h('div', { class: 'dialog-actions' },
      h('button', { type: 'button', text: 'Cancel', onclick: () => dialog.close('cancel') }),
      h('button', { type: 'submit', class: 'primary', id: 'scn-create', text: 'Create scenario' })));
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'scn-title' }, form);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const invalid = checkScenarioName(name.value.trim());
    if (invalid) { replace(error, invalid.message); name.setAttribute('aria-invalid', 'true'); name.focus(); return; }
    const res = await api('POST', '/api/v1/scenarios', { name: name.value.trim(), from: from.value, ...(desc.value.trim() ? { description: desc.value.trim() } : {}) });
    if (!res.ok) {
      error.textContent = [res.body.error.message, ...res.body.error.details.map((d) => d.message)].join(' — ');
      name.setAttribute('aria-invalid', 'true');
      name.focus();
      return;
    }
    dialog.close('ok');
    page.scenarios = (await loadScenarios())?.scenarios ?? page.scenarios;
    await switchScenario(page, name.value.trim());
    toast(`Scenario ${name.value.trim()} created from ${from.value}`, 'ok');
  });
  const closed = modal(dialog);
  name.focus();
  return closed;
}

/** Compare two scenarios of this table: per key, the differing values and numeric deltas. */
export async function compareScenarios(page) {
  const names = page.scenarios.map((s) => s.name);
  const other = page.scenario !== 'base' ? page.scenario : names.find((n) => n !== 'base') ?? 'base';
  const a = h('select', { id: 'cmp-a' }, names.map((n) => h('option', { value: n, text: n, selected: n === 'base' })));
  const b = h('select', { id: 'cmp-b' }, names.map((n) => h('option', { value: n, text: n, selected: n === other })));
  const out = h('div', { class: 'compare-out', 'aria-live': 'polite' });
  const run = async () => {
    replace(out, h('p', { class: 'loading', text: 'Comparing…' }));
    const res = await api('GET', `/api/v1/scenarios/compare${query({ a: a.value, b: b.value, table: page.meta.name })}`);
    if (!res.ok) return replace(out, h('p', { class: 'field-error', role: 'alert', text: res.body.error.message }));
    const table = (res.body.tables ?? []).find((t) => t.table === page.meta.name) ?? { rows: res.body.rows ?? [] };
    if (table.rows.length === 0) return replace(out, h('p', { class: 'empty', text: `${a.value} and ${b.value} have the same values.` }));
    const colOf = (n) => page.meta.columns.find((c) => c.name === n) ?? { type: 'string' };
    const cols = [...new Set(table.rows.flatMap((r) => r.changes.map((c) => c.column)))];
    replace(out,
      h('p', { class: 'paste-summary', id: 'compare-summary', text: `${table.rows.length} ${table.rows.length === 1 ? 'row differs' : 'rows differ'} between ${a.value} and ${b.value}.` }),
      h('div', { class: 'paste-preview', role: 'region', 'aria-label': 'Rows that differ', tabindex: '0' }, h('table', { class: 'grid compare' },
        h('thead', {}, h('tr', {}, page.keyCols.map((k) => h('th', { scope: 'col', text: k.name })), h('th', { scope: 'col', text: 'Status' }),
          cols.map((c) => h('th', { scope: 'col', class: 'num', text: c })))),
        h('tbody', {}, table.rows.map((r) => h('tr', { class: r.status },
          page.keyCols.map((k) => h('td', { text: String(r.key[k.name] ?? '') })),
          h('td', { class: 'kind', text: r.status === 'changed' ? '' : r.status === 'only_in_a' ? `only in ${a.value}` : `only in ${b.value}` }),
          cols.map((c) => {
            const ch = r.changes.find((x) => x.column === c);
            if (!ch) return h('td', {});
            const d = ch.delta;
            return h('td', { class: 'diff num' },
              h('span', { class: 'a', text: display(colOf(c), ch.a) || '—' }), h('span', { class: 'arrow', text: ' → ' }),
              h('span', { class: 'b', text: display(colOf(c), ch.b) || '—' }),
              d !== undefined && d !== null ? h('span', { class: `delta ${String(d).startsWith('-') ? 'down' : 'up'}`, text: ` ${String(d).startsWith('-') ? '' : '+'}${display(colOf(c), d)}` }) : null);
          })))),
        compareTotals(table.rows, cols, colOf, page.keyCols.length + 1))));
  };
  a.addEventListener('change', run);
  b.addEventListener('change', run);
  const dialog = h('dialog', { class: 'dialog wide', 'aria-labelledby': 'cmp-title' },
    h('h2', { id: 'cmp-title', text: `Compare scenarios of ${page.meta.name}` }),
    h('div', { class: 'tool-group' }, h('label', { for: 'cmp-a', text: 'From' }), a, h('label', { for: 'cmp-b', text: 'to' }), b),
    out,
    h('form', { method: 'dialog', class: 'dialog-actions' }, h('button', { text: 'Close' })));
  const closed = modal(dialog);
  await run();
  return closed;
}

/**
 * The totals row of a comparison: per numeric column, the sum over the differing rows in a → in b
 * and the difference (a row only in one scenario counts as nothing in the other).
 */
function compareTotals(rows, cols, colOf, lead) {
  const sums = cols.map((c) => {
    const pairs = rows.map((r) => r.changes.find((x) => x.column === c)).filter(Boolean);
    const a = total(colOf(c), pairs.map((x) => x.a));
    const b = total(colOf(c), pairs.map((x) => x.b));
    return { c, a, b, d: difference(colOf(c), a, b) };
  });
  if (sums.every((x) => x.a === undefined)) return null;
  const shown = (c, v) => (v === null || v === undefined ? '—' : display(colOf(c), v));
  return h('tfoot', {}, h('tr', { class: 'totals', id: 'compare-totals' },
    h('th', { scope: 'row', colspan: lead, text: `Total of ${rows.length} ${rows.length === 1 ? 'row' : 'rows'}` }),
    sums.map((x) => (x.a === undefined ? h('td', {}) : h('td', { class: 'diff num total', dataset: { col: x.c } },
      h('span', { class: 'a', text: shown(x.c, x.a) }), h('span', { class: 'arrow', text: ' → ' }), h('span', { class: 'b', text: shown(x.c, x.b) }),
      x.d !== undefined && x.d !== null ? h('span', { class: `delta ${String(x.d).startsWith('-') ? 'down' : 'up'}`, text: ` ${String(x.d).startsWith('-') ? '' : '+'}${display(colOf(x.c), x.d)}` }) : null)))));
}

/** Remove this scenario's override of a row so it follows the parent again. */
export async function resetRow(page, row) {
  const res = await api('POST', `/api/v1/inputs/${encodeURIComponent(page.meta.name)}/reset`, { keys: [page.keyOf(row)], scenario: page.scenario });
  if (!res.ok) return toast(res.body.error.message, 'error');
  await page.reload();
  page.setStatus(`${page.keyLabel(row)} follows ${page.parentScenario() ?? 'its parent'} again`, 'ok');
  toast(`${page.keyLabel(row)} follows ${page.parentScenario() ?? 'its parent'} again`, 'ok');
}
