// The history drawer of one row: who changed what and when (old → new per column), from the audit log.
import { api, query } from './api.js';
import { formatTime, h, modal, replace } from './dom.js';
import { display } from './rules.js';

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
  const entries = [...res.body.entries].reverse();
  if (entries.length === 0) {
    replace(body, h('p', { class: 'empty', text: 'No changes recorded for this row.' }));
    return closed;
  }
  const colOf = (name) => page.meta.columns.find((c) => c.name === name) ?? { type: 'string' };
  replace(body, h('ol', { class: 'history' }, entries.map((e) =>
    h('li', { class: 'entry' },
      h('div', { class: 'entry-head' },
        h('strong', { class: 'user', text: e.user }),
        h('span', { class: 'op', text: e.op === 'delete' ? 'deleted' : e.version === 1 ? 'created' : 'changed' }),
        h('time', { datetime: e.at, text: formatTime(e.at) }),
        page.meta.scenarios ? h('span', { class: 'badge', text: e.scenario }) : null,
        h('span', { class: 'ver', text: `v${e.version}` })),
      e.comment ? h('p', { class: 'comment', text: `“${e.comment}”` }) : null,
      h('table', { class: 'changes' },
        h('tbody', {}, e.changes.map((c) => h('tr', {},
          h('th', { scope: 'row', text: c.column }),
          h('td', { class: 'old', text: c.old === null ? '—' : display(colOf(c.column), c.old) }),
          h('td', { class: 'arrow', 'aria-label': 'to', text: '→' }),
          h('td', { class: 'new', text: c.new === null ? '—' : display(colOf(c.column), c.new) })))))))));
  return closed;
}
