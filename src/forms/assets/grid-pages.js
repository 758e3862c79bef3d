// The grid's rows come a page at a time from GET /api/v1/inputs/{t}/grid: the server filters, sorts,
// counts and sums every row the caller may read, so the grid reaches any number of rows. Here: the
// request, the pager, the totals row, pinned key columns and the narrow toolbar's "More" menu.
import { api, query } from './api.js';
import { h, replace } from './dom.js';
import { display, isNumeric } from './rules.js';

/** Page sizes a planner may choose. */
export const PAGE_SIZES = [50, 100, 500];
/** Below this width the toolbar folds its secondary actions into "More". */
export const NARROW = window.matchMedia('(max-width: 720px)');

/** Whole numbers with thousands separators. */
const count = (n) => n.toLocaleString('en-US');

/**
 * One page of the grid of `page` (its scenario, filter text, sort, page and page size):
 * `{ rows, total, totals, context, parentRows, outside }` or `{ error }`. The pivot asks only for
 * the across values it shows (`requestedValues`); then `outside` counts the rows of other values,
 * from a one-row request for the same rows without that filter, sent beside the page's.
 */
export async function fetchGridPage(page) {
  const pivot = page.pivot?.active ? page.pivot : null;
  const same = {
    scenario: page.meta.scenarios && page.scenario !== 'base' ? page.scenario : undefined,
    q: page.filter.trim() || undefined,
    // template rows of a table with `planning:`; the pivot pages over its down keys (every across value of each)
    template: page.meta.planning ? 'true' : undefined,
  };
  const across = pivot?.requestedValues();
  const params = {
    ...same,
    sort: page.sort ? `${page.sort.name}:${page.sort.dir}` : undefined,
    offset: page.page * page.pageSize || undefined,
    limit: page.pageSize,
    group_by: pivot ? pivot.downCols.map((c) => c.name).join(',') : undefined,
    ...(across ? { [`filter.${pivot.across}`]: across } : {}),
  };
  const path = `/api/v1/inputs/${encodeURIComponent(page.meta.name)}/grid`;
  const [res, all] = await Promise.all([api('GET', `${path}${query(params)}`), across ? api('GET', `${path}${query({ ...same, limit: 1 })}`) : null]);
  if (!res.ok) return { error: res.body.error };
  const b = res.body;
  return {
    rows: b.rows,
    total: b.total,
    totals: b.totals,
    totalGroups: b.total_groups,
    context: b.context ?? null,
    parentRows: b.parent_rows ?? null,
    outside: all?.ok ? Math.max(0, all.body.total - b.total) : 0,
  };
}

/** The pager: "1–50 of 123,456 rows" (groups in the pivot), first/previous/next/last page, the page size. */
export function renderPager(page, shownSaved) {
  const grouped = Boolean(page.pivot?.active) && page.totalGroups !== undefined;
  const total = grouped ? page.totalGroups : page.total;
  const noun = grouped ? ['group', 'groups'] : ['row', 'rows'];
  const pages = Math.max(1, Math.ceil(total / page.pageSize));
  const from = shownSaved === 0 ? 0 : page.page * page.pageSize + 1;
  const to = page.page * page.pageSize + shownSaved;
  const go = (p) => { page.page = Math.max(0, Math.min(p, pages - 1)); page.reload(); };
  const size = h('select', { id: 'page-size', 'aria-label': 'Rows per page' },
    PAGE_SIZES.map((n) => h('option', { value: String(n), text: `${n} per page`, selected: n === page.pageSize })));
  size.addEventListener('change', () => { page.pageSize = Number(size.value); page.page = 0; page.reload(); });
  const last = page.page >= pages - 1;
  replace(page.pager,
    h('span', { class: 'count', text: `${count(from)}–${count(to)} of ${count(total)} ${noun[total === 1 ? 0 : 1]}` }),
    h('button', { type: 'button', 'aria-label': 'First page', disabled: page.page === 0, onclick: () => go(0), text: '«' }),
    h('button', { type: 'button', 'aria-label': 'Previous page', disabled: page.page === 0, onclick: () => go(page.page - 1), text: '‹' }),
    h('span', { class: 'page-no', text: `Page ${count(page.page + 1)} of ${count(pages)}` }),
    h('button', { type: 'button', 'aria-label': 'Next page', disabled: last, onclick: () => go(page.page + 1), text: '›' }),
    h('button', { type: 'button', 'aria-label': 'Last page', disabled: last, onclick: () => go(pages - 1), text: '»' }),
    size);
}

