// Approvals and one-click actions: the pending queue (approve / reject with a comment), pending rows
// marked in the grid, and the table's actions as row buttons. Hidden when the server has no such routes.
import { api } from './api.js';
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

function mayRun(page, action) {
  const roles = action.roles;
  return page.canWrite && (!Array.isArray(roles) || page.me.role === null || roles.includes(page.me.role));
}

/** Buttons of the table's one-click actions on a saved row. */
export function rowActionButtons(page, row) {
  return actionsOf(page.meta).filter((a) => mayRun(page, a) && !alreadySet(a, row) && statusAllows(page, a, row)).map((a) =>
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

function describeSet(a) {
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
    render(changes, byKey);
  }
  function render(changes, byKey) {
    if (changes.length === 0) return replace(el);
    const canApprove = page.meta.permissions.approve;
    replace(el, h('section', { class: 'pending', 'aria-labelledby': 'pending-title' },
      h('h2', { id: 'pending-title' }, canApprove ? 'Waiting for your approval' : 'Pending approval', h('span', { class: 'badge', text: String(changes.length) })),
      h('ul', { class: 'pending-list' }, changes.map((c) => {
        const by = pick(c, 'proposed_by', 'proposedBy');
        const own = by === page.me.user;
        return h('li', { class: 'pending-item', dataset: { id: c.id } },
          h('div', { class: 'entry-head' },
            h('strong', { text: by }),
            h('span', { class: 'op', text: `proposed ${c.op === 'delete' ? 'deleting ' : ''}${c.rows.length} ${c.rows.length === 1 ? 'row' : 'rows'}` }),
            h('time', { datetime: pick(c, 'proposed_at', 'proposedAt'), text: formatTime(pick(c, 'proposed_at', 'proposedAt')) }),
            c.comment ? h('span', { class: 'comment', text: `“${c.comment}”` }) : null),
          h('table', { class: 'changes' }, h('tbody', {}, c.rows.slice(0, 5).map((pr) => {
            const current = byKey.get(keyOfRow(page, pr))?.base;
            return h('tr', {},
              h('th', { scope: 'row', text: page.keyCols.map((k) => pr[k.name]).join(' · ') }),
              c.op === 'delete' ? h('td', { class: 'old', text: 'delete this row' }) : h('td', {}, page.inputCols.filter((col) => Object.hasOwn(pr, col.name)).map((col) =>
                h('span', { class: 'chg' }, `${col.name} `,
                  h('span', { class: 'old', text: current ? display(col, current[col.name]) || '—' : 'new' }), ' → ',
                  h('span', { class: 'new', text: display(col, pr[col.name]) || '—' })))));
          }))),
          h('div', { class: 'conflict-actions' },
            canApprove && !own ? [
              h('button', { type: 'button', class: 'primary approve', onclick: () => decide(page, c, 'approve') }, 'Approve…'),
              h('button', { type: 'button', class: 'danger reject', onclick: () => decide(page, c, 'reject') }, 'Reject…'),
            ] : h('span', { class: 'help', text: own ? 'Waiting for an approver (nobody approves their own change).' : 'Waiting for an approver.' })));
      }))));
  }
  return { refresh };
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
