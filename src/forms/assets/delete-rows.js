// Deleting rows: a checkbox per saved row (for roles with `delete`, or with a bulk action: bulk-actions.js), "Delete N rows", a confirmation
// naming the count (in a scenario: that only this scenario loses them), one POST /delete with each row's
// `_version`. A row changed by someone else meanwhile gets the grid's conflict panel (409), as edits do.
import { api } from './api.js';
import { h, modal, toast } from './dom.js';
import { refreshBulkButtons } from './bulk-actions.js';

/** Keys listed in the confirmation before "and N more". */
const KEYS_LISTED = 8;

/** True when the signed-in role may delete rows of this table (the server checks again). */
export function mayDelete(page) {
  return Boolean(page.meta.permissions?.delete);
}

/** Saved rows the user has ticked (on any page of the grid, filtered out or not). */
export function selectedRows(page) {
  return page.rows.filter((r) => r.base && !r.base._template && r.selected);
}

/** The header cell: tick or untick every saved row on the page shown. */
export function selectAllHeader(page) {
  const box = h('input', { type: 'checkbox', id: 'select-page', 'aria-label': 'Select all rows on this page' });
  box.addEventListener('change', () => {
    for (const row of shownSaved(page)) row.selected = box.checked;
    for (const cb of page.tbody.querySelectorAll('td.select input')) cb.checked = box.checked;
    for (const tr of page.tbody.querySelectorAll('tr.row:not(.new)')) tr.classList.toggle('selected', box.checked);
    refreshSelection(page);
  });
  return h('th', { class: 'select', scope: 'col' }, box);
}

/** The row's checkbox cell (empty for a new, unsaved row: it has "Remove"). */
export function selectCell(page, row) {
  if (!row.base || row.base._template) return h('td', { class: 'select' });
  const box = h('input', { type: 'checkbox', checked: Boolean(row.selected), 'aria-label': `Select ${page.keyLabel(row)}` });
  box.addEventListener('change', () => {
    row.selected = box.checked;
    box.closest('tr')?.classList.toggle('selected', box.checked);
    refreshSelection(page);
  });
  return h('td', { class: 'select' }, box);
}

/** The toolbar button; disabled until a row is ticked. */
export function deleteButton(page) {
  const n = selectedRows(page).length;
  return h('button', { type: 'button', class: 'danger', id: 'delete-rows', disabled: n === 0 || page.deleting, onclick: () => deleteSelected(page) }, deleteLabel(n));
}

function deleteLabel(n) {
  return n ? `Delete ${n} ${n === 1 ? 'row' : 'rows'}` : 'Delete';
}

/** The saved rows on the page of the grid shown. */
function shownSaved(page) {
  return page.shownRows().filter((r) => r.base && !r.base._template);
}

/** Update the Delete button, the bulk action buttons and the header checkbox after the selection changed. */
export function refreshSelection(page) {
  refreshBulkButtons(page);
  const n = selectedRows(page).length;
  const btn = document.getElementById('delete-rows');
  if (btn) { btn.textContent = deleteLabel(n); btn.disabled = n === 0 || Boolean(page.deleting); }
  const all = document.getElementById('select-page');
  if (all) {
    const shown = shownSaved(page);
    const ticked = shown.filter((r) => r.selected).length;
    all.checked = shown.length > 0 && ticked === shown.length;
    all.indeterminate = ticked > 0 && ticked < shown.length;
    all.disabled = shown.length === 0;
  }
}

/** Ask before deleting: the count, the keys, and where the rows disappear. Resolves true when confirmed. */
async function confirmDelete(page, rows) {
  const n = rows.length;
  const what = `${n} ${n === 1 ? 'row' : 'rows'}`;
  const inScenario = page.meta.scenarios && page.scenario !== 'base';
  const where = inScenario
    ? `In scenario ${page.scenario} only: ${n === 1 ? 'it is' : 'they are'} hidden in ${page.scenario}, while ${page.parentScenario() ?? 'base'} and other scenarios keep ${n === 1 ? 'it' : 'them'}.`
    : `${n === 1 ? 'It disappears' : 'They disappear'} from ${page.meta.name}${page.meta.scenarios ? ' (base)' : ''}; the history keeps the old values.`;
  const hidden = rows.filter((r) => !page.shownRows().includes(r)).length;
  const edited = rows.filter((r) => Object.keys(r.edits).length > 0).length;
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'delete-title', 'aria-describedby': 'delete-where' },
    h('form', { method: 'dialog' },
      h('h2', { id: 'delete-title', text: `Delete ${what}?` }),
      h('p', { id: 'delete-where', text: where }),
      h('ul', { class: 'delete-keys' },
        rows.slice(0, KEYS_LISTED).map((r) => h('li', { text: page.keyLabel(r) })),
        n > KEYS_LISTED ? h('li', { class: 'more', text: `and ${n - KEYS_LISTED} more` }) : null),
      hidden ? h('p', { class: 'help', text: `${hidden} of them ${hidden === 1 ? 'is' : 'are'} not on the page shown (filter or other page).` }) : null,
      edited ? h('p', { class: 'help', text: `Unsaved changes on ${edited} of them are dropped.` }) : null,
      h('div', { class: 'dialog-actions' },
        h('button', { value: 'cancel', text: 'Cancel' }),
        h('button', { value: 'ok', class: 'danger', id: 'delete-ok', text: `Delete ${what}` }))));
  return (await modal(dialog)) === 'ok';
}

/**
 * Delete the ticked rows in one POST (each key with the `_version` it was read at). `confirmed`: skip the
 * question (the user already answered it, e.g. "Delete anyway" on a conflict).
 */
export async function deleteSelected(page, { confirmed = false } = {}) {
  // a retry after a conflict ("Delete anyway") deletes only rows the user confirmed; rows ticked since ask again
  const selected = selectedRows(page);
  const rows = confirmed ? selected.filter((r) => r.deleteConfirmed) : selected;
  if (rows.length === 0 || page.deleting) return;
  if (confirmed && rows.length < selected.length) return deleteSelected(page);
  if (!confirmed && !(await confirmDelete(page, rows))) return;
  for (const r of rows) r.deleteConfirmed = true;
  page.deleting = true;
  page.setStatus('Deleting…', 'busy');
  refreshSelection(page);
  for (const r of rows) { r.conflict = undefined; r.rowError = undefined; }
  const scenario = page.meta.scenarios && page.scenario !== 'base' ? { scenario: page.scenario } : {};
  // The user confirmed the count, so a batch above the server's threshold needs no second question.
  const body = { keys: rows.map((r) => ({ ...page.keyOf(r), _version: r.base._version ?? 0 })), ...scenario, confirm: true };
  const res = await api('POST', `/api/v1/inputs/${encodeURIComponent(page.meta.name)}/delete`, body);
  page.deleting = false;
  refreshSelection(page);
  if (!res.ok) {
    await page.showFailure(res, rows, () => deleteSelected(page, { confirmed: true }), 'delete');
    return res;
  }
  const n = rows.length;
  const what = `${n} ${n === 1 ? 'row' : 'rows'}`;
  if (res.body.pending) {
    for (const r of rows) r.selected = false;
    await page.afterDelete([]);
    page.setStatus(`Sent the deletion of ${what} for approval`, 'ok');
    toast('Your deletion needs approval: the rows stay until an approver decides', 'ok');
    return res;
  }
  await page.afterDelete(rows);
  const where = scenario.scenario ? ` in ${scenario.scenario}` : '';
  page.setStatus(`Deleted ${what}${where}`, 'ok');
  toast(`Deleted ${what}${where}`, 'ok');
  return res;
}
