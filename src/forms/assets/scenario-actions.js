// Promote and archive the scenario shown. Promote: a dry run first (per table, how many rows would be
// written into the parent), then a confirm button that sends `confirm: true`. Archive: after a confirmation.
// The server decides who may do either; its refusal (403, 409, …) is shown inline with its message.
import { api } from './api.js';
import { h, modal, replace, toast } from './dom.js';
import { loadScenarios, switchScenario } from './scenarios.js';

/** Detail messages shown under an error before "…and N more". */
const DETAILS_SHOWN = 5;

/** "Promote…" and "Archive…" for the toolbar's scenario group (none for base, or without the scenario API). */
export function scenarioActionButtons(page) {
  if (!page.scenarioApi || page.scenario === 'base' || !page.canWrite) return null;
  const mayArchive = page.scenarios.find((s) => s.name === page.scenario)?.mayArchive ?? true;
  return [
    h('button', { type: 'button', id: 'promote-scenario', title: `Write what ${page.scenario} changes into ${page.parentScenario() ?? 'base'}`, onclick: () => promoteScenario(page) }, 'Promote…'),
    mayArchive ? h('button', { type: 'button', id: 'archive-scenario', class: 'danger', title: `Close ${page.scenario} for writes`, onclick: () => archiveScenario(page) }, 'Archive…') : null,
  ];
}

/** A server error in a dialog: its message, then the first detail messages. */
function showError(el, res) {
  const err = res.body.error;
  const details = (err.details ?? []).map((d) => d?.message).filter(Boolean);
  replace(el,
    h('strong', { text: err.message }),
    details.length ? h('ul', { class: 'error-details' },
      details.slice(0, DETAILS_SHOWN).map((m) => h('li', { text: m })),
      details.length > DETAILS_SHOWN ? h('li', { text: `…and ${details.length - DETAILS_SHOWN} more` }) : null) : null);
  el.hidden = false;
}

/** A count from the promote answer: a list of rows, or already a number. */
function count(x) {
  return Array.isArray(x) ? x.length : Number(x) || 0;
}

const rowsText = (n) => `${n} ${n === 1 ? 'row' : 'rows'}`;

