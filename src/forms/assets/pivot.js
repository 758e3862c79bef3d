// The pivoted planning layout of a table declaring `planning: { layout: pivot }`: the linked rows
// down (the key columns other than the across column, and the `planning.label` source column), the
// across values as columns, the `planning.value` column of the one keyed row behind each cell, row
// and column totals, and the `planning.context` value (e.g. the actuals of that account and
// quarter) under each cell and under each total. Cells are the FormPage's own cells (fillCell,
// startEdit, setCell, save, conflicts), so editing a cell edits that keyed row exactly as the flat
// grid does; a "Pivot / Table" switch shows the flat grid instead.
import { api, query } from './api.js';
import { pasteCells } from './clipboard.js';
import { h, replace } from './dom.js';
import { cellKeydown } from './keys.js';
import { parseTsv } from './paste.js';
import { display, typeOf, validate } from './rules.js';
import { edit } from './undo.js';

/** The pivot view of `page`, or null when the table does not declare a pivot layout. */
export function pivotView(page) {
  const planning = page.meta.planning;
  if (!planning || planning.layout !== 'pivot' || !planning.value) return null;
  const valueCol = page.meta.columns.find((c) => c.name === planning.value);
  return valueCol ? new PivotView(page, planning, valueCol) : null;
}

/**
 * Bytes of query string the pivot's across filter may take (see requestedValues): far below the
 * request-line limits of the servers in front of writeback (nginx's default buffer is 8 KB,
 * Node's whole header limit 16 KiB).
 */
const MAX_ACROSS_QUERY_BYTES = 4096;

const keyJson = (values) => JSON.stringify(values.map((v) => String(v ?? '')));

class PivotView {
  constructor(page, planning, valueCol) {
    this.page = page;
    this.planning = planning;
    this.valueCol = valueCol;
    this.across = planning.across.column;
    /** The across values: declared, or (from a source column) those the loaded rows carry, ordered. */
    this.values = planning.across.source ? [] : planning.across.values;
    this.downCols = page.keyCols.filter((c) => c.name !== this.across);
    this.scale = typeOf(valueCol).kind === 'decimal' ? typeOf(valueCol).scale : 0;
    /** JSON of [down key values…, across value] → context value (text). */
    this.context = new Map();
    this.groups = [];
    /** Rows the note counts: on the page but not saved yet, and (counted by the server with the page) of other across values. */
    this.unsaved = 0;
    this.outside = 0;
    this.active = new URLSearchParams(location.search).get('view') !== 'table';
    this.table = h('table', { class: 'grid pivot', id: 'pivot', 'aria-label': `${valueCol.name} by ${this.across}` });
    this.note = h('p', { class: 'pivot-note help', hidden: true });
    this.buttons = {
      pivot: h('button', { type: 'button', id: 'view-pivot', onclick: () => this.show(true) }, 'Pivot'),
      table: h('button', { type: 'button', id: 'view-table', onclick: () => this.show(false) }, 'Table'),
    };
    const wrap = page.table.parentElement;
    wrap.before(h('div', { class: 'layout-switch', role: 'group', 'aria-label': 'Layout' }, this.buttons.pivot, this.buttons.table));
    wrap.append(this.table);
    wrap.after(this.note);
    this.table.addEventListener('paste', (e) => this.paste(e));
    // the flat grid's selection (ranges, mouse drag) and keys (keys.js: copy, fill-down, clear, undo) on the pivot's cells
    page.sel.attach(this.table);
    this.table.addEventListener('keydown', (e) => {
      const td = e.target instanceof HTMLElement && e.target.matches('td.cell[data-row]') ? e.target : null;
      if (td) cellKeydown(page, e, td);
    });
    // totals follow the editor as the planner types, before the cell is committed
    this.table.addEventListener('input', (e) => {
      const td = e.target.closest?.('td[data-pivot].editing');
      if (td && 'value' in e.target) this.renderTotals({ td, text: e.target.value });
    });
    this.applyMode();
    this.loadContext();
  }

  show(pivot) {
    if (this.active === pivot) return;
    this.active = pivot;
    const url = new URL(location.href);
    if (pivot) url.searchParams.delete('view'); else url.searchParams.set('view', 'table');
    history.replaceState(null, '', url);
    this.applyMode();
    // focus once the layout's own page is shown (switching reloads it: the pivot pages over accounts)
    this.page.render().then(() => (pivot ? this.table.querySelector('td.editable') : this.buttons.table)?.focus());
  }

