// The history drawer of one row: who changed what and when (old → new per column), from the audit log.
// Entry kinds (`op`): upsert, delete, reset, proposals waiting for approval, rejections; a kind this page
// does not know yet is shown by its name.
import { api, query } from './api.js';
import { formatTime, h, modal, replace } from './dom.js';
import { display } from './rules.js';

/** How known entry kinds read in the drawer (upsert: "created" or "changed", see opLabel). */
const OP_LABELS = {
  delete: 'deleted',
  reset: 'reset to parent',
  propose_upsert: 'proposed',
  propose_delete: 'proposed deletion',
  reject: 'rejected',
};

/** The group of an entry kind, for styling: change, deletion, proposal, decision or other. */
export function opGroup(op) {
  if (op === 'upsert' || op === 'reset') return 'change';
  if (op === 'delete') return 'deletion';
  if (String(op).startsWith('propose')) return 'proposal';
  if (op === 'reject') return 'decision';
  return 'other';
}

/** How an entry's kind reads: "created", "changed", "deleted", "proposed", "rejected"…; an unknown `some_op` reads "some op". */
export function opLabel(entry) {
  const op = entry.op ?? 'upsert';
  if (op === 'upsert') return entry.version === 1 ? 'created' : 'changed';
  if (Object.hasOwn(OP_LABELS, op)) return OP_LABELS[op];
  return String(op).replace(/_/g, ' ');
}

/** Open the history of `row` of the form page `page`. */
export async function openHistory(page, row) {
  const key = page.keyOf(row);
  const body = h('div', { class: 'drawer-body' }, h('p', { class: 'loading', text: 'Loading history…' }));
  const dialog = h('dialog', { class: 'drawer', 'aria-labelledby': 'history-title' },
    h('header', {},
      h('h2', { id: 'history-title', text: `History of ${page.keyLabel(row)}` }),
      h('form', { method: 'dialog' }, h('button', { class: 'icon', 'aria-label': 'Close history', text: '✕' }))),
    body);
  const closed = modal(dialog);
  const params = Object.fromEntries(Object.entries(key).map(([k, v]) => [`key.${k}`, v]));
  const res = await api('GET', `/api/v1/inputs/${encodeURIComponent(page.meta.name)}/history${query(params)}`);
  if (!res.ok) {
    replace(body, h('p', { class: 'field-error', role: 'alert', text: res.body.error.message }));
    return closed;
  }
  const entries = [...(res.body.entries ?? [])].reverse();
  if (entries.length === 0) {
    replace(body, h('p', { class: 'empty', text: 'No changes recorded for this row.' }));
    return closed;
  }
  const colOf = (name) => page.meta.columns.find((c) => c.name === name) ?? { type: 'string' };
  const shown = (name, v) => (v === null || v === undefined ? '—' : display(colOf(name), v));
  replace(body, h('ol', { class: 'history' }, entries.map((e) => {
    const changes = Array.isArray(e.changes) ? e.changes : [];
    return h('li', { class: `entry op-${opGroup(e.op ?? 'upsert')}`, dataset: { op: String(e.op ?? 'upsert') } },
      h('div', { class: 'entry-head' },
        // the directory's name and e-mail when known, the stable user id (what the log records) under them
        h('strong', { class: 'user', text: e.user_name ?? e.user ?? '' }),
        e.user_email ? h('span', { class: 'user-email', text: `· ${e.user_email}` }) : null,
        h('span', { class: 'op', text: opLabel(e) }),
        h('time', { datetime: e.at, text: formatTime(e.at) }),
        page.meta.scenarios && e.scenario ? h('span', { class: 'badge', text: e.scenario }) : null,
        Number.isInteger(e.version) ? h('span', { class: 'ver', text: `v${e.version}` }) : null),
      e.user_name || e.user_email ? h('p', { class: 'user-id', text: e.user ?? '' }) : null,
      e.comment ? h('p', { class: 'comment', text: `“${e.comment}”` }) : null,
      changes.length ? h('table', { class: 'changes' },
        h('tbody', {}, changes.map((c) => h('tr', {},
          h('th', { scope: 'row', text: c.column }),
          h('td', { class: 'old', text: shown(c.column, c.old) }),
          h('td', { class: 'arrow', 'aria-label': 'to', text: '→' }),
          h('td', { class: 'new', text: shown(c.column, c.new) }))))) : null);
  })));
  return closed;
}
