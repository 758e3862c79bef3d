// Approvals and one-click actions: the pending queue (approve / reject with a comment), pending rows
// marked in the grid, and the table's actions as row buttons. Hidden when the server has no such routes.
import { api, query } from './api.js';
import { formatTime, h, modal, replace, toast } from './dom.js';
import { display } from './rules.js';
import { moveProblem } from './status-rules.js';

const pick = (o, snake, camel) => o?.[snake] ?? o?.[camel] ?? null;

/** `mark_contacted` → `Mark contacted`. */
export function humanize(name) {
  const s = String(name).replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The table's actions as a list (the API may describe them as a list or a name → action map). */
export function actionsOf(meta) {
  const a = meta.actions;
  if (!a) return [];
  return Array.isArray(a) ? a : Object.entries(a).map(([name, v]) => ({ name, ...v }));
}

/** True when the signed-in role may run the action at all (the server checks again). */
export function mayRun(page, action) {
  const roles = action.roles;
  return page.canWrite && (!Array.isArray(roles) || page.me.role === null || roles.includes(page.me.role));
}

/** True when the action can succeed on this saved row for the signed-in role: allowed, not a no-op, a permitted status move on an unlocked row. */
export function canRunOn(page, action, row) {
  return Boolean(row.base) && !row.base._template && mayRun(page, action) && !alreadySet(action, row) && statusAllows(page, action, row);
}

/** Buttons of the table's one-click actions on a saved row. */
export function rowActionButtons(page, row) {
  return actionsOf(page.meta).filter((a) => canRunOn(page, a, row)).map((a) =>
    h('button', { type: 'button', class: 'icon action', dataset: { action: a.name }, title: a.description ?? describeSet(a),
      'aria-label': `${a.label ?? humanize(a.name)}: ${page.keyLabel(row)}`, onclick: () => runAction(page, a, row) }, a.label ?? humanize(a.name)));
}

/**
 * True when the server's status rules let the caller run the action on this row: the row is not
 * locked for them, and every status it sets is a move they may make from the row's saved value.
 */
function statusAllows(page, action, row) {
  if (page.lockOf(row)) return false;
  const role = page.me.role ?? undefined;
  return Object.entries(action.set ?? {}).every(([name, to]) => {
    const col = page.meta.columns.find((c) => c.name === name);
    if (!col || (!col.transitions && !col.initial)) return true;
    return !moveProblem(col, role, row.base ? (row.base[name] ?? null) : null, to);
  });
}

/** True when running the action would change nothing on this row (its fixed values are already there). */
function alreadySet(action, row) {
  const set = Object.entries(action.set ?? {});
  return set.length > 0 && set.every(([k, v]) => v !== 'today' && v !== 'now' && row.base && String(row.base[k]) === String(v));
}

export function describeSet(a) {
  return a.set ? `Sets ${Object.entries(a.set).map(([k, v]) => `${k} = ${v}`).join(', ')}` : '';
}

/** Run an action on one row: confirmation and comment where declared, then one POST. */
export async function runAction(page, action, row) {
  const label = action.label ?? humanize(action.name);
  const needsComment = Boolean(pick(action, 'comment_required', 'commentRequired'));
  let comment;
  if (action.confirm || needsComment) {
    const text = h('textarea', { id: 'action-comment', rows: 3, required: needsComment || undefined });
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'action-title' },
      h('form', { method: 'dialog' },
        h('h2', { id: 'action-title', text: `${label}?` }),
        h('p', { text: `${describeSet(action) || label} on ${page.keyLabel(row)}${page.meta.scenarios && page.scenario !== 'base' ? ` in scenario ${page.scenario}` : ''}.` }),
        needsComment ? [h('label', { for: 'action-comment', text: 'Comment (required)' }), text] : null,
        h('div', { class: 'dialog-actions' },
          h('button', { value: 'cancel', formnovalidate: true, text: 'Cancel' }),
          h('button', { value: 'ok', class: 'primary', id: 'action-ok', text: label }))));
    if ((await modal(dialog)) !== 'ok') return;
    comment = text.value.trim() || undefined;
  }
  const res = await api('POST', `/api/v1/inputs/${encodeURIComponent(page.meta.name)}/actions/${encodeURIComponent(action.name)}`, {
    keys: [page.keyOf(row)],
    ...(action.confirm ? { confirm: true } : {}),
    ...(comment ? { comment } : {}),
    ...(page.meta.scenarios && page.scenario !== 'base' ? { scenario: page.scenario } : {}),
  });
  if (!res.ok) {
    row.rowError = `${label}: ${[res.body.error.message, ...res.body.error.details.map((d) => d.message)].join(' — ')}`;
    page.renderBody();
    page.setStatus(`${label} failed`, 'error');
    return;
  }
  await page.reload();
  const pending = res.body.pending;
  page.setStatus(pending ? `${label}: sent for approval` : `${label}: done`, 'ok');
  toast(pending ? `${label} needs approval: it is pending` : `${label}: done`, 'ok');
}