  applyMode() {
    this.page.table.hidden = this.active;
    this.table.hidden = !this.active;
    this.note.hidden = !this.active || !this.note.textContent;
    this.buttons.pivot.setAttribute('aria-pressed', String(this.active));
    this.buttons.table.setAttribute('aria-pressed', String(!this.active));
  }

  async loadContext() {
    if (!this.planning.context) return;
    const res = await api('GET', `/api/v1/inputs/${encodeURIComponent(this.page.meta.name)}/planning-context`);
    if (!res.ok) return;
    for (const r of res.body.rows) this.context.set(keyJson([...this.downCols.map((c) => r[c.name]), r[this.across]]), r.value);
    // in place: the cells (and the focus on one) stay
    for (const td of this.table.querySelectorAll('td[data-row]')) {
      const { row } = this.page.lookup(td);
      if (row && !td.classList.contains('editing')) this.fill(td, row);
    }
    this.renderTotals();
  }

  // ---- layout ---------------------------------------------------------------------------------

  label(row) {
    const name = this.planning.label;
    const ctx = name ? this.page.contextOf(row) : undefined;
    return ctx ? String(ctx[name] ?? '') : '';
  }

  /** The keyed rows grouped by their down key, each with its row per across value. */
  group() {
    const page = this.page;
    if (this.planning.across.source) {
      this.values = [...new Set(page.rows.map((r) => page.value(r, this.across)).filter((v) => v !== null && v !== undefined).map(String))].sort();
    }
    const byKey = new Map();
    let other = 0;
    for (const row of page.rows) {
      if (!row.base) { other += 1; continue; }
      const j = this.values.indexOf(String(page.value(row, this.across)));
      if (j < 0) { other += 1; continue; }
      const key = keyJson(this.downCols.map((c) => page.value(row, c.name)));
      let g = byKey.get(key);
      if (!g) byKey.set(key, (g = { key, first: row, cells: new Array(this.values.length).fill(null) }));
      g.cells[j] = row;
    }
    let groups = [...byKey.values()];
    const f = page.filter.trim().toLowerCase();
    if (f) groups = groups.filter((g) => [...this.downCols.map((c) => String(page.value(g.first, c.name))), this.label(g.first)].some((t) => t.toLowerCase().includes(f)));
    return { groups, other };
  }

  /** The cells as Selection positions: accounts (groups) down, across values across; null where no keyed row is. */
  layout() {
    const col = this.valueCol.name;
    const at = new Map();
    this.groups.forEach((g, gi) => g.cells.forEach((row, j) => { if (row) at.set(String(row.id), { r: gi, c: j }); }));
    return {
      height: this.groups.length,
      width: this.values.length,
      name: (r, c) => {
        const row = this.groups[r]?.cells[c];
        return row ? { row: String(row.id), col } : null;
      },
      indexOf: (n) => (n.col === col && at.get(String(n.row))) || { r: -1, c: -1 },
    };
  }

  width() {
    return this.downCols.length + (this.planning.label ? 1 : 0) + this.values.length + 1;
  }

  render() {
    const page = this.page;
    const { groups, other } = this.group();
    this.groups = groups;
    const ctxLabel = this.planning.context?.label;
    const head = h('tr', {},
      this.downCols.map((c) => h('th', { scope: 'col', class: 'key', text: c.name })),
      this.planning.label ? h('th', { scope: 'col', class: 'ctx ctx-first', text: this.planning.label }) : null,
      this.values.map((v) => h('th', { scope: 'col', class: 'num', title: `${this.valueCol.name} for ${v}` }, v, ctxLabel ? h('span', { class: 'pivot-ctx', text: ctxLabel }) : null)),
      h('th', { scope: 'col', class: 'num total' }, 'Total', ctxLabel ? h('span', { class: 'pivot-ctx', text: ctxLabel }) : null));
    const tbody = h('tbody', {});
    groups.forEach((g, gi) => {
      const tr = h('tr', { class: 'row', dataset: { group: String(gi) } },
        this.downCols.map((c) => h('th', { scope: 'row', class: 'key', text: String(page.value(g.first, c.name) ?? '') })),
        this.planning.label ? h('td', { class: 'ctx ctx-first', text: this.label(g.first) }) : null,
        g.cells.map((row, j) => this.cell(g, gi, row, j)),
        h('td', { class: 'num total', dataset: { total: String(gi) } }));
      tbody.append(tr);
      for (const row of g.cells) {
        if (!row) continue;
        if (row.rowError) tbody.append(h('tr', { class: 'row-note invalid' }, h('td', { colspan: this.width(), role: 'alert', text: `${page.keyLabel(row)}: ${row.rowError}` })));
        if (row.conflict) tbody.append(page.conflictRow(row, this.width()));
      }
    });
    if (groups.length === 0) {
      tbody.append(h('tr', { class: 'empty-row' }, h('td', { colspan: this.width() }, h('p', { class: 'empty', text: page.filter ? `No row matches “${page.filter}”.` : 'No rows to plan.' }))));
    }
    const foot = h('tfoot', {}, h('tr', { class: 'totals' },
      h('th', { scope: 'row', colspan: this.downCols.length + (this.planning.label ? 1 : 0), text: 'Total' }),
      this.values.map((v, j) => h('td', { class: 'num total', dataset: { colTotal: String(j) } })),
      h('td', { class: 'num total grand', dataset: { colTotal: 'all' } })));
    replace(this.table, h('caption', { class: 'sr-only', text: `${this.valueCol.name} per ${this.across}${ctxLabel ? `, with ${ctxLabel} under each value` : ''}` }), h('thead', {}, head), tbody, foot);
    page.tbody = tbody;
    this.unsaved = other;
    this.renderNote();
    this.renderTotals();
    replace(page.pager, h('span', { class: 'count', text: `${groups.length} × ${this.values.length} ${this.valueCol.name} values` }));
  }

