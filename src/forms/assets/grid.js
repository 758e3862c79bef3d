// `/forms/{table}`: the grid of current rows with in-place editing, one-batch save, conflicts,
// field errors, bulk paste, row deletion, history and the scenario picker. Built from GET /api/v1/inputs.
import { api, query } from './api.js';
import { editControl, optionValues, typeAhead } from './controls.js';
import { deleteButton, deleteSelected, mayDelete, refreshSelection, selectAllHeader, selectCell } from './delete-rows.js';
import { formatTime, h, modal, replace, toast } from './dom.js';
import { fetchGridPage, moreMenu, NARROW, PAGE_SIZES, pinColumns, renderPager, renderTotals } from './grid-pages.js';
import { openHistory } from './history.js';
import { attachGrid } from './keys.js';
import { openPaste } from './paste.js';
import { pivotView } from './pivot.js';
import { choices, display, isNumeric, sameValue, validate } from './rules.js';
import { allowedStatuses, lockProblem } from './status-rules.js';
import { scenarioActionButtons } from './scenario-actions.js';
import { Selection } from './selection.js';
import { loadScenarios, resetRow, scenarioButtons, scenarioPicker, scenarioTools } from './scenarios.js';
import { loadSourceValues } from './source-values.js';
import { edit, UndoStack } from './undo.js';
import { rowActionButtons, pendingPanel } from './workflow.js';
import { bulkActionButtons, bulkActions } from './bulk-actions.js';
import { headerLabel, modelLinks, sourceFirst } from './model-links.js';

/** Filter input settles this long before the server is asked. */
const FILTER_DELAY_MS = 250;
/** Source columns shown beside the inputs until the user asks for all of them. */
const CTX_SHOWN = 3;

/** Render the form of input table `name` into `main`. */
export async function renderForm(main, name, me) {
  const res = await api('GET', '/api/v1/inputs');
  if (!res.ok) return replace(main, errorState('Cannot load the input tables', res.body.error.message));
  const meta = res.body.inputs.find((t) => t.name === name);
  if (!meta) return replace(main, errorState(`No input table '${name}'`, 'It does not exist, or your role may not read it.', true));
  const page = new FormPage(main, meta, me);
  await page.start();
}

function errorState(title, message, back = false) {
  return h('div', { class: 'card error-state', role: 'alert' }, h('h1', { text: title }), h('p', { text: message }),
    back ? h('p', {}, h('a', { href: '/', text: '← All input tables' })) : null);
}

let nextRowId = 1;

/** `HH:MM` for today, else `YYYY-MM-DD`. */
function shortTime(iso) {
  const full = formatTime(iso);
  const today = formatTime(new Date().toISOString()).slice(0, 10);
  return full.startsWith(today) ? full.slice(11) : full.slice(0, 10);
}

class FormPage {
  constructor(main, meta, me) {
    this.main = main;
    this.meta = meta;
    this.me = me;
    this.keyCols = meta.columns.filter((c) => c.key);
    this.inputCols = meta.columns.filter((c) => !c.key);
    this.canWrite = meta.permissions.write;
    this.canDelete = mayDelete(this);
    // rows can be ticked for a deletion or a bulk action
    this.canSelect = this.canDelete || (this.canWrite && bulkActions(this).length > 0);
    this.scenario = new URLSearchParams(location.search).get('scenario') || 'base';
    this.scenarios = [{ name: 'base', parent: null }];
    this.rows = [];
    this.pageRows = [];
    this.total = 0;
    this.totals = {};
    this.pageSize = PAGE_SIZES[0];
    this.loads = 0;
    this.more = {};
    this.context = new Map();
    this.ctxCols = [];
    this.sort = null;
    this.filter = '';
    this.page = 0;
    this.saving = false;
    this.sel = new Selection(this);
    this.undo = new UndoStack();
  }

  // ---- loading -------------------------------------------------------------------------------