/** Rows of a pending change listed in the panel; current values looked up for at most MAX_LOOKUPS rows not on the page. */
const SHOWN_ROWS = 5;
const MAX_LOOKUPS = 50;

function keyOfRow(page, r) {
  return JSON.stringify(page.keyCols.map((c) => String(r[c.name] ?? '')));
}

/** The approver's queue above the grid; `refresh()` marks pending rows (before the grid renders) on every reload. */
export function pendingPanel(page) {
  let available = true;
  const el = page.workflowEl;
  async function refresh() {
    if (!available) return;
    const res = await api('GET', `/api/v1/inputs/${encodeURIComponent(page.meta.name)}/pending`);
    if (!res.ok) {
      if (res.status === 404 || res.status === 400) available = false;
      return replace(el);
    }
    const all = res.body.changes ?? res.body.pending ?? [];
    const changes = all.filter((c) => (c.status ?? 'pending') === 'pending' && (c.scenario ?? 'base') === (page.meta.scenarios ? page.scenario : 'base'));
    const byKey = new Map(page.rows.filter((r) => r.base).map((r) => [keyOfRow(page, r.base), r]));
    for (const r of page.rows) if (r.base) delete r.base._pending;
    for (const c of changes) for (const pr of c.rows) { const r = byKey.get(keyOfRow(page, pr)); if (r) r.base._pending = c; }
    await currentOfUnloaded(changes, byKey);
    render(changes, byKey);
  }
  /** The grid holds one page: the current values of a shown change's rows on other pages come from the API (under the caller's row filter). */
  async function currentOfUnloaded(changes, byKey) {
    const missing = new Map();
    for (const c of changes) for (const pr of c.rows.slice(0, SHOWN_ROWS)) if (!byKey.has(keyOfRow(page, pr))) missing.set(keyOfRow(page, pr), pr);
    const scenario = page.meta.scenarios && page.scenario !== 'base' ? { scenario: page.scenario } : {};
    await Promise.all([...missing.values()].slice(0, MAX_LOOKUPS).map(async (pr) => {
      const filter = Object.fromEntries(page.keyCols.map((k) => [`filter.${k.name}`, pr[k.name]]));
      const res = await api('GET', `/api/v1/inputs/${encodeURIComponent(page.meta.name)}/rows${query({ ...filter, ...scenario, limit: 1 })}`);
      const row = res.ok ? res.body.rows[0] : undefined;
      if (row) byKey.set(keyOfRow(page, row), { base: row });
    }));
  }
  function render(changes, byKey) {
    if (changes.length === 0) return replace(el);
    const canApprove = page.meta.permissions.approve;
    const decidable = changes.filter((c) => canApprove && verdictsFor(page, c).length > 0);
    const boxes = new Map();
    const bulk = h('div', { class: 'pending-bulk tool-group' });
    const refreshBulk = () => {
      const ticked = decidable.filter((c) => boxes.get(c.id)?.checked);
      const approvable = ticked.filter((c) => verdictsFor(page, c).includes('approve'));
      replace(bulk, decidable.length > 1 ? [
        h('button', { type: 'button', class: 'primary', id: 'approve-selected', disabled: ticked.length === 0 || approvable.length < ticked.length,
          title: approvable.length < ticked.length ? 'Nobody approves their own change: untick yours to approve the others' : undefined,
          onclick: () => decideMany(page, ticked, 'approve') }, ticked.length ? `Approve ${ticked.length}` : 'Approve'),
        h('button', { type: 'button', class: 'danger', id: 'reject-selected', disabled: ticked.length === 0, onclick: () => decideMany(page, ticked, 'reject') }, ticked.length ? `Reject ${ticked.length}` : 'Reject'),
      ] : null);
    };
    replace(el, h('section', { class: 'pending', 'aria-labelledby': 'pending-title' },
      h('h2', { id: 'pending-title' }, canApprove ? 'Waiting for your approval' : 'Pending approval', h('span', { class: 'badge', text: String(changes.length) })),
      bulk,
      h('ul', { class: 'pending-list' }, changes.map((c) => {
        const by = pick(c, 'proposed_by', 'proposedBy');
        const verdicts = canApprove ? verdictsFor(page, c) : [];
        const box = verdicts.length && decidable.length > 1 ? h('input', { type: 'checkbox', class: 'pending-select', 'aria-label': `Select the change by ${by}: ${changeKeys(page, c)}`, onchange: refreshBulk }) : null;
        if (box) boxes.set(c.id, box);
        return h('li', { class: 'pending-item', dataset: { id: c.id } },
          h('div', { class: 'entry-head' },
            box,
            h('strong', { text: by }),
            h('span', { class: 'op', text: `proposed ${c.op === 'delete' ? 'deleting ' : ''}${c.rows.length} ${c.rows.length === 1 ? 'row' : 'rows'}` }),
            h('time', { datetime: pick(c, 'proposed_at', 'proposedAt'), text: formatTime(pick(c, 'proposed_at', 'proposedAt')) }),
            c.comment ? h('span', { class: 'comment', text: `“${c.comment}”` }) : null),
          h('table', { class: 'changes' }, h('tbody', {}, c.rows.slice(0, SHOWN_ROWS).map((pr) => {
            const current = byKey.get(keyOfRow(page, pr))?.base;
            return h('tr', {},
              h('th', { scope: 'row', text: page.keyCols.map((k) => pr[k.name]).join(' · ') }),
              c.op === 'delete' ? h('td', { class: 'old', text: 'delete this row' }) : h('td', {}, page.inputCols.filter((col) => Object.hasOwn(pr, col.name)).map((col) =>
                h('span', { class: 'chg' }, `${col.name} `,
                  h('span', { class: 'old', text: current ? display(col, current[col.name]) || '—' : 'new' }), ' → ',
                  h('span', { class: 'new', text: display(col, pr[col.name]) || '—' })))));
          }))),
          h('div', { class: 'conflict-actions' },
            verdicts.includes('approve') ? h('button', { type: 'button', class: 'primary approve', onclick: () => decide(page, c, 'approve') }, 'Approve…') : null,
            verdicts.includes('reject') ? h('button', { type: 'button', class: 'danger reject', onclick: () => decide(page, c, 'reject') }, verdicts.includes('approve') ? 'Reject…' : 'Withdraw…') : null,
            verdicts.includes('approve') ? null : h('span', { class: 'help', text: by === page.me.user ? 'Waiting for an approver (nobody approves their own change).' : 'Waiting for an approver.' })));
      }))));
    refreshBulk();
  }
  return { refresh };
}