  renderNote() {
    const n = this.unsaved + this.outside;
    this.note.textContent = n ? `${n} ${n === 1 ? 'row' : 'rows'} outside ${this.values.join(', ')} or not saved yet: see the Table view.` : '';
    this.note.hidden = !this.active || !n;
  }

  /**
   * The across values the page asks the server for (fetchGridPage): the declared ones, the
   * parameter repeated, while they fit in MAX_ACROSS_QUERY_BYTES; from a source column, or more
   * than fit: none, every row of the page's groups comes and the others are counted here.
   */
  requestedValues() {
    const values = this.values;
    if (this.planning.across.source || values.length === 0) return undefined;
    return query({ [`filter.${this.across}`]: values }).length <= MAX_ACROSS_QUERY_BYTES ? values : undefined;
  }

  cell(g, gi, row, j) {
    const page = this.page;
    const td = h('td', { dataset: { pivot: `${gi}:${j}` } });
    if (!row) {
      td.className = 'cell readonly num';
      td.append(h('span', { class: 'v null' }));
      return td;
    }
    td.dataset.row = String(row.id);
    td.dataset.col = this.valueCol.name;
    this.fill(td, row, g);
    return td;
  }

  /** The FormPage's cell, named for its account and quarter, with the context value under it. */
  fill(td, row, g = this.groups[Number(td.dataset.pivot.split(':')[0])]) {
    const page = this.page;
    page.fillCell(td, row, this.valueCol);
    const across = String(page.value(row, this.across));
    const who = [...this.downCols.map((c) => page.value(row, c.name)), this.label(g?.first ?? row)].filter(Boolean).join(' ');
    const shown = display(this.valueCol, page.value(row, this.valueCol.name));
    const error = row.errors[this.valueCol.name];
    const ctx = this.contextValue(row);
    const ctxText = ctx === undefined ? '' : this.formatNumber(Number(ctx));
    // the name holds the cell's visible text in order (value, error, context value), as the flat grid's does
    td.setAttribute('aria-label', `${across} ${this.valueCol.name} of ${who}: ${shown || 'empty'}${error ? `, ${error}` : ''}${ctx !== undefined ? `, ${ctxText} ${this.planning.context.label}` : ''}`);
    if (ctx !== undefined) td.append(' ', h('span', { class: 'pivot-ctx', title: `${this.planning.context.label} ${across}`, text: ctxText }));
  }

  contextValue(row) {
    if (!this.planning.context) return undefined;
    return this.context.get(keyJson([...this.downCols.map((c) => this.page.value(row, c.name)), this.page.value(row, this.across)]));
  }

  // ---- totals ---------------------------------------------------------------------------------

  /** The number a cell contributes to the totals (null when blank or not a number). */
  number(row, override) {
    const v = override !== undefined ? override : this.page.value(row, this.valueCol.name);
    if (v === null || v === undefined || v === '') return null;
    const n = Number(String(v).replace(/,/g, ''));
    return Number.isFinite(n) ? n : null;
  }

  formatNumber(n) {
    return n.toLocaleString('en-US', { minimumFractionDigits: this.scale, maximumFractionDigits: this.scale });
  }