  async start() {
    document.title = `${this.meta.name} — ${document.body.dataset.project}`;
    this.buildChrome();
    this.pivot = pivotView(this);
    window.addEventListener('beforeunload', (e) => { if (this.dirtyRows().length) e.preventDefault(); });
    document.addEventListener('keydown', (e) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') { e.preventDefault(); this.save(); }
    });
    NARROW.addEventListener('change', () => { this.renderToolbar(); this.pin(); });
    new ResizeObserver(() => this.pin()).observe(this.table);
    await Promise.all([this.loadContext(), loadSourceValues(this.meta), this.meta.scenarios ? this.refreshScenarios() : null]);
    await this.reload();
  }

  async refreshScenarios() {
    const known = await loadScenarios();
    this.scenarioApi = known !== null;
    this.mayCreateScenario = known?.mayCreate ?? false;
    this.scenarios = known?.scenarios ?? [{ name: 'base', parent: null }];
    if (!this.scenarios.some((s) => s.name === this.scenario)) this.scenarios.push({ name: this.scenario, parent: null });
    this.renderToolbar();
  }

  parentScenario() {
    return this.scenarios.find((s) => s.name === this.scenario)?.parent ?? null;
  }

  async loadContext() {
    if (!this.meta.links_to) return;
    const res = await api('GET', `/api/v1/inputs/${encodeURIComponent(this.meta.name)}/context`);
    if (!res.ok) return;
    const link = res.body.link;
    this.link = link;
    this.ctxSource = res.body.source;
    const linkSourceCols = new Set(Object.values(link));
    this.ctxCols = sourceFirst(this, res.body.columns.filter((c) => !linkSourceCols.has(c)));
    this.contextRows = res.body.rows;
    this.addContext(res.body.rows);
  }

  /** Remember linked source rows by their link columns' values. */
  addContext(rows) {
    if (!this.link) return;
    for (const r of rows) this.context.set(JSON.stringify(Object.values(this.link).map((c) => String(r[c]))), r);
  }

  contextOf(row) {
    if (!this.link) return undefined;
    return this.context.get(JSON.stringify(Object.keys(this.link).map((c) => String(this.value(row, c) ?? ''))));
  }

  /** Load the page shown (the server filters, sorts, counts and sums); a slower earlier answer is dropped. */
  async reload() {
    const load = ++this.loads;
    this.busy();
    this.setStatus('Loading…');
    if (this.pageRows.length === 0 && this.tbody) replace(this.tbody, h('tr', { class: 'empty-row' }, h('td', { colspan: this.width() }, h('p', { class: 'loading', text: 'Loading…' }))));
    const res = await fetchGridPage(this);
    if (load !== this.loads) return;
    this.table.removeAttribute('aria-busy');
    if (res.error) {
      this.banner(res.error.message, 'error');
      this.setStatus('Could not load the rows');
      renderPager(this, this.visibleRows().filter((r) => r.base).length);
      return;
    }
    this.loadedPivot = Boolean(this.pivot?.active);
    this.total = res.total;
    this.totals = res.totals;
    this.totalGroups = res.totalGroups;
    if (res.context) this.addContext(res.context.rows);
    this.parentRows = res.parentRows ? new Map(res.parentRows.map((r) => [this.savedKey(r), r])) : null;
    // rows of the across values the pivot did not ask for, counted with the page (for its note)
    if (this.pivot) this.pivot.outside = res.outside;
    this.adoptPage(res.rows);
    this.banner('');
    if (this.pending) await this.pending.refresh();
    this.render();
    this.setStatus(this.dirtyRows().length ? `${this.dirtyRows().length} unsaved rows` : 'All changes saved');
  }

  /** Until the next page is shown: the grid is busy and the pager's count says so (it would be stale). */
  busy() {
    this.table.setAttribute('aria-busy', 'true');
    const count = this.pager.querySelector('.count');
    if (count) count.textContent = 'Loading…';
  }

  /** A saved row's key as one string. */
  savedKey(base) {
    return JSON.stringify(this.keyCols.map((c) => String(base[c.name])));
  }

  /**
   * Make `rows` (from the server) the page shown. Saved rows with unsaved edits, problems, a conflict
   * or a selection are kept by key across pages, so paging, sorting and filtering never drop them:
   * when such a row comes back, the kept one (with its edits and the version they were based on) is shown.
   */
  adoptPage(rows) {
    const kept = this.rows.filter((r) => r.base && (Object.keys(r.edits).length || Object.keys(r.errors).length || r.conflict || r.rowError || r.selected));
    const byKey = new Map(kept.map((r) => [this.savedKey(r.base), r]));
    this.pageRows = rows.map((base) => byKey.get(this.savedKey(base)) ?? { id: nextRowId++, base, edits: {}, errors: {} });
    const shown = new Set(this.pageRows);
    this.rows = [...this.rows.filter((r) => !r.base), ...this.pageRows, ...kept.filter((r) => !shown.has(r))];
  }

  // ---- row state ------------------------------------------------------------------------------

  value(row, col) {
    if (Object.hasOwn(row.edits, col)) return row.edits[col];
    return row.base ? (row.base[col] ?? null) : null;
  }

  keyOf(row) {
    return Object.fromEntries(this.keyCols.map((c) => [c.name, this.value(row, c.name)]));
  }

  keyLabel(row) {
    return this.keyCols.map((c) => this.value(row, c.name) ?? '(new)').join(' · ');
  }

  dirtyRows() {
    return this.rows.filter((r) => !r.base || Object.keys(r.edits).length > 0);
  }

  editable(row, col) {
    if (!this.canWrite || this.lockOf(row)) return false;
    return col.key ? !row.base : true;
  }

  /** Why the caller may not change this saved row because its status locks it (base only), or undefined. */
  lockOf(row) {
    if (!row.base || this.scenario !== 'base') return undefined;
    const role = this.me.role ?? undefined;
    for (const col of this.meta.columns) {
      const problem = col.locked ? lockProblem(col, role, row.base[col.name] ?? null) : undefined;
      if (problem) return problem;
    }
    return undefined;
  }

  // ---- chrome ---------------------------------------------------------------------------------

  buildChrome() {
    const m = this.meta;
    this.toolbar = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Table actions' });
    this.statusEl = h('span', { class: 'save-status', id: 'save-status', role: 'status', 'aria-live': 'polite' });
    this.bannerEl = h('div', { class: 'banner', hidden: true });
    this.table = h('table', { class: 'grid', 'aria-label': `${m.name} rows`, 'aria-describedby': 'grid-help' });
    this.pager = h('nav', { class: 'pager', 'aria-label': 'Pages' });
    this.workflowEl = h('div', { class: 'workflow' });
    replace(this.main,
      h('div', { class: 'page-head' },
        h('div', {},
          h('h1', { text: m.name }),
          m.description ? h('p', { class: 'sub', text: m.description }) : null),
        h('p', { class: 'perms' },
          ['read', 'write', 'delete', 'approve'].filter((p) => m.permissions[p]).map((p) => h('span', { class: `badge perm-${p}`, text: p })),
          Object.entries(m.permissions.row_filter ?? {}).map(([k, v]) => h('span', { class: 'badge filter', title: 'Rows outside your row filter never reach this page', text: `${k} = ${v}` })))),
      this.toolbar,
      this.bannerEl,
      this.workflowEl,
      h('div', { class: 'grid-wrap' }, this.table),
      h('div', { class: 'grid-foot' },
        h('p', { id: 'grid-help', class: 'help', text: this.canWrite
          ? 'Arrows move, Shift+arrows select; type or Enter to edit; Enter and Tab confirm and move; Esc cancels; Delete clears; Ctrl+C / Ctrl+V copy and paste cells; Ctrl+D fills down; Ctrl+Z undoes; Ctrl+S saves.'
          : 'You may read this table but not change it.' }),
        this.pager),
      modelLinks(m.name));
    attachGrid(this);
    this.renderToolbar();
    this.pending = pendingPanel(this);
  }

  renderToolbar() {
    const n = this.dirtyRows().length;
    // One filter box for the page's life: re-rendering the toolbar must not drop what is being typed.
    if (!this.filterEl) {
      this.filterEl = h('input', { type: 'search', id: 'filter', placeholder: 'Filter rows…', 'aria-label': 'Filter rows' });
      this.filterEl.addEventListener('input', () => {
        this.busy();
        clearTimeout(this.filterTimer);
        this.filterTimer = setTimeout(() => { this.filter = this.filterEl.value; this.page = 0; this.reload(); }, FILTER_DELAY_MS);
      });
    }
    const filter = this.filterEl;
    const hadFocus = document.activeElement === filter;
    const saveBtn = h('button', { type: 'button', class: 'primary', id: 'save', disabled: n === 0 || this.saving, onclick: () => this.save() },
      n ? `Save ${n} ${n === 1 ? 'row' : 'rows'}` : 'Save');
    const ctxToggle = this.ctxCols.length > CTX_SHOWN ? h('button', { type: 'button', class: 'link subtle', 'aria-pressed': String(Boolean(this.showAllCtx)),
      title: `Columns from ${this.ctxSource}`,
      onclick: () => { this.showAllCtx = !this.showAllCtx; this.render(); } },
      this.showAllCtx ? 'Fewer source columns' : `All ${this.ctxCols.length} source columns`) : null;
    const addBtn = this.canWrite ? h('button', { type: 'button', id: 'add-row', onclick: () => this.addRow() }, '+ Add row') : null;
    const pasteBtn = this.canWrite ? h('button', { type: 'button', id: 'paste-rows', onclick: () => openPaste(this) }, 'Paste rows') : null;
    const discardBtn = this.canWrite ? h('button', { type: 'button', id: 'discard', disabled: n === 0, onclick: () => this.discard() }, 'Discard') : null;
    const deleteBtn = this.canDelete ? deleteButton(this) : null;
    const bulkBtns = this.canWrite ? bulkActionButtons(this) : null;
    this.toolbar.classList.toggle('compact', NARROW.matches);
    if (NARROW.matches) {
      // narrow screens: the filter (and the scenario shown) on one line, then the main actions; the rest under "More"
      const scenarioBtns = this.meta.scenarios ? scenarioButtons(this, scenarioActionButtons(this)).filter(Boolean) : [];
      replace(this.toolbar,
        h('div', { class: 'tool-group grow' }, filter, this.meta.scenarios ? h('span', { class: 'tool-group' }, scenarioPicker(this)) : null),
        h('div', { class: 'tool-group main' },
          addBtn,
          bulkBtns,
          moreMenu(this.more, [...scenarioBtns, pasteBtn, deleteBtn, discardBtn, ctxToggle].filter(Boolean)),
          this.statusEl,
          this.canWrite ? saveBtn : null));
    } else {
      replace(this.toolbar,
        this.meta.scenarios ? scenarioTools(this, scenarioActionButtons(this)) : null,
        h('div', { class: 'tool-group grow' }, filter, ctxToggle),
        this.canWrite || this.canDelete ? h('div', { class: 'tool-group' }, addBtn, pasteBtn, deleteBtn, bulkBtns) : null,
        h('div', { class: 'tool-group' }, this.statusEl, discardBtn, this.canWrite ? saveBtn : null));
    }
    if (hadFocus) filter.focus();
  }

  setStatus(text, kind = '') {
    this.statusEl.textContent = text;
    this.statusEl.className = `save-status ${kind}`;
  }

  banner(text, kind = 'info') {
    this.bannerEl.hidden = !text;
    this.bannerEl.className = `banner ${kind}`;
    this.bannerEl.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    this.bannerEl.textContent = text;
  }

  // ---- rendering ------------------------------------------------------------------------------

  shownCtxCols() {
    return this.showAllCtx ? this.ctxCols : this.ctxCols.slice(0, CTX_SHOWN);
  }

  /** Cells per grid row: state mark, (selection box), the columns shown, last change, row actions. */
  width() {
    return this.columnsShown().length + 3 + (this.canSelect ? 1 : 0);
  }

  columnsShown() {
    return [
      ...this.keyCols.map((c) => ({ kind: 'key', col: c })),
      ...this.shownCtxCols().map((name, i) => ({ kind: 'ctx', name, first: i === 0 })),
      ...this.inputCols.map((c) => ({ kind: 'input', col: c })),
    ];
  }

  /** Render the page; resolves when it is shown (after loading the page again when the layout's paging changed). */
  render() {
    this.renderHead();
    const loading = this.renderBody();
    this.renderToolbar();
    return loading ?? Promise.resolve();
  }

  renderHead() {
    const head = h('tr', {},
      h('th', { class: 'mark', scope: 'col' }, h('span', { class: 'sr-only', text: 'Row state' })),
      this.canSelect ? selectAllHeader(this) : null,
      this.columnsShown().map((c) => this.headerCell(c)),
      this.lastChangeHeader(),
      h('th', { class: 'row-actions', scope: 'col' }, h('span', { class: 'sr-only', text: 'Row actions' })));
    replace(this.table, h('thead', {}, head), (this.tbody = h('tbody', {})), (this.tfoot = h('tfoot', {})));
  }

  /** Pin the row state, selection and key columns (on a narrow screen the first key column) while the grid scrolls sideways. */
  pin() {
    pinColumns(this.table, 1 + (this.canSelect ? 1 : 0) + (NARROW.matches ? 1 : this.keyCols.length));
  }

  /** "Last change", sorted by `_updated_at` on the server. */
  lastChangeHeader() {
    const sorted = this.sort?.name === '_updated_at' ? this.sort.dir : null;
    return h('th', { class: 'meta', scope: 'col', 'aria-sort': sorted ? (sorted === 'asc' ? 'ascending' : 'descending') : undefined, dataset: { col: '_updated_at' } },
      h('button', { type: 'button', class: 'sort', title: 'When and by whom each row was last changed', onclick: () => this.toggleSort('_updated_at') },
        'Last change', h('span', { class: 'sort-ind', 'aria-hidden': 'true', text: sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '' })));
  }

  headerCell(c) {
    const name = c.kind === 'ctx' ? c.name : c.col.name;
    const sorted = this.sort?.name === name ? this.sort.dir : null;
    const title = c.kind === 'ctx'
      ? `From ${this.ctxSource} (read only)`
      : [c.col.type, c.col.description, c.col.required ? 'required' : null].filter(Boolean).join(' — ');
    if (c.kind === 'ctx') return h('th', { scope: 'col', class: `ctx${c.first ? ' ctx-first' : ''}`, title, dataset: { col: name } }, headerLabel(this, c));
    const btn = h('button', { type: 'button', class: 'sort', title, onclick: () => this.toggleSort(name) },
      headerLabel(this, c),
      c.col.required ? h('span', { class: 'req', 'aria-label': 'required', text: '*' }) : null,
      h('span', { class: 'sort-ind', 'aria-hidden': 'true', text: sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '' }));
    const cls = [c.kind, isNumeric(c.col) ? 'num' : ''].join(' ');
    return h('th', { scope: 'col', class: cls, 'aria-sort': sorted ? (sorted === 'asc' ? 'ascending' : 'descending') : undefined, dataset: { col: name } }, btn);
  }

  toggleSort(name) {
    const dir = this.sort?.name === name && this.sort.dir === 'asc' ? 'desc' : 'asc';
    this.sort = { name, dir };
    this.page = 0;
    this.reload().then(() => this.table.querySelector(`th[data-col="${CSS.escape(name)}"] button`)?.focus());
  }

  cellText(row, name) {
    const col = this.meta.columns.find((c) => c.name === name);
    if (col) return display(col, this.value(row, name));
    const ctx = this.contextOf(row);
    return ctx ? String(ctx[name] ?? '') : '';
  }

  /** New rows first, then the saved rows of the page the server sent (filtered, sorted and paged there). */
  visibleRows() {
    const live = new Set(this.rows);
    return [...this.rows.filter((r) => !r.base), ...this.pageRows.filter((r) => live.has(r))];
  }

  /** The rows on the page of the grid shown. */
  shownRows() {
    return this.visibleRows();
  }

  renderBody() {
    // the pivot pages over groups, the table over rows: a switch between them loads the page again
    if (this.loadedPivot !== Boolean(this.pivot?.active)) return this.reload();
    if (this.pivot?.active) {
      this.pivot.render();
      renderPager(this, this.pivot.groups?.length ?? 0);
      return;
    }
    const shown = this.visibleRows();
    const width = this.width();
    if (shown.length === 0) {
      const text = this.filter
        ? `No row matches “${this.filter}”.`
        : `No rows yet${this.meta.scenarios ? ` in scenario ${this.scenario}` : ''}.${this.canWrite ? ' Add a row, or paste rows from a spreadsheet.' : ''}`;
      replace(this.tbody, h('tr', { class: 'empty-row' }, h('td', { colspan: width }, h('p', { class: 'empty', text }))));
    } else {
      replace(this.tbody, shown.flatMap((r) => this.rowElements(r, width)));
    }
    renderPager(this, shown.filter((r) => r.base).length);
    if (this.tfoot) renderTotals(this, this.tfoot);
    this.pin();
    if (this.canSelect) refreshSelection(this);
  }

  rowState(row) {
    if (row.conflict) return ['conflict', 'Changed by someone else'];
    if (Object.keys(row.errors).length || row.rowError) return ['invalid', 'Has problems'];
    if (!row.base) return ['new', 'New, not saved'];
    if (Object.keys(row.edits).length) return ['dirty', 'Changed, not saved'];
    if (row.base._pending) return ['pending', 'Pending approval'];
    if (this.overriddenCols(row).length) return ['override', `Differs from ${this.parentScenario() ?? 'base'} in ${this.scenario}`];
    return ['', ''];
  }

  rowElements(row, width) {
    const [state, label] = this.rowState(row);
    const tr = h('tr', { class: `row ${state}${row.base ? '' : ' new'}${row.selected ? ' selected' : ''}`, dataset: { row: row.id } },
      h('td', { class: 'mark', title: label }, h('span', { class: `dot ${state}`, 'aria-hidden': 'true' }), label ? h('span', { class: 'sr-only', text: label }) : null),
      this.canSelect ? selectCell(this, row) : null,
      this.columnsShown().map((c) => (c.kind === 'ctx' ? this.contextCell(row, c) : this.cell(row, c.col))),
      h('td', { class: 'meta', title: row.base && !row.base._template ? `${row.base._updated_by ?? ''} at ${formatTime(row.base._updated_at)}` : undefined },
        row.base?._template ? h('span', { class: 'at', text: 'not typed yet' }) : row.base ? [h('span', { class: 'by', text: row.base._updated_by ?? '' }), h('span', { class: 'at', text: ` · ${shortTime(row.base._updated_at)}` })] : h('span', { class: 'at', text: 'new' })),
      h('td', { class: 'row-actions' },
        row.base?._template ? null : row.base ? h('button', { type: 'button', class: 'icon', title: 'History of this row', 'aria-label': `History of ${this.keyLabel(row)}`, onclick: () => openHistory(this, row) }, 'History') : null,
        row.base && this.canWrite && this.overriddenCols(row).length
          ? h('button', { type: 'button', class: 'icon', title: `Remove this scenario's override: follow ${this.parentScenario() ?? 'the parent'} again`, 'aria-label': `Reset ${this.keyLabel(row)} to parent`, onclick: () => resetRow(this, row) }, 'Reset') : null,
        row.base?._template ? null : row.base ? rowActionButtons(this, row) : h('button', { type: 'button', class: 'icon', 'aria-label': `Remove new row`, onclick: () => this.removeRow(row) }, 'Remove')));
    const out = [tr];
    if (row.rowError) out.push(h('tr', { class: 'row-note invalid' }, h('td', { colspan: width, role: 'alert', text: row.rowError })));
    if (row.conflict) out.push(this.conflictRow(row, width));
    return out;
  }

  contextCell(row, c) {
    const ctx = this.contextOf(row);
    return h('td', { class: `ctx${c.first ? ' ctx-first' : ''}`, text: ctx ? String(ctx[c.name] ?? '') : '' });
  }

  cell(row, col) {
    const td = h('td', { dataset: { row: row.id, col: col.name } });
    this.fillCell(td, row, col);
    return td;
  }

  fillCell(td, row, col) {
    const editable = this.editable(row, col);
    const error = row.errors[col.name];
    const errId = `err-${row.id}-${col.name}`;
    td.className = ['cell', col.key ? 'key' : 'input', isNumeric(col) ? 'num' : '', editable ? 'editable' : 'readonly',
      Object.hasOwn(row.edits, col.name) ? 'dirty' : '', error ? 'invalid' : '', this.overriddenCols(row).includes(col.name) ? 'overridden' : ''].join(' ');
    const parent = this.overriddenCols(row).includes(col.name) ? this.parentRow(row) : undefined;
    if (parent) td.title = `${this.parentScenario() ?? 'base'}: ${display(col, parent[col.name]) || '—'}`; else td.removeAttribute('title');
    this.sel.decorate(td);
    // the name holds the cell's visible text (value, then error) in order; aria-invalid says it is an error
    td.setAttribute('aria-label', `${col.name}: ${display(col, this.value(row, col.name)) || 'empty'}${error ? `, ${error}` : ''}`);
    if (error) { td.setAttribute('aria-invalid', 'true'); td.setAttribute('aria-describedby', errId); } else { td.removeAttribute('aria-invalid'); td.removeAttribute('aria-describedby'); }
    const value = this.value(row, col.name);
    replace(td,
      h('span', { class: `v${value === null ? ' null' : ''}${col.transitions && value !== null ? ' pill' : ''}`, dataset: col.transitions && value !== null ? { value: String(value) } : undefined, text: display(col, value) }),
      error ? ' ' : null, // so the value and the error read as two words, as in the aria-label
      error ? h('span', { class: 'field-error', id: errId, text: error }) : null);
    if (editable && !td.dataset.wired) {
      td.dataset.wired = '1';
      td.addEventListener('dblclick', () => this.startEdit(td));
    }
  }

  // ---- editing --------------------------------------------------------------------------------

  lookup(td) {
    const row = this.rows.find((r) => String(r.id) === td.dataset.row);
    const col = this.meta.columns.find((c) => c.name === td.dataset.col);
    return { row, col };
  }

  /** Move the selection by rows/columns from `td`; `extend` grows the range from its anchor. */
  moveFocus(td, dr, dc, extend = false) {
    this.sel.move(td, dr, dc, extend);
  }

  /**
   * Open the cell's editor. `initial`: a typed character that replaces the value (on a select it
   * picks the first option starting with what was typed); `at`: when it was typed. In the editor,
   * Enter commits and moves down (Shift: up), Tab commits and moves to the next editable cell
   * (Shift: previous), Esc cancels; leaving the editor commits.
   */
  startEdit(td, initial, at) {
    const { row, col } = this.lookup(td);
    if (!row || !col || td.classList.contains('editing')) return;
    const ctrl = editControl(col, this.value(row, col.name), `${col.name} of ${this.keyLabel(row)}`, this.allowedMoves(row, col));
    if (col.key && this.link && Object.hasOwn(this.link, col.name) && this.contextRows) {
      const listId = `ctx-list-${col.name}`;
      if (!document.getElementById(listId)) {
        const sourceCol = this.link[col.name];
        const label = this.ctxCols[0];
        document.body.append(h('datalist', { id: listId }, this.contextRows.map((r) => h('option', { value: String(r[sourceCol]), label: label ? String(r[label] ?? '') : undefined }))));
      }
      ctrl.control.setAttribute('list', listId);
    }
    td.classList.add('editing');
    const err = row.errors[col.name];
    replace(td, ctrl.el, err ? h('span', { class: 'field-error', id: `err-${row.id}-${col.name}`, text: err }) : null);
    if (err) { ctrl.control.setAttribute('aria-invalid', 'true'); ctrl.control.setAttribute('aria-describedby', `err-${row.id}-${col.name}`); }
    const select = ctrl.control instanceof HTMLSelectElement ? ctrl.control : null;
    const pick = (key, time, fresh) => {
      const found = typeAhead(optionValues(select), key, time, fresh);
      if (found !== undefined) select.value = found;
    };
    if (initial !== undefined && select) pick(initial, at ?? performance.now(), true);
    else if (initial !== undefined && 'value' in ctrl.control && ctrl.control.type !== 'checkbox') {
      ctrl.control.value = initial;
      ctrl.control.dispatchEvent(new Event('input'));
    }
    ctrl.control.focus();
    if (initial === undefined && typeof ctrl.control.select === 'function' && ctrl.control.type === 'text') ctrl.control.select();
    let done = false;
    const finish = (commit) => {
      if (done) return;
      done = true;
      td.classList.remove('editing');
      if (commit) this.commitCell(row, col, validate(col, ctrl.read()));
      else this.refreshRow(row);
    };
    ctrl.control.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === 'Tab' || e.key === 'Escape') {
        // handled here: the cell under the editor must not see it (it would reopen the editor)
        e.preventDefault();
        e.stopPropagation();
        finish(e.key !== 'Escape');
        const next = e.key === 'Tab' ? this.sel.nextEditable(td, e.shiftKey ? -1 : 1) : null;
        if (e.key === 'Enter') this.moveFocus(td, e.shiftKey ? -1 : 1, 0);
        else this.sel.select(next ?? td);
      } else if (select && e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        pick(e.key, e.timeStamp, false);
      }
    });
    ctrl.control.addEventListener('blur', () => finish(true));
  }

  /** Set one cell as one undoable step and redraw its row. */
  commitCell(row, col, result) {
    edit(this, [{ row, col, result }]);
  }

  /** Give a saved row's cell its saved value back (one undoable step). */
  revertCell(row, col) {
    edit(this, [{ row, col, result: { value: row.base[col.name] ?? null } }]);
  }

  /** Values a status column may take from the row's saved value (or as a new row), per the server's status rules; undefined = any. */
  allowedMoves(row, col) {
    if (!col.transitions && !col.initial) return undefined;
    const from = row.base ? (row.base[col.name] ?? null) : null;
    return allowedStatuses(col, this.me.role ?? undefined, from, choices(col) ?? []);
  }

  setCell(row, col, result) {
    const name = col.name;
    const same = row.base && !result.error && sameValue(row.base[name] ?? null, result.value);
    if (same) delete row.edits[name]; else row.edits[name] = result.value;
    if (result.error) row.errors[name] = result.error; else delete row.errors[name];
    row.rowError = undefined;
  }

  /** Re-render the cells of one row in place (keeps focus and the rest of the table). */
  refreshRow(row, focusTd) {
    if (this.pivot?.active) return this.pivot.refreshRow(row, focusTd);
    const tr = this.tbody.querySelector(`tr.row[data-row="${row.id}"]`);
    if (!tr) return;
    const [state, label] = this.rowState(row);
    tr.className = `row ${state}${row.base ? '' : ' new'}${row.selected ? ' selected' : ''}`;
    const mark = tr.querySelector('td.mark');
    replace(mark, h('span', { class: `dot ${state}`, 'aria-hidden': 'true' }), label ? h('span', { class: 'sr-only', text: label }) : null);
    mark.title = label;
    for (const td of tr.querySelectorAll('td.cell')) {
      if (td.classList.contains('editing')) continue;
      const col = this.meta.columns.find((c) => c.name === td.dataset.col);
      this.fillCell(td, row, col);
    }
    for (const td of tr.querySelectorAll('td.ctx')) {
      const ctx = this.contextOf(row);
      td.textContent = ctx ? String(ctx[this.shownCtxCols()[[...tr.querySelectorAll('td.ctx')].indexOf(td)]] ?? '') : '';
    }
    const n = this.dirtyRows().length;
    this.setStatus(n ? `${n} unsaved ${n === 1 ? 'row' : 'rows'}` : 'All changes saved', n ? 'dirty' : '');
    const save = document.getElementById('save');
    if (save) { save.disabled = n === 0 || this.saving; save.textContent = n ? `Save ${n} ${n === 1 ? 'row' : 'rows'}` : 'Save'; }
    const discard = document.getElementById('discard');
    if (discard) discard.disabled = n === 0;
    if (focusTd && document.activeElement === document.body) focusTd.focus();
  }

  /** The row in the parent scenario, when a scenario other than base is shown. */
  parentRow(row) {
    return this.parentRows?.get(JSON.stringify(this.keyCols.map((c) => String(row.base?.[c.name]))));
  }

  /** Input columns whose value in this scenario differs from the parent's (all of them for a key the parent lacks). */
  overriddenCols(row) {
    if (!this.parentRows || !row.base || row.base._template) return [];
    const p = this.parentRow(row);
    return this.inputCols.filter((c) => !p || !sameValue(p[c.name] ?? null, row.base[c.name] ?? null)).map((c) => c.name);
  }

  /** A new (unsaved) row with `values` and the columns' defaults; not yet in the grid. */
  newRowObject(values = {}) {
    const row = { id: nextRowId++, base: null, edits: {}, errors: {} };
    for (const c of this.meta.columns) {
      if (Object.hasOwn(values, c.name)) row.edits[c.name] = values[c.name];
      else if (c.default !== undefined) row.edits[c.name] = c.default;
    }
    return row;
  }

  addRow(values = {}) {
    const row = this.newRowObject(values);
    this.rows.unshift(row);
    this.renderBody();
    this.renderToolbar();
    this.refreshRow(row);
    this.tbody.querySelector(`tr.row[data-row="${row.id}"] td.editable`)?.focus();
    return row;
  }

  removeRow(row) {
    this.rows = this.rows.filter((r) => r !== row);
    this.renderBody();
    this.renderToolbar();
  }

  /** After a delete: drop the deleted rows here, then reload unless unsaved edits elsewhere would be lost. */
  async afterDelete(deleted) {
    this.rows = this.rows.filter((r) => !deleted.includes(r));
    this.banner('');
    if (this.dirtyRows().length === 0) return this.reload();
    if (this.pending) await this.pending.refresh();
    this.render();
  }

  discard() {
    this.undo.clear();
    this.rows = this.rows.filter((r) => r.base);
    for (const r of this.rows) { r.edits = {}; r.errors = {}; r.conflict = undefined; r.conflictOp = undefined; r.rowError = undefined; }
    this.banner('');
    this.render();
    this.setStatus('Changes discarded');
  }

  // ---- saving ---------------------------------------------------------------------------------

  /** Client-side checks of a row about to be sent; fills `row.errors`. */
  checkRow(row) {
    const cols = row.base ? this.meta.columns.filter((c) => Object.hasOwn(row.edits, c.name)) : this.meta.columns;
    for (const col of cols) {
      if (row.errors[col.name]) continue;
      const v = this.value(row, col.name);
      const r = validate(col, v === null ? '' : typeof v === 'boolean' ? v : String(v));
      if (r.error) row.errors[col.name] = r.error;
    }
    return Object.keys(row.errors).length === 0;
  }

  /** One row as sent: key, changed columns, and `_version` (0 for a new row). */
  wireRow(row) {
    const out = { ...this.keyOf(row) };
    for (const col of this.inputCols) {
      if (!Object.hasOwn(row.edits, col.name)) continue;
      if (!row.base && row.edits[col.name] === null) continue;
      out[col.name] = row.edits[col.name];
    }
    out._version = row.base ? row.base._version : 0;
    return out;
  }

  writeBody(rows, extra = {}) {
    return { rows, ...(this.meta.scenarios && this.scenario !== 'base' ? { scenario: this.scenario } : {}), ...extra };
  }

  async save(extra = {}) {
    if (this.saving || !this.canWrite) return;
    const dirty = this.dirtyRows();
    if (dirty.length === 0) return this.setStatus('No changes to save');
    const bad = dirty.filter((r) => !this.checkRow(r));
    if (bad.length) {
      this.renderBody();
      const n = bad.reduce((s, r) => s + Object.keys(r.errors).length, 0);
      this.setStatus(`Not saved: ${n} ${n === 1 ? 'field needs' : 'fields need'} fixing`, 'error');
      this.tbody.querySelector('td.invalid')?.focus();
      return;
    }
    this.saving = true;
    this.setStatus('Saving…', 'busy');
    this.renderToolbar();
    const res = await api('POST', `/api/v1/inputs/${encodeURIComponent(this.meta.name)}/rows`, this.writeBody(dirty.map((r) => this.wireRow(r)), extra));
    this.saving = false;
    // the edits are still there after a failure: saving them again must stay possible
    const saveBtn = document.getElementById('save');
    if (saveBtn && !res.ok) saveBtn.disabled = false;
    if (res.ok) {
      this.rows = this.rows.filter((r) => r.base);
      for (const r of this.rows) { r.edits = {}; r.errors = {}; r.conflict = undefined; }
      const n = res.body.entries.length;
      this.banner('');
      if (res.body.pending) {
        await this.reload();
        const p = res.body.pending.rows ?? dirty.length;
        this.setStatus(`Sent ${p} ${p === 1 ? 'row' : 'rows'} for approval`, 'ok');
        toast('Your change needs approval: it shows as pending until an approver decides', 'ok');
        return res;
      }
      await this.reload();
      this.setStatus(`Saved ${n} ${n === 1 ? 'row' : 'rows'} at ${formatTime(res.body.at).slice(11)}`, 'ok');
      toast(`Saved ${n} ${n === 1 ? 'row' : 'rows'}`, 'ok');
      return res;
    }
    await this.showFailure(res, dirty, (more) => this.save({ ...extra, ...more }));
    return res;
  }

  /**
   * Put a failed write's details where they belong: fields (422), conflicts (409), confirmation (400).
   * `op`: 'write' (rows were sent) or 'delete' (keys were sent; the conflict panel then offers "Delete anyway").
   */
  async showFailure(res, sent, retry, op = 'write') {
    const err = res.body.error;
    const notDone = op === 'delete' ? 'Not deleted' : 'Not saved';
    if (err.code === 'confirmation_required') {
      const ok = await confirmDialog('Confirm a bulk change', err.message, `Write ${sent.length} rows`);
      if (ok) return retry({ confirm: true });
      this.setStatus(notDone, 'error');
      return;
    }
    if (err.code === 'validation_failed') {
      let placed = 0;
      for (const d of err.details) {
        const row = sent[d.row];
        if (!row) continue;
        if (d.column && this.meta.columns.some((c) => c.name === d.column)) row.errors[d.column] = d.message;
        else row.rowError = d.column ? `${d.column}: ${d.message}` : d.message;
        placed += 1;
      }
      this.renderBody();
      this.setStatus(`${notDone}: ${placed} ${placed === 1 ? 'problem' : 'problems'} (shown at the field)`, 'error');
      this.tbody.querySelector('td.invalid')?.focus();
      return;
    }
    if (err.code === 'conflict') {
      for (const d of err.details) {
        const key = JSON.stringify(this.keyCols.map((c) => String(d.key?.[c.name] ?? '')));
        const row = sent.find((r) => JSON.stringify(this.keyCols.map((c) => String(this.value(r, c.name) ?? ''))) === key);
        if (row) { row.conflict = d; row.conflictOp = op; }
      }
      this.renderBody();
      const n = err.details.length;
      this.setStatus(`${notDone}: ${n} ${n === 1 ? 'row was' : 'rows were'} changed by someone else`, 'error');
      this.tbody.querySelector('tr.conflict-info button')?.focus();
      return;
    }
    if (err.code === 'forbidden') {
      for (const d of err.details) if (sent[d.row]) sent[d.row].rowError = d.message;
      this.renderBody();
    }
    this.banner(err.message, 'error');
    this.setStatus(notDone, 'error');
  }

  conflictRow(row, width) {
    const d = row.conflict;
    const mine = Object.keys(row.edits).filter((c) => !this.keyCols.some((k) => k.name === c));
    const theirs = d.current
      ? this.inputCols.map((c) => `${c.name} ${display(c, d.current[c.name]) || '—'}`).join(' · ')
      : 'they deleted the row';
    const deleting = row.conflictOp === 'delete';
    const yours = deleting ? 'delete this row' : mine.map((c) => `${c} ${display(this.meta.columns.find((x) => x.name === c), row.edits[c]) || '—'}`).join(' · ');
    return h('tr', { class: 'conflict-info', dataset: { row: row.id } },
      h('td', { colspan: width, role: 'alert' },
        h('strong', { text: `${d._updated_by ?? 'Someone'} changed this row at ${formatTime(d._updated_at)}` }),
        h('span', { text: ` (version ${d._version}) after you loaded it.` }),
        h('div', { class: 'cmp' },
          h('span', { class: 'theirs' }, h('em', { text: 'Their values: ' }), theirs),
          h('span', { class: 'yours' }, h('em', { text: 'Yours: ' }), yours || '—')),
        h('div', { class: 'conflict-actions' },
          h('button', { type: 'button', class: 'reload', onclick: () => this.takeTheirs(row) }, 'Reload their values'),
          deleting && !d.current ? null
            : h('button', { type: 'button', class: 'danger overwrite', onclick: () => this.overwrite(row) }, deleting ? 'Delete anyway' : 'Overwrite with mine'))));
  }

  takeTheirs(row) {
    const d = row.conflict;
    if (!d.current) this.rows = this.rows.filter((r) => r !== row);
    else {
      row.base = { ...row.base, ...d.current, _version: d._version, _updated_by: d._updated_by, _updated_at: d._updated_at };
      row.edits = {};
      row.errors = {};
      row.conflict = undefined;
      row.conflictOp = undefined;
      row.selected = false;
    }
    this.renderBody();
    this.renderToolbar();
    this.setStatus('Reloaded their values');
  }

  async overwrite(row) {
    const d = row.conflict;
    const op = row.conflictOp;
    row.base = { ...row.base, _version: d._version };
    row.conflict = undefined;
    row.conflictOp = undefined;
    this.renderBody();
    if (op === 'delete') await deleteSelected(this, { confirmed: true });
    else await this.save();
  }
}

/** A yes/no dialog; resolves true when confirmed. */
export async function confirmDialog(title, message, confirmLabel) {
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'confirm-title' },
    h('form', { method: 'dialog' },
      h('h2', { id: 'confirm-title', text: title }),
      h('p', { text: message }),
      h('div', { class: 'dialog-actions' },
        h('button', { value: 'cancel', text: 'Cancel' }),
        h('button', { value: 'ok', class: 'primary', id: 'confirm-ok', text: confirmLabel }))));
  return (await modal(dialog)) === 'ok';
}
