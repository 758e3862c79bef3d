// Promote and archive the scenario shown. Promote: a dry run first (per table, the rows that would be
// written into the parent, old → new, with totals of numeric columns), then a confirm button that sends `confirm: true`. Archive: after a confirmation.
// The server decides who may do either; its refusal (403, 409, …) is shown inline with its message.
import { api } from './api.js';
import { h, modal, replace, toast } from './dom.js';
import { display } from './rules.js';
import { loadScenarios, switchScenario } from './scenarios.js';
import { difference, total } from './totals.js';

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

/** Rows listed per table in the promote preview before "and N more". */
const ROWS_LISTED = 20;

/** Every input table's description (columns and types), by name; empty when the list cannot be read. */
async function tableMetas() {
  const res = await api('GET', '/api/v1/inputs');
  return new Map(res.ok ? res.body.inputs.map((t) => [t.name, t]) : []);
}

/**
 * One table of the promote preview: a row per key with each column old → new (the dry run's
 * `before` and `upserts`), the deletions, and the totals of numeric columns over the promoted rows.
 */
function promotedTable(t, meta, parent, name) {
  const rawUpserts = Array.isArray(t.upserts) ? t.upserts : [];
  const rawDeletes = Array.isArray(t.deletes) ? t.deletes : [];
  const key = meta?.key ?? Object.keys(rawUpserts[0] ?? rawDeletes[0] ?? {}).slice(0, 1);
  const keyText = (r) => key.map((k) => String(r[k] ?? '')).join(' · ');
  // listed in key order, each row with its parent's values before
  const byKey = (x, y) => keyText(x.r).localeCompare(keyText(y.r), undefined, { numeric: true });
  const pairs = rawUpserts.map((r, i) => ({ r, b: Array.isArray(t.before) ? (t.before[i] ?? null) : null })).sort(byKey);
  const upserts = pairs.map((p) => p.r);
  const before = pairs.map((p) => p.b);
  const deletes = rawDeletes.map((r) => ({ r })).sort(byKey).map((p) => p.r);
  const colOf = (c) => meta?.columns.find((x) => x.name === c) ?? { name: c, type: 'string' };
  const cols = [...new Set(upserts.flatMap((r) => Object.keys(r)))].filter((c) => !key.includes(c));
  const shown = (c, v) => (v === null || v === undefined ? '—' : display(colOf(c), v));
  const totals = cols.map((c) => {
    const col = colOf(c);
    // a key the parent lacks counts as nothing before; a column the scenario does not change keeps its value
    const olds = upserts.map((r, i) => (Object.hasOwn(r, c) ? (before[i]?.[c] ?? null) : null));
    const news = upserts.map((r, i) => (Object.hasOwn(r, c) ? r[c] : (before[i]?.[c] ?? null)));
    const a = total(col, olds);
    const b = total(col, news);
    return { c, a, b, d: difference(col, a, b) };
  }).filter((x) => x.a !== undefined);
  return h('section', { class: 'promote-table', dataset: { table: String(t.table) } },
    h('h3', { text: `${t.table}: ${count(upserts)} changed, ${count(deletes)} deleted` }),
    h('div', { class: 'paste-preview', role: 'region', 'aria-label': `Rows of ${t.table} to promote`, tabindex: '0' }, h('table', { class: 'grid promote' },
      h('caption', { class: 'sr-only', text: `${t.table}: ${parent} before → ${name}` }),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: key.join(' · ') || 'Key' }), cols.map((c) => h('th', { scope: 'col', text: `${c} (${parent} → ${name})` })))),
      h('tbody', {},
        upserts.slice(0, ROWS_LISTED).map((r, i) => h('tr', { class: 'promote-row' },
          h('th', { scope: 'row', text: keyText(r) }),
          cols.map((c) => (Object.hasOwn(r, c)
            ? h('td', { class: 'diff' }, h('span', { class: 'a', text: before[i] ? shown(c, before[i][c]) : 'new' }), h('span', { class: 'arrow', text: ' → ' }), h('span', { class: 'b', text: shown(c, r[c]) }))
            : h('td', { class: 'same', text: '' }))))),
        upserts.length > ROWS_LISTED ? h('tr', { class: 'more' }, h('td', { colspan: cols.length + 1, text: `and ${upserts.length - ROWS_LISTED} more` })) : null,
        deletes.slice(0, ROWS_LISTED).map((r) => h('tr', { class: 'promote-row deleted' }, h('th', { scope: 'row', text: keyText(r) }), h('td', { colspan: Math.max(1, cols.length), text: `deleted in ${parent}` }))),
        deletes.length > ROWS_LISTED ? h('tr', { class: 'more' }, h('td', { colspan: cols.length + 1, text: `and ${deletes.length - ROWS_LISTED} more deletions` })) : null),
      totals.length ? h('tfoot', {}, h('tr', { class: 'totals' },
        h('th', { scope: 'row', text: 'Total of these rows' }),
        cols.map((c) => {
          const x = totals.find((y) => y.c === c);
          return x ? h('td', { class: 'diff total', dataset: { col: c } }, h('span', { class: 'a', text: shown(c, x.a) }), h('span', { class: 'arrow', text: ' → ' }), h('span', { class: 'b', text: shown(c, x.b) }),
            x.d !== undefined && x.d !== null ? h('span', { class: `delta ${String(x.d).startsWith('-') ? 'down' : 'up'}`, text: ` ${String(x.d).startsWith('-') ? '' : '+'}${shown(c, x.d)}` }) : null) : h('td', {});
        }))) : null)));
}

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
  const metas = await tableMetas();
  replace(preview,
    h('p', { class: 'paste-summary', id: 'promote-summary', text: `${rowsText(total)} would be written into ${parent}:` }),
    tables.map((t) => promotedTable(t, metas.get(t.table), parent, name)),
    tables.some((t) => t.needsApproval)
      ? h('p', { class: 'note', id: 'promote-approval', text: `Your changes to ${tables.filter((t) => t.needsApproval).map((t) => t.table).join(', ')} need approval: they become pending changes for an approver.` })
      : null);
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