/** The totals row (a tfoot) under the grid: the sum of each numeric input column over every matching row. */
export function renderTotals(page, tfoot) {
  const summed = page.inputCols.filter((c) => isNumeric(c) && Object.hasOwn(page.totals ?? {}, c.name));
  if (summed.length === 0 || page.total === 0) return replace(tfoot);
  const cols = page.columnsShown();
  const label = `Total (${count(page.total)} ${page.total === 1 ? 'row' : 'rows'})`;
  const labelAt = cols.findIndex((c) => c.kind === 'key');
  replace(tfoot, h('tr', { class: 'totals' },
    h('td', { class: 'mark' }),
    page.canSelect ? h('td', { class: 'select' }) : null,
    cols.map((c, i) => {
      if (i === labelAt) return h('th', { scope: 'row', class: 'key total-label', text: label });
      if (c.kind !== 'input' || !summed.includes(c.col)) return h('td', { class: c.kind });
      const v = page.totals[c.col.name];
      return h('td', { class: 'input num', dataset: { col: c.col.name }, text: v === null ? '—' : display(c.col, v) });
    }),
    h('td', { class: 'meta' }),
    h('td', { class: 'row-actions' })));
}

/**
 * Pin the first `n` columns (row state, selection, key columns) to the left of the grid's frame:
 * each cell gets `data-pinned` (`position: sticky` in app.css) at the summed widths of the columns before it.
 */
export function pinColumns(table, n) {
  const head = table.tHead?.rows[0];
  if (!head) return;
  for (const cell of table.querySelectorAll('[data-pinned]')) { delete cell.dataset.pinned; cell.style.left = ''; }
  const lefts = [];
  let left = 0;
  for (let i = 0; i < n && i < head.cells.length; i++) {
    lefts.push(left);
    left += head.cells[i].getBoundingClientRect().width;
  }
  // a focused cell scrolls into view beside the pinned columns, header and totals, not under them
  const frame = table.parentElement;
  if (frame) {
    frame.style.scrollPaddingLeft = `${left}px`;
    frame.style.scrollPaddingTop = `${table.tHead.getBoundingClientRect().height}px`;
    frame.style.scrollPaddingBottom = `${table.tFoot?.getBoundingClientRect().height ?? 0}px`;
  }
  for (const tr of table.querySelectorAll('thead tr, tbody tr.row, tfoot tr')) {
    lefts.forEach((l, i) => {
      const cell = tr.cells[i];
      if (!cell) return;
      cell.dataset.pinned = '';
      cell.style.left = `${l}px`;
    });
  }
}

/**
 * A keyboard-operable "More" menu (a <details>): Enter or Space on its summary opens it, Esc closes
 * it and returns focus to the summary, a click elsewhere closes it. `state.open` keeps it open
 * across re-renders.
 */
export function moreMenu(state, items) {
  const menu = h('details', { class: 'more', id: 'more-menu', open: Boolean(state.open) },
    h('summary', { class: 'button', 'aria-label': 'More actions', text: 'More' }),
    h('div', { class: 'menu', role: 'group', 'aria-label': 'More actions' }, items));
  menu.addEventListener('toggle', () => { state.open = menu.open; });
  menu.querySelector('.menu').addEventListener('click', (e) => { if (e.target.closest('button')) menu.open = false; });
  menu.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && menu.open) { e.stopPropagation(); menu.open = false; menu.querySelector('summary').focus(); }
  });
  if (!state.wired) {
    state.wired = true;
    document.addEventListener('click', (e) => {
      const open = document.getElementById('more-menu');
      if (open?.open && !open.contains(e.target)) open.open = false;
    });
  }
  return menu;
}