/**
 * What the signed-in user may decide on a pending change, as the server decides it: `approve`
 * needs the `approve` permission and a change someone else proposed (four eyes); `reject` needs
 * `approve` only (a proposer may withdraw their own change).
 */
export function verdictsFor(page, change) {
  if (!page.meta.permissions.approve) return [];
  const own = pick(change, 'proposed_by', 'proposedBy') === page.me.user;
  return own ? ['reject'] : ['approve', 'reject'];
}

/** The keys of a change's rows, for a label. */
function changeKeys(page, change) {
  return change.rows.map((r) => page.keyCols.map((k) => r[k.name]).join(' · ')).join(', ');
}

/** Keys listed in a bulk confirmation before "and N more". */
const KEYS_LISTED = 8;

/** Approve or reject the ticked changes: one confirmation naming every key, one comment, one POST (all or none). */
async function decideMany(page, changes, verdict) {
  const label = verdict === 'approve' ? 'Approve' : 'Reject';
  const keys = changes.flatMap((c) => c.rows.map((r) => ({ by: pick(c, 'proposed_by', 'proposedBy'), key: page.keyCols.map((k) => r[k.name]).join(' · ') })));
  const text = h('textarea', { id: 'decide-comment', rows: 3, required: true });
  const error = h('div', { class: 'form-error', id: 'decide-error', role: 'alert', hidden: true });
  const n = changes.length;
  const form = h('form', {},
    h('h2', { id: 'decide-title', text: `${label} ${n} ${n === 1 ? 'change' : 'changes'}?` }),
    h('p', { text: verdict === 'approve'
      ? `Every row below is written with your approval logged, all together: if one cannot be approved, none is.`
      : 'None of the rows below is written; the proposers see your comment.' }),
    h('ul', { class: 'delete-keys', id: 'decide-keys' },
      keys.slice(0, KEYS_LISTED).map((k) => h('li', { text: `${k.key} (by ${k.by})` })),
      keys.length > KEYS_LISTED ? h('li', { class: 'more', text: `and ${keys.length - KEYS_LISTED} more` }) : null),
    h('label', { for: 'decide-comment', text: 'Comment (required)' }), text, error,
    h('div', { class: 'dialog-actions' },
      h('button', { type: 'button', text: 'Cancel', onclick: () => dialog.close('cancel') }),
      h('button', { type: 'submit', class: verdict === 'approve' ? 'primary' : 'danger', id: 'decide-ok', text: `${label} ${n}` })));
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'decide-title' }, form);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const res = await api('POST', `/api/v1/inputs/${encodeURIComponent(page.meta.name)}/pending/${verdict}`, { ids: changes.map((c) => c.id), comment: text.value.trim() });
    if (!res.ok) {
      const err = res.body.error;
      replace(error, h('strong', { text: err.message }), (err.details ?? []).length ? h('ul', { class: 'error-details' }, err.details.slice(0, 5).map((d) => h('li', { text: d.message }))) : null);
      error.hidden = false;
      return;
    }
    dialog.close('ok');
    await page.reload();
    const done = verdict === 'approve' ? 'Approved' : 'Rejected';
    const rows = (res.body.changes ?? []).reduce((sum, c) => sum + c.change.rows.length, 0);
    page.setStatus(`${done} ${n} ${n === 1 ? 'change' : 'changes'} (${rows} ${rows === 1 ? 'row' : 'rows'})`, 'ok');
    toast(`${done} ${n} ${n === 1 ? 'change' : 'changes'}`, 'ok');
  });
  const closed = modal(dialog);
  text.focus();
  return closed;
}