/** Promote the scenario shown into its parent: preview (dry run), then confirm. */
export async function promoteScenario(page) {
  const name = page.scenario;
  const parent = page.parentScenario() ?? 'base';
  const url = `/api/v1/scenarios/${encodeURIComponent(name)}/promote`;
  const preview = h('div', { class: 'promote-preview', id: 'promote-preview', 'aria-live': 'polite' }, h('p', { class: 'loading', text: 'Checking what would be written…' }));
  const error = h('div', { class: 'form-error', id: 'promote-error', role: 'alert', hidden: true });
  const comment = h('input', { type: 'text', id: 'promote-comment', autocomplete: 'off', placeholder: `promote scenario ${name} into ${parent}` });
  const ok = h('button', { type: 'submit', class: 'primary', id: 'promote-confirm', disabled: true, text: 'Promote' });
  const form = h('form', {},
    h('h2', { id: 'promote-title', text: `Promote ${name} into ${parent}` }),
    h('p', { text: `Writes the values ${name} changes, and the rows it deleted, into ${parent}: a logged change under your name. ${name} itself stays as it is.` }),
    preview,
    h('label', { for: 'promote-comment', text: 'Comment (optional)' }), comment,
    error,
    h('div', { class: 'dialog-actions' },
      h('button', { type: 'button', text: 'Cancel', onclick: () => dialog.close('cancel') }),
      ok));
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'promote-title' }, form);
  // the confirmation names the preview it confirms: if the scenario changed since, the server refuses (409)
  let previewDigest;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (ok.disabled) return;
    ok.disabled = true;
    error.hidden = true;
    const res = await api('POST', url, { confirm: true, ...(previewDigest ? { expected_preview: previewDigest } : {}), ...(comment.value.trim() ? { comment: comment.value.trim() } : {}) });
    if (!res.ok) {
      showError(error, res);
      ok.disabled = false;
      ok.focus();
      return;
    }
    dialog.close('ok');
    const n = count(res.body.rows);
    // a role whose writes need approval promotes into pending changes, not into the parent
    const pending = (res.body.tables ?? []).flatMap((t) => t.pending ?? []);
    await page.reload();
    if (pending.length) {
      page.setStatus(`Sent ${rowsText(n)} from ${name} for approval (${pending.length === 1 ? 'pending change' : 'pending changes'} ${pending.join(', ')})`, 'ok');
      toast(`Sent ${rowsText(n)} for approval`, 'ok');
      if (page.pending) await page.pending.refresh();
      return;
    }
    page.setStatus(`Promoted ${rowsText(n)} from ${name} into ${parent}`, 'ok');
    toast(`Promoted ${rowsText(n)} into ${parent}`, 'ok');
  });
  const closed = modal(dialog);
  const dry = await api('POST', url, { dry_run: true });
  if (!dry.ok) {
    replace(preview);
    showError(error, dry);
    return closed;
  }
  const tables = dry.body.tables ?? [];
  const total = count(dry.body.rows);
  previewDigest = dry.body.preview;
  if (tables.length === 0 || total === 0) {
    replace(preview, h('p', { class: 'empty', id: 'promote-summary', text: `Nothing to promote: ${name} changes nothing in ${parent}.` }));
    return closed;
  }
  replace(preview,
    h('p', { class: 'paste-summary', id: 'promote-summary', text: `${rowsText(total)} would be written into ${parent}:` }),
    h('table', { class: 'grid promote' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col', text: 'Table' }),
        h('th', { scope: 'col', class: 'num', text: 'Rows changed' }),
        h('th', { scope: 'col', class: 'num', text: 'Rows deleted' }))),
      h('tbody', {}, tables.map((t) => h('tr', { dataset: { table: String(t.table) } },
        h('th', { scope: 'row', text: String(t.table) }),
        h('td', { class: 'num upserts', text: String(count(t.upserts)) }),
        h('td', { class: 'num deletes', text: String(count(t.deletes)) })))),
    tables.some((t) => t.needsApproval)
      ? h('p', { class: 'note', id: 'promote-approval', text: `Your changes to ${tables.filter((t) => t.needsApproval).map((t) => t.table).join(', ')} need approval: they become pending changes for an approver.` })
      : null));
  ok.textContent = `Promote ${rowsText(total)}`;
  ok.disabled = false;
  return closed;
}

/** Archive the scenario shown (after a confirmation), then show its parent. */
export async function archiveScenario(page) {
  const name = page.scenario;
  const parent = page.parentScenario() ?? 'base';
  const error = h('div', { class: 'form-error', id: 'archive-error', role: 'alert', hidden: true });
  const ok = h('button', { type: 'submit', class: 'danger', id: 'archive-confirm', text: `Archive ${name}` });
  const form = h('form', {},
    h('h2', { id: 'archive-title', text: `Archive scenario ${name}?` }),
    h('p', { id: 'archive-what', text: `Nobody can write to ${name} any more, and it leaves the scenario picker and the models' by-scenario views. Its rows and history are kept. Promote it first if ${parent} should get its values.` }),
    error,
    h('div', { class: 'dialog-actions' },
      h('button', { type: 'button', text: 'Cancel', onclick: () => dialog.close('cancel') }),
      ok));
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'archive-title', 'aria-describedby': 'archive-what' }, form);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    ok.disabled = true;
    error.hidden = true;
    const res = await api('POST', `/api/v1/scenarios/${encodeURIComponent(name)}/archive`, {});
    ok.disabled = false;
    if (!res.ok) {
      showError(error, res);
      ok.focus();
      return;
    }
    dialog.close('ok');
    page.scenarios = (await loadScenarios())?.scenarios ?? page.scenarios.filter((s) => s.name !== name);
    page.rows = []; // an archived scenario takes no writes: unsaved edits there cannot be saved
    await switchScenario(page, page.scenarios.some((s) => s.name === parent) ? parent : 'base');
    page.setStatus(`Archived scenario ${name}`, 'ok');
    toast(`Scenario ${name} archived`, 'ok');
  });
  return modal(dialog); // Cancel has the focus: archiving is one deliberate step away
}
