// Bulk one-click actions: with rows ticked (delete-rows.js's selection), "Submit N" per action the role may
// run. N counts the ticked rows where the action can succeed (workflow.js canRunOn: the status rules, locks,
// roles); the others are named in the confirmation and left out. One confirmation listing the keys, one
// POST /actions/{name} with every key; a refusal is shown on the rows it names.
import { api } from './api.js';
import { h, modal, toast } from './dom.js';
import { selectedRows } from './delete-rows.js';
import { actionsOf, canRunOn, describeSet, humanize, mayRun } from './workflow.js';

/** Keys listed in the confirmation before "and N more". */
const KEYS_LISTED = 8;

/** The actions the signed-in role may run on several rows at once. */
export function bulkActions(page) {
  return actionsOf(page.meta).filter((a) => mayRun(page, a));
}

const label = (a) => a.label ?? humanize(a.name);
const rowsText = (n) => `${n} ${n === 1 ? 'row' : 'rows'}`;

/** The toolbar buttons, one per action; disabled until a ticked row can take it. */
export function bulkActionButtons(page) {
  const ticked = selectedRows(page);
  return bulkActions(page).map((a) => {
    const n = ticked.filter((r) => canRunOn(page, a, r)).length;
    return h('button', { type: 'button', class: 'bulk-action', id: `bulk-${a.name}`, dataset: { action: a.name }, disabled: n === 0 || Boolean(page.runningBulk),
      title: a.description ?? describeSet(a), onclick: () => runBulk(page, a) }, n ? `${label(a)} ${n}` : label(a));
  });
}

/** Update each button's count after the selection changed. */
export function refreshBulkButtons(page) {
  const ticked = selectedRows(page);
  for (const a of bulkActions(page)) {
    const btn = document.getElementById(`bulk-${a.name}`);
    if (!btn) continue;
    const n = ticked.filter((r) => canRunOn(page, a, r)).length;
    btn.textContent = n ? `${label(a)} ${n}` : label(a);
    btn.disabled = n === 0 || Boolean(page.runningBulk);
  }
}

/** Ask once: the action, the keys it applies to, the ticked rows it skips and why; a comment where required. */
async function confirmBulk(page, action, rows, skipped) {
  const needsComment = Boolean(action.comment_required ?? action.commentRequired);
  const comment = h('textarea', { id: 'bulk-comment', rows: 2, required: needsComment || undefined });
  const inScenario = page.meta.scenarios && page.scenario !== 'base' ? ` in scenario ${page.scenario}` : '';
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'bulk-title' },
    h('form', { method: 'dialog' },
      h('h2', { id: 'bulk-title', text: `${label(action)} ${rowsText(rows.length)}?` }),
      h('p', { text: `${describeSet(action) || label(action)} on ${rowsText(rows.length)}${inScenario}, in one logged change.` }),
      h('ul', { class: 'delete-keys', id: 'bulk-keys' },
        rows.slice(0, KEYS_LISTED).map((r) => h('li', { text: page.keyLabel(r) })),
        rows.length > KEYS_LISTED ? h('li', { class: 'more', text: `and ${rows.length - KEYS_LISTED} more` }) : null),
      skipped.length ? h('p', { class: 'help', id: 'bulk-skipped', text: `${rowsText(skipped.length)} of the ticked ${skipped.length === 1 ? 'is' : 'are'} left out (${label(action)} cannot apply there: ${skipped.slice(0, 3).map((r) => page.keyLabel(r)).join(', ')}${skipped.length > 3 ? '…' : ''}).` }) : null,
      h('label', { for: 'bulk-comment', text: needsComment ? 'Comment (required)' : 'Comment (optional)' }), comment,
      h('div', { class: 'dialog-actions' },
        h('button', { value: 'cancel', formnovalidate: true, text: 'Cancel' }),
        h('button', { value: 'ok', class: 'primary', id: 'bulk-ok', text: `${label(action)} ${rowsText(rows.length)}` }))));
  if ((await modal(dialog)) !== 'ok') return undefined;
  return { comment: comment.value.trim() || undefined };
}

/** Run `action` on every ticked row it can apply to: one confirmation, one POST. */
export async function runBulk(page, action) {
  const ticked = selectedRows(page);
  const rows = ticked.filter((r) => canRunOn(page, action, r));
  const skipped = ticked.filter((r) => !rows.includes(r));
  if (rows.length === 0 || page.runningBulk) return;
  const answer = await confirmBulk(page, action, rows, skipped);
  if (!answer) return;
  page.runningBulk = true;
  refreshBulkButtons(page);
  page.setStatus(`${label(action)}: ${rowsText(rows.length)}…`, 'busy');
  for (const r of rows) r.rowError = undefined;
  const res = await api('POST', `/api/v1/inputs/${encodeURIComponent(page.meta.name)}/actions/${encodeURIComponent(action.name)}`, {
    keys: rows.map((r) => page.keyOf(r)),
    // the dialog was the confirmation (also above the server's bulk threshold)
    confirm: true,
    ...(answer.comment ? { comment: answer.comment } : {}),
    ...(page.meta.scenarios && page.scenario !== 'base' ? { scenario: page.scenario } : {}),
  });
  page.runningBulk = false;
  if (!res.ok) {
    const err = res.body.error;
    // details name the rows (index in the keys sent); anything else is shown on every row sent
    const named = (err.details ?? []).filter((d) => Number.isInteger(d.row) && rows[d.row]);
    for (const d of named) rows[d.row].rowError = `${label(action)}: ${d.message}`;
    if (named.length === 0) for (const r of rows) r.rowError = `${label(action)}: ${err.message}`;
    page.renderBody();
    page.setStatus(`${label(action)} failed: nothing was changed — ${err.message}`, 'error');
    refreshBulkButtons(page);
    return res;
  }
  for (const r of rows) r.selected = false;
  await page.reload();
  const pending = res.body.pending;
  const text = pending ? `${label(action)}: ${rowsText(rows.length)} sent for approval` : `${label(action)}: ${rowsText(rows.length)} done`;
  page.setStatus(text, 'ok');
  toast(text, 'ok');
  return res;
}