  /** Row, column and grand totals of the numbers shown (and of the context values under them). `typing`: an editor's current text. */
  renderTotals(typing) {
    const editing = typing ? this.page.lookup(typing.td).row : undefined;
    const sums = this.values.map(() => ({ v: 0, n: 0, c: 0, hasC: false }));
    const grand = { v: 0, n: 0, c: 0, hasC: false };
    const add = (acc, n, c) => {
      if (n !== null) { acc.v += n; acc.n += 1; }
      if (c !== undefined) { acc.c += Number(c); acc.hasC = true; }
    };
    this.groups.forEach((g, gi) => {
      const rowSum = { v: 0, n: 0, c: 0, hasC: false };
      g.cells.forEach((row, j) => {
        if (!row) return;
        const n = this.number(row, row === editing ? typing.text : undefined);
        const c = this.contextValue(row);
        add(rowSum, n, c);
        add(sums[j], n, c);
        add(grand, n, c);
      });
      const td = this.table.querySelector(`td[data-total="${gi}"]`);
      if (td) this.fillTotal(td, rowSum, `Total of ${this.downCols.map((c) => this.page.value(g.first, c.name)).join(' ')}`);
    });
    sums.forEach((s, j) => {
      const td = this.table.querySelector(`td[data-col-total="${j}"]`);
      if (td) this.fillTotal(td, s, `Total ${this.values[j]}`);
    });
    const td = this.table.querySelector('td[data-col-total="all"]');
    if (td) this.fillTotal(td, grand, 'Grand total');
  }

  fillTotal(td, sum, label) {
    const text = sum.n ? this.formatNumber(sum.v) : '';
    const ctxText = sum.hasC ? this.formatNumber(sum.c) : '';
    // the name holds the visible text in order (total, context total)
    td.setAttribute('aria-label', `${label}: ${text || 'no values'}${sum.hasC ? `, ${ctxText} ${this.planning.context.label}` : ''}`);
    replace(td, h('span', { class: `v${sum.n ? '' : ' null'}`, text }),
      sum.hasC ? ' ' : null,
      sum.hasC ? h('span', { class: 'pivot-ctx', title: this.planning.context.label, text: ctxText }) : null);
  }

  // ---- editing (the FormPage calls these while the pivot is shown) ------------------------------

  /** Re-render the one cell of `row` and the totals; the save button and status follow. */
  refreshRow(row, focusTd) {
    const page = this.page;
    const td = this.table.querySelector(`td[data-row="${row.id}"]`);
    if (td && !td.classList.contains('editing')) this.fill(td, row);
    this.renderTotals();
    const n = page.dirtyRows().length;
    page.setStatus(n ? `${n} unsaved ${n === 1 ? 'row' : 'rows'}` : 'All changes saved', n ? 'dirty' : '');
    page.renderToolbar();
    if (focusTd && document.activeElement === document.body) focusTd.focus();
  }

  /**
   * A pasted block (spreadsheet TSV) lands in the cells right and down of the selection's top-left
   * cell; one value fills every selected cell (clipboard.js, as in the flat grid).
   */
  paste(e) {
    const page = this.page;
    if (!page.canWrite || e.target.closest?.('td.editing')) return;
    const focused = e.target.closest?.('td[data-pivot]') ?? document.activeElement?.closest?.('td[data-pivot]');
    if (!focused) return;
    e.preventDefault();
    e.stopPropagation();
    const text = (e.clipboardData?.getData('text/plain') ?? '').replace(/\r\n?/g, '\n').replace(/\n$/, '');
    if (text === '') return;
    const block = parseTsv(text, { keepBlank: true });
    if (block.length === 1 && block[0].length === 1) { pasteCells(page, text); return; }
    const b = page.sel.bounds(this.layout());
    const [gi, j] = b ? [b.r0, b.c0] : focused.dataset.pivot.split(':').map(Number);
    const changes = [];
    let placed = 0;
    let skipped = 0;
    block.forEach((line, r) => {
      line.forEach((raw, c) => {
        const row = this.groups[gi + r]?.cells[j + c];
        if (!row || !page.editable(row, this.valueCol)) { skipped += 1; return; }
        changes.push({ row, col: this.valueCol, result: validate(this.valueCol, raw) });
        placed += 1;
      });
    });
    edit(page, changes);
    this.render();
    page.renderToolbar();
    const n = page.dirtyRows().length;
    page.setStatus(`Pasted ${placed} ${placed === 1 ? 'value' : 'values'}${skipped ? ` (${skipped} outside the grid or read-only, skipped)` : ''}; ${n} unsaved ${n === 1 ? 'row' : 'rows'}`, 'dirty');
    const back = this.table.querySelector(`td[data-pivot="${gi}:${j}"]`);
    if (back) page.sel.select(back);
  }
}
