// `/models/{model}`: one model's merged rows, read only, as BI tools read them — under the caller's row
// filters (the server applies them), per scenario when the model reads an input with scenarios, a page at a
// time. Cells an input overrides are marked (the view's `_overridden` names them per row) with the source's
// own value beside them, read from the input's linked source (`GET /inputs/{t}/context`, same row filter).
import { api, query } from './api.js';
import { h, replace } from './dom.js';
import { readableModels } from './model-links.js';
import { loadScenarios } from './scenarios.js';

/** Rows per page. */
const PAGE_SIZE = 50;
/** Source rows read to show the values an input overrides (the context route's largest page). */
const SOURCE_ROWS = 10000;
/** System columns of a view that are shown as marks, not as columns. */
const HIDDEN = new Set(['_overridden', '_scenario']);

const text = (v) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

function errorState(main, title, message) {
  replace(main, h('div', { class: 'card error-state', role: 'alert' }, h('h1', { text: title }), h('p', { text: message }), h('p', {}, h('a', { href: '/', text: '← All tables' }))));
}

/**
 * For each input that overrides base columns: its source rows by the base columns it joins on, when
 * the input links to the model's base relation (else the source values are not shown).
 */
async function overrideSources(info) {
  const out = [];
  for (const use of info.uses.filter((u) => u.overrides)) {
    const res = await api('GET', `/api/v1/inputs/${encodeURIComponent(use.input)}/context${query({ limit: SOURCE_ROWS })}`);
    if (!res.ok || res.body.source !== info.from) continue;
    const inputCols = Object.keys(use.on);
    const byKey = new Map(res.body.rows.map((r) => [JSON.stringify(inputCols.map((c) => text(r[res.body.link[c]]))), r]));
    out.push({ use, source: res.body.source, lookup: (row) => byKey.get(JSON.stringify(inputCols.map((c) => text(row[use.on[c]])))) });
  }
  return out;
}

