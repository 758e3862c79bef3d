// Undo/redo of unsaved cell edits. Every change to cells goes through `edit()`, which applies it and
// records one step (a paste, a fill or a clear of many cells is one step). A step names the row
// objects it changed: after a save or a reload those rows are replaced, so an old step finds none of
// them and changes nothing (saved data is never touched by undo).

/** One cell's unsaved state: whether it has an edit, the edit, and its error. */
function snapshot(row, name) {
  return { had: Object.hasOwn(row.edits, name), edit: row.edits[name], error: row.errors[name] };
}

function restore(row, name, s) {
  if (s.had) row.edits[name] = s.edit; else delete row.edits[name];
  if (s.error !== undefined) row.errors[name] = s.error; else delete row.errors[name];
  row.rowError = undefined;
}

/** The undo and redo stacks of one form page. */
export class UndoStack {
  constructor() {
    this.done = [];
    this.undone = [];
  }

  push(step) {
    this.done.push(step);
    this.undone = [];
  }

  clear() {
    this.done = [];
    this.undone = [];
  }
}

/**
 * Apply cell changes as one undoable step and redraw. `changes`: `[{ row, col, result }]` with
 * `result` from rules.validate (`{ value, error? }`); `added`: new row objects the step created
 * (already in `page.rows`). Returns the number of cells changed.
 */
export function edit(page, changes, added = []) {
  const cells = changes.map(({ row, col, result }) => {
    const before = snapshot(row, col.name);
    page.setCell(row, col, result);
    return { row, name: col.name, before, after: snapshot(row, col.name) };
  });
  const changed = cells.filter((c) => c.before.had !== c.after.had || c.before.edit !== c.after.edit || c.before.error !== c.after.error);
  if (changed.length || added.length) page.undo.push({ cells: changed, added });
  redraw(page, cells, added.length > 0);
  return changed.length;
}

/** Undo (`back`) or redo the last step; false when there is nothing to do. */
export function step(page, back) {
  const from = back ? page.undo.done : page.undo.undone;
  const to = back ? page.undo.undone : page.undo.done;
  const s = from.pop();
  if (!s) return false;
  const added = new Set(s.added);
  const live = new Set(page.rows);
  // a step over rows that are no longer loaded (saved and reloaded, discarded, removed) does nothing
  if (s.cells.some((c) => !added.has(c.row) && !live.has(c.row)) || (back && s.added.some((r) => !live.has(r)))) {
    page.undo.clear();
    return false;
  }
  if (back) page.rows = page.rows.filter((r) => !added.has(r));
  else for (const r of [...s.added].reverse()) if (!page.rows.includes(r)) page.rows.unshift(r);
  for (const c of s.cells) if (page.rows.includes(c.row) || added.has(c.row)) restore(c.row, c.name, back ? c.before : c.after);
  to.push(s);
  redraw(page, s.cells, s.added.length > 0);
  return true;
}

function redraw(page, cells, rowsChanged) {
  if (rowsChanged) {
    page.renderBody();
    page.renderToolbar();
  }
  for (const row of new Set(cells.map((c) => c.row))) page.refreshRow(row);
  if (rowsChanged) page.sel.refocus();
}
