// Copy, paste, fill-down and clear over the grid's selected cells. Copy gives the displayed values
// as TSV (what a spreadsheet takes); paste lands in the cells anchored at the selection's top-left,
// checked by rules.js and flagged in place; each operation is one undo step (undo.js).
import { parseTsv } from './paste.js';
import { display, validate } from './rules.js';
import { edit } from './undo.js';

/** One TSV cell: quoted when it holds a tab, a line break or a quote. */
function tsvCell(text) {
  return /[\t\n\r"]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** What rules.validate reads back for a wire value (the text a person would type). */
function typed(value) {
  return value === null || value === undefined ? '' : typeof value === 'boolean' ? value : String(value);
}

function columnOf(page, name) {
  return page.meta.columns.find((c) => c.name === name);
}

function rowOf(page, id) {
  return page.rows.find((r) => String(r.id) === String(id));
}

/** A cell as copied: its displayed value; a timestamp in full (`YYYY-MM-DD HH:MM:SS`, UTC), which the display shortens. */
function copiedText(col, value) {
  if (col.type === 'timestamp' && value !== null && value !== undefined) return String(value).replace('T', ' ').replace(/Z$/, '');
  return display(col, value);
}

/** The selected cells as TSV of their displayed values (one line per row, no trailing line break). */
export function selectionTsv(page) {
  return page.sel.rangeCells().map((line) => line.map(({ row, col }) => {
    const r = rowOf(page, row);
    const c = columnOf(page, col);
    return tsvCell(r && c ? copiedText(c, page.value(r, col)) : '');
  }).join('\t')).join('\n');
}

/** Clear every editable selected cell to an explicit null (a required or key column shows rules.js's error). */
export function clearSelection(page) {
  const changes = [];
  for (const line of page.sel.rangeCells()) {
    for (const { row, col } of line) {
      const r = rowOf(page, row);
      const c = columnOf(page, col);
      if (r && c && page.editable(r, c)) changes.push({ row: r, col: c, result: validate(c, '') });
    }
  }
  const n = edit(page, changes);
  if (n > 1) page.setStatus(`Cleared ${n} cells`, 'dirty');
}

/** Fill the range's first row's values down every other row of the range. */
export function fillDown(page) {
  const lines = page.sel.rangeCells();
  if (lines.length < 2) return;
  const changes = [];
  lines[0].forEach(({ row, col }, i) => {
    const from = rowOf(page, row);
    const c = columnOf(page, col);
    if (!from || !c) return;
    for (const line of lines.slice(1)) {
      const r = rowOf(page, line[i].row);
      if (r && page.editable(r, c)) changes.push({ row: r, col: c, result: validate(c, typed(page.value(from, col))) });
    }
  });
  const n = edit(page, changes);
  page.setStatus(`Filled ${n} ${n === 1 ? 'cell' : 'cells'} down`, 'dirty');
}

/**
 * Paste `text` (one value, or a TSV block) into the grid. One value fills every selected cell (of
 * the flat grid or the pivot). A
 * block is anchored at the selection's top-left cell: its columns are the grid's columns from there
 * on (display order), its lines the rows from there down. A line that carries every key column goes
 * to the row with that key (or a new row); lines running past the last row become new rows when the
 * block holds the key columns, else they are left out and the status says so.
 */
export function pasteCells(page, text) {
  const layout = page.sel.layout();
  const b = page.sel.bounds(layout);
  if (!b) return;
  const block = parseTsv(text.replace(/\r?\n$/, ''), { keepBlank: true });
  if (block.length === 0) return;
  const notes = [];
  let readonly = 0;
  const changes = [];
  const put = (r, c, raw) => {
    if (!page.editable(r, c)) { if (!(c.key && String(page.value(r, c.name) ?? '') === raw.trim())) readonly += 1; return; }
    changes.push({ row: r, col: c, result: validate(c, raw) });
  };
  if (block.length === 1 && block[0].length === 1) {
    for (let r = b.r0; r <= b.r1; r++) for (let c = b.c0; c <= b.c1; c++) {
      const n = layout.name(r, c);
      const row = n && rowOf(page, n.row);
      const col = n && columnOf(page, n.col);
      if (row && col) put(row, col, block[0][0]);
    }
    edit(page, changes);
    finish(page, changes, readonly, notes);
    return;
  }
  const cols = layout.cols.slice(b.c0).map((name) => columnOf(page, name));
  const width = Math.max(...block.map((line) => line.length));
  if (width > cols.length) notes.push(`${width - cols.length} pasted ${width - cols.length === 1 ? 'column' : 'columns'} past the last column left out`);
  const keyAt = page.keyCols.map((k) => cols.indexOf(k));
  const keyed = keyAt.every((i) => i >= 0 && i < width);
  const byKey = new Map(page.rows.map((r) => [JSON.stringify(page.keyCols.map((k) => String(page.value(r, k.name) ?? ''))), r]));
  const added = [];
  let leftOut = 0;
  block.forEach((line, i) => {
    let row = rowOf(page, layout.rows[b.r0 + i]);
    if (keyed) {
      const key = keyAt.map((j, k) => validate(page.keyCols[k], line[j] ?? '').value);
      const id = JSON.stringify(key.map((v) => String(v ?? '')));
      const blankNew = row && !row.base && page.keyCols.every((k) => page.value(row, k.name) === null);
      const sameKey = row && JSON.stringify(page.keyCols.map((k) => String(page.value(row, k.name) ?? ''))) === id;
      if (!sameKey && !blankNew) row = byKey.get(id) ?? newRow(page, added);
      byKey.set(id, row);
    } else if (!row) { leftOut += 1; return; }
    line.forEach((raw, j) => { if (cols[j]) put(row, cols[j], raw); });
  });
  if (leftOut) notes.push(`${leftOut} ${leftOut === 1 ? 'line' : 'lines'} past the last row left out: a new row needs the key ${page.keyCols.length === 1 ? 'column' : 'columns'} (${page.keyCols.map((k) => k.name).join(', ')}) in the pasted block`);
  for (const r of [...added].reverse()) page.rows.unshift(r);
  edit(page, changes, added);
  finish(page, changes, readonly, notes);
}

/** A new row with the columns' defaults (not yet in `page.rows`). */
function newRow(page, added) {
  const row = page.newRowObject();
  added.push(row);
  return row;
}

function finish(page, changes, readonly, notes) {
  const n = changes.length;
  if (readonly) notes.push(`${readonly} read-only ${readonly === 1 ? 'cell' : 'cells'} left unchanged`);
  const invalid = changes.filter((c) => c.result.error).length;
  const said = `Pasted ${n} ${n === 1 ? 'cell' : 'cells'}${invalid ? ` — ${invalid} ${invalid === 1 ? 'cell needs' : 'cells need'} fixing (flagged)` : ''}${notes.length ? `; ${notes.join('; ')}` : ''}`;
  page.setStatus(said, invalid || notes.length ? 'error' : 'dirty');
}
