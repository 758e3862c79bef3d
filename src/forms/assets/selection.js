// The grid's cell selection: the active cell (the grid's one Tab stop: tabIndex 0, every other cell
// -1), the anchor of a rectangular range (Shift+arrows, mouse drag, Shift+click), and how both are
// shown (class `in-range`, `aria-selected`). Cells are `td.cell` (key and input columns, in display
// order); cells are named by row id and column name, so the selection survives re-rendering.

/** The selection of one form page's grid. */
export class Selection {
  /** @param {any} page the FormPage */
  constructor(page) {
    this.page = page;
    /** @type {{ row: string, col: string } | null} the cell with focus (or that gets it on Tab) */
    this.active = null;
    /** @type {{ row: string, col: string } | null} the fixed corner of the range */
    this.anchor = null;
    this.dragging = false;
    this.pendingStop = false;
  }

  /**
   * The grid's cells as positions: `{ height, width, name(r, c), indexOf(name) }`, a name being
   * `{ row, col }` (row id, column name) or null where no cell is (a pivot cell without a row). The
   * flat grid is its rows (grid order) × its columns (display order), also given as `rows` and `cols`;
   * a shown pivot gives its own (accounts × across values).
   */
  layout() {
    const own = this.page.pivot?.active ? this.page.pivot.layout() : null;
    if (own) return own;
    const trs = [...(this.page.tbody?.querySelectorAll('tr.row') ?? [])];
    const rows = trs.map((tr) => tr.dataset.row);
    const cols = trs.length ? [...trs[0].querySelectorAll('td.cell')].map((td) => td.dataset.col) : [];
    const rowAt = new Map(rows.map((id, i) => [id, i]));
    const colAt = new Map(cols.map((name, i) => [name, i]));
    return {
      rows, cols, height: rows.length, width: cols.length,
      name: (r, c) => ({ row: rows[r], col: cols[c] }),
      indexOf: (n) => ({ r: rowAt.get(n.row) ?? -1, c: colAt.get(n.col) ?? -1 }),
    };
  }

  /** The cell of a row id and column name, or null. */
  cell(row, col) {
    if (row === undefined || row === null) return null;
    return this.page.tbody?.querySelector(`tr.row td.cell[data-row="${CSS.escape(String(row))}"][data-col="${CSS.escape(col)}"]`) ?? null;
  }

  /** `{ r, c }` indexes of a cell name in the layout (-1 when not on the page). */
  indexOf(name, layout = this.layout()) {
    return name ? layout.indexOf(name) : { r: -1, c: -1 };
  }

  /** The range as indexes `{ r0, r1, c0, c1 }` (the active cell alone when there is no anchor on the page), or null. */
  bounds(layout = this.layout()) {
    const a = this.indexOf(this.active, layout);
    if (a.r < 0 || a.c < 0) return null;
    let b = this.indexOf(this.anchor, layout);
    if (b.r < 0 || b.c < 0) b = a;
    return { r0: Math.min(a.r, b.r), r1: Math.max(a.r, b.r), c0: Math.min(a.c, b.c), c1: Math.max(a.c, b.c) };
  }

  /** The cells of the range, row by row: `[[{ row, col, td }]]` (row and col null where the layout has no cell). */
  rangeCells(layout = this.layout()) {
    const b = this.bounds(layout);
    if (!b) return [];
    const out = [];
    for (let r = b.r0; r <= b.r1; r++) {
      const line = [];
      for (let c = b.c0; c <= b.c1; c++) {
        const n = layout.name(r, c);
        line.push(n ? { row: n.row, col: n.col, td: this.cell(n.row, n.col) } : { row: null, col: null, td: null });
      }
      out.push(line);
    }
    return out;
  }

  /** Make `td` the active cell (and the anchor, unless `extend`), show it and focus it. */
  select(td, extend = false) {
    if (!td) return;
    this.active = { row: td.dataset.row, col: td.dataset.col };
    if (!extend || !this.anchor) this.anchor = this.active;
    this.decorateAll();
    if (document.activeElement !== td) td.focus({ preventScroll: false });
  }

  /** Move the active cell by rows/columns (clamped to the page, past positions without a cell); `extend` grows the range instead. */
  move(td, dr, dc, extend = false) {
    const layout = this.layout();
    const { r, c } = this.indexOf({ row: td.dataset.row, col: td.dataset.col }, layout);
    if (r < 0) return;
    const clamp = (v, n) => Math.max(0, Math.min(n - 1, v));
    for (let k = 1; ; k++) {
      const nr = clamp(r + dr * k, layout.height);
      const nc = clamp(c + dc * k, layout.width);
      const n = layout.name(nr, nc);
      const target = n && this.cell(n.row, n.col);
      if (target) return this.select(target, extend);
      if (nr !== r + dr * k || nc !== c + dc * k) return;
    }
  }

