// The grid's keyboard and clipboard bindings on a selected cell (not editing; the editor's own keys
// are in grid.js startEdit). The bindings are listed in src/forms/CONTEXT.md.
import { clearSelection, fillDown, pasteCells, selectionTsv } from './clipboard.js';
import { isHeaderLine, openPaste, parseTsv } from './paste.js';
import { validate } from './rules.js';
import { step } from './undo.js';

const ARROWS = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };

/** The grid cell the keyboard is on (`td.cell` of the page's table or of its pivot, with focus), or null. */
function focusedCell(page) {
  const el = document.activeElement;
  return el instanceof HTMLElement && el.matches('td.cell') && (page.table.contains(el) || Boolean(page.pivot?.table.contains(el))) ? el : null;
}

/** Wire the grid's table: selection (mouse, focus), keys on cells and header buttons, copy and paste. */
export function attachGrid(page) {
  const table = page.table;
  page.sel.attach(table);
  table.addEventListener('keydown', (e) => {
    const target = e.target;
    if (!(target instanceof HTMLElement)) return;
    if (target.matches('td.cell')) cellKeydown(page, e, target);
    else if (target.matches('thead th button.sort')) headerKeydown(page, e, target);
  });
  // copy and paste reach the document when the focused cell holds no editable selection
  document.addEventListener('copy', (e) => {
    if (!focusedCell(page) || !e.clipboardData) return;
    e.preventDefault();
    e.clipboardData.setData('text/plain', selectionTsv(page));
    page.setStatus('Copied', '');
  });
  document.addEventListener('paste', (e) => {
    const td = focusedCell(page);
    if (!td || !page.canWrite || !e.clipboardData) return;
    const text = e.clipboardData.getData('text/plain') ?? '';
    if (text === '') return;
    e.preventDefault();
    const lines = parseTsv(text);
    // whole rows under a header line of column names still go through the "Paste rows" preview
    if (lines.length > 1 && isHeaderLine(page, lines[0])) openPaste(page, text);
    else pasteCells(page, text);
  });
}

/** Keys on a selected cell. */
export function cellKeydown(page, e, td) {
  if (td.classList.contains('editing')) return;
  const { row, col } = page.lookup(td);
  if (!row || !col) return;
  const mod = e.ctrlKey || e.metaKey;
  const editable = page.editable(row, col);
  if (mod && !e.altKey) {
    const k = e.key.toLowerCase();
    if (k === 'c') { e.preventDefault(); document.execCommand('copy'); }
    else if (k === 'z' || k === 'y') {
      e.preventDefault();
      const back = k === 'z' && !e.shiftKey;
      if (!step(page, back)) page.setStatus(back ? 'Nothing to undo' : 'Nothing to redo');
    } else if (k === 'd' && page.canWrite) { e.preventDefault(); fillDown(page); }
    return;
  }
  if (ARROWS[e.key]) {
    e.preventDefault();
    const header = e.key === 'ArrowUp' && !e.shiftKey && !page.pivot?.active && page.sel.indexOf({ row: td.dataset.row, col: col.name }).r === 0
      ? page.table.querySelector(`thead th[data-col="${CSS.escape(col.name)}"] button.sort`) : null;
    if (header) header.focus(); else page.moveFocus(td, ...ARROWS[e.key], e.shiftKey);
    return;
  }
  if (e.key === 'Tab') {
    const next = page.sel.nextEditable(td, e.shiftKey ? -1 : 1);
    if (next) { e.preventDefault(); page.sel.select(next); }
    return; // past the last editable cell, Tab leaves the grid (to the row buttons and the pager)
  }
  if (e.key === 'Delete' || e.key === 'Backspace') { e.preventDefault(); if (page.canWrite) clearSelection(page); return; }
  if (!editable) return;
  if (e.key === 'Enter' || e.key === 'F2') { e.preventDefault(); page.startEdit(td); return; }
  if (e.key === 'Escape' && Object.hasOwn(row.edits, col.name) && row.base) {
    e.preventDefault();
    page.revertCell(row, col);
    return;
  }
  if (col.type === 'boolean') {
    if (e.key === ' ') { e.preventDefault(); page.commitCell(row, col, validate(col, !(page.value(row, col.name) === true))); }
    return;
  }
  if ([...e.key].length === 1 && !e.altKey) {
    e.preventDefault();
    page.startEdit(td, e.key, e.timeStamp);
  }
}

/** Arrows on a column header's sort button: along the headers, or down into the grid. */
function headerKeydown(page, e, btn) {
  const th = btn.closest('th');
  if (e.key === 'ArrowDown') {
    e.preventDefault();
    const layout = page.sel.layout();
    const col = th.dataset.col;
    const td = layout.rows.length && layout.cols.includes(col) ? page.sel.cell(layout.rows[0], col) : null;
    if (td) page.sel.select(td); else page.sel.refocus();
  } else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
    e.preventDefault();
    const all = [...page.table.querySelectorAll('thead th button.sort')];
    all[all.indexOf(btn) + (e.key === 'ArrowLeft' ? -1 : 1)]?.focus();
  }
}