/** Render the model page into `main`. */
export async function renderModel(main, name, me) {
  document.title = `${name} — ${document.body.dataset.project}`;
  const info = (await readableModels()).find((m) => m.name === name);
  if (!info) {
    // the server says why (unknown model, or an input the role may not read)
    const res = await api('GET', `/api/v1/models/${encodeURIComponent(name)}/rows${query({ limit: 1 })}`);
    return errorState(main, `Cannot show ${name}`, res.ok ? `${me.user} may not read ${name}.` : res.body.error.message);
  }
  const state = { scenario: new URLSearchParams(location.search).get('scenario') || 'base', cursors: [undefined], page: 0 };
  const sources = await overrideSources(info);
  const overriddenBy = new Map(sources.flatMap((s) => s.use.columns.map((c) => [c, s])));
  const fromInput = new Map(info.uses.filter((u) => !u.overrides).flatMap((u) => u.columns.map((c) => [c, u.input])));
  const status = h('span', { class: 'save-status', id: 'model-status', role: 'status', 'aria-live': 'polite' });
  const table = h('table', { class: 'grid model', 'aria-label': `${name} rows` });
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages' });
  const summary = h('p', { class: 'help', id: 'model-summary' });
  const tools = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'View options' });

  replace(main,
    h('div', { class: 'page-head' },
      h('div', {},
        h('h1', { text: name }),
        info.description ? h('p', { class: 'sub', text: info.description }) : null,
        h('p', { class: 'sub', text: `Read only. ${info.kind}${info.from ? ` of ${info.from}` : ''}, reading ${info.inputs.map((i) => i).join(', ')}. Rows outside your row filter are not shown.` }),
        h('p', { class: 'model-links' }, 'Edit: ', info.inputs.map((i, n) => [n ? ', ' : '', h('a', { href: `/forms/${encodeURIComponent(i)}`, text: i })])))),
    tools,
    summary,
    h('div', { class: 'grid-wrap' }, table),
    h('div', { class: 'grid-foot' }, pager));

  if (info.scenarios) {
    const known = await loadScenarios();
    const names = (known?.scenarios ?? [{ name: 'base' }]).map((s) => s.name);
    if (!names.includes(state.scenario)) names.push(state.scenario);
    const select = h('select', { id: 'model-scenario', 'aria-label': 'Scenario' }, names.map((n) => h('option', { value: n, text: n, selected: n === state.scenario })));
    select.addEventListener('change', () => {
      state.scenario = select.value;
      state.cursors = [undefined];
      state.page = 0;
      const url = new URL(location.href);
      if (state.scenario === 'base') url.searchParams.delete('scenario'); else url.searchParams.set('scenario', state.scenario);
      history.replaceState(null, '', url);
      load();
    });
    replace(tools, h('div', { class: 'tool-group' }, h('label', { for: 'model-scenario', class: 'tool-label', text: 'Scenario' }), select), h('div', { class: 'tool-group' }, status));
  } else {
    // nothing to choose: the status line goes under the grid
    tools.hidden = true;
    pager.before(status);
  }

  function header(col) {
    const by = overriddenBy.get(col);
    const input = fromInput.get(col);
    const sub = by ? ` (corrected by ${by.use.input})` : input ? ` (from ${input})` : '';
    return h('th', { scope: 'col', dataset: { col } }, col, sub ? h('span', { class: 'sub-label', text: sub }) : null);
  }

  function cell(row, col, overridden) {
    const by = overriddenBy.get(col);
    if (!overridden.includes(col)) return h('td', { dataset: { col }, text: text(row[col]) });
    const src = by?.lookup(row);
    const was = src ? text(src[col]) : undefined;
    return h('td', { class: 'overridden', dataset: { col }, title: was !== undefined ? `Corrected; ${by.source} has ${was || 'no value'}` : 'Corrected by an input' },
      h('span', { class: 'v', text: text(row[col]) }),
      was !== undefined ? h('span', { class: 'source-value', text: `${by.source.split('.')[0]}: ${was || '—'}` }) : null,
      h('span', { class: 'sr-only', text: ' (corrected)' }));
  }

  async function load() {
    status.textContent = 'Loading…';
    const cursor = state.cursors[state.page];
    const res = await api('GET', `/api/v1/models/${encodeURIComponent(name)}/rows${query({ limit: PAGE_SIZE, cursor, scenario: info.scenarios && state.scenario !== 'base' ? state.scenario : undefined })}`);
    if (!res.ok) {
      status.textContent = '';
      replace(table);
      replace(pager);
      replace(summary, h('span', { class: 'field-error', role: 'alert', text: res.body.error.message }));
      return;
    }
    const rows = res.body.rows;
    state.cursors[state.page + 1] = res.body.next_cursor ?? undefined;
    const cols = rows.length ? Object.keys(rows[0]).filter((c) => !HIDDEN.has(c)) : [];
    let marked = 0;
    replace(table,
      h('thead', {}, h('tr', {}, cols.map(header))),
      h('tbody', {}, rows.length === 0
        ? h('tr', { class: 'empty-row' }, h('td', {}, h('p', { class: 'empty', text: 'No rows.' })))
        : rows.map((r) => {
          const overridden = typeof r._overridden === 'string' ? r._overridden.split(',') : [];
          if (overridden.length) marked++;
          return h('tr', { class: `row${overridden.length ? ' corrected' : ''}` }, cols.map((c) => cell(r, c, overridden)));
        })));
    const from = state.page * PAGE_SIZE + (rows.length ? 1 : 0);
    const to = state.page * PAGE_SIZE + rows.length;
    replace(summary, overriddenBy.size ? `${marked} of the rows shown ${marked === 1 ? 'has' : 'have'} a corrected value (marked; the source's value beside it).` : '');
    replace(pager,
      h('span', { class: 'count', text: `Rows ${from}–${to}${res.body.next_cursor ? '' : ` of ${to}`}` }),
      h('button', { type: 'button', 'aria-label': 'Previous page', disabled: state.page === 0, onclick: () => { state.page--; load(); }, text: '‹' }),
      h('span', { text: `Page ${state.page + 1}` }),
      h('button', { type: 'button', 'aria-label': 'Next page', disabled: !res.body.next_cursor, onclick: () => { state.page++; load(); }, text: '›' }));
    status.textContent = state.scenario !== 'base' ? `Scenario ${state.scenario}` : '';
  }
  await load();
}