  /** The next editable cell after `td` in reading order (`dir` -1: before it), wrapping across rows; null at the end. */
  nextEditable(td, dir) {
    const cells = [...this.page.tbody.querySelectorAll('tr.row td.cell')];
    const i = cells.indexOf(td);
    for (let j = i + dir; j >= 0 && j < cells.length; j += dir) if (cells[j].classList.contains('editable')) return cells[j];
    return null;
  }

  /** Show one cell as it is drawn: the Tab stop now, the range marks right after the redraw. */
  decorate(td) {
    const a = this.active;
    td.tabIndex = a && a.row === td.dataset.row && a.col === td.dataset.col ? 0 : -1;
    if (this.pendingStop) return;
    this.pendingStop = true;
    queueMicrotask(() => { this.pendingStop = false; this.ensureTabStop(); this.decorateAll(); });
  }

  /** Show every cell's state: the one Tab stop, `in-range` (ranges of more than one cell) and `aria-selected`. */
  decorateAll() {
    const layout = this.layout();
    const b = this.bounds(layout);
    const many = Boolean(b) && (b.r0 !== b.r1 || b.c0 !== b.c1);
    const a = this.active;
    for (const td of this.page.tbody?.querySelectorAll('tr.row td.cell') ?? []) {
      const { r, c } = td.dataset.row === undefined ? { r: -1, c: -1 } : layout.indexOf({ row: td.dataset.row, col: td.dataset.col });
      const inRange = Boolean(b) && r >= b.r0 && r <= b.r1 && c >= b.c0 && c <= b.c1;
      td.tabIndex = a && a.row === td.dataset.row && a.col === td.dataset.col ? 0 : -1;
      td.classList.toggle('in-range', inRange && many);
      td.setAttribute('aria-selected', String(inRange));
    }
  }

  /** The grid keeps exactly one Tab stop: when the active cell is not on the page, the first editable cell (else the first cell) becomes it. */
  ensureTabStop() {
    const tbody = this.page.tbody;
    if (!tbody) return;
    for (const btn of this.page.table.querySelectorAll('thead th button.sort')) btn.tabIndex = -1;
    if (this.active && this.cell(this.active.row, this.active.col)) return;
    const first = tbody.querySelector('tr.row td.cell.editable') ?? tbody.querySelector('tr.row td.cell[data-row]');
    if (!first) return;
    this.active = { row: first.dataset.row, col: first.dataset.col };
    this.anchor = this.active;
  }

  /** Focus the active cell again (after the rows were redrawn). */
  refocus() {
    const td = this.active && this.cell(this.active.row, this.active.col);
    if (td) td.focus();
  }

  /** Mouse and focus handling on a table of the grid's cells (the flat grid's, the pivot's). */
  attach(table) {
    table.setAttribute('role', 'grid');
    table.setAttribute('aria-multiselectable', 'true');
    table.addEventListener('focusin', (e) => {
      const td = e.target;
      if (!(td instanceof HTMLElement) || !td.matches('td.cell[data-row]')) return;
      const a = this.active;
      if (a && a.row === td.dataset.row && a.col === td.dataset.col) return;
      this.active = { row: td.dataset.row, col: td.dataset.col };
      this.anchor = this.active;
      this.decorateAll();
    });
    table.addEventListener('mousedown', (e) => {
      const td = e.target instanceof Element ? e.target.closest('td.cell[data-row]') : null;
      if (!td || e.button !== 0 || td.classList.contains('editing')) return;
      this.active = { row: td.dataset.row, col: td.dataset.col };
      if (!e.shiftKey || !this.anchor) this.anchor = this.active;
      this.dragging = true;
      table.classList.add('dragging');
      this.decorateAll();
    });
    table.addEventListener('mousemove', (e) => {
      if (!this.dragging || !(e.buttons & 1)) return;
      const td = e.target instanceof Element ? e.target.closest('td.cell[data-row]') : null;
      if (!td || (this.active?.row === td.dataset.row && this.active?.col === td.dataset.col)) return;
      this.select(td, true);
    });
    document.addEventListener('mouseup', () => {
      this.dragging = false;
      table.classList.remove('dragging');
    });
  }
}