/** Approve or reject a pending change with a (required) comment. */
async function decide(page, change, verdict) {
  const text = h('textarea', { id: 'decide-comment', rows: 3, required: true });
  const error = h('p', { class: 'field-error', role: 'alert' });
  const by = pick(change, 'proposed_by', 'proposedBy');
  const form = h('form', {},
    h('h2', { id: 'decide-title', text: `${verdict === 'approve' ? 'Approve' : 'Reject'} the change by ${by}` }),
    h('p', { text: `${change.rows.length} ${change.rows.length === 1 ? 'row' : 'rows'}${verdict === 'approve' ? ` will be ${change.op === 'delete' ? 'deleted' : 'written'}, with your approval logged.` : ` will not be ${change.op === 'delete' ? 'deleted' : 'written'}.`}` }),
    h('label', { for: 'decide-comment', text: 'Comment (required)' }), text, error,
    h('div', { class: 'dialog-actions' },
      h('button', { type: 'button', text: 'Cancel', onclick: () => dialog.close('cancel') }),
      h('button', { type: 'submit', class: verdict === 'approve' ? 'primary' : 'danger', id: 'decide-ok', text: verdict === 'approve' ? 'Approve' : 'Reject' })));
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'decide-title' }, form);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const res = await api('POST', `/api/v1/inputs/${encodeURIComponent(page.meta.name)}/pending/${encodeURIComponent(change.id)}/${verdict}`, { comment: text.value.trim() });
    if (!res.ok) { error.textContent = res.body.error.message; return; }
    dialog.close('ok');
    await page.reload();
    page.setStatus(verdict === 'approve' ? `Approved the change by ${by}` : `Rejected the change by ${by}`, 'ok');
    toast(verdict === 'approve' ? 'Approved and written' : 'Rejected', 'ok');
  });
  const closed = modal(dialog);
  text.focus();
  return closed;
}
