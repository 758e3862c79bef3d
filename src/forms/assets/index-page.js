// `/`: the input tables the signed-in user may read.
import { api } from './api.js';
import { h, replace } from './dom.js';
import { readableModels } from './model-links.js';

function can(perms) {
  return ['read', 'write', 'delete', 'approve'].filter((p) => perms[p]);
}

/** Render the list of input tables into `main`. */
export async function renderIndex(main, me) {
  const res = await api('GET', '/api/v1/inputs');
  if (!res.ok) return replace(main, h('div', { class: 'card error-state', role: 'alert' }, h('h1', { text: 'Cannot list the input tables' }), h('p', { text: res.body.error.message })));
  const inputs = res.body.inputs;
  const models = await readableModels();
  document.title = `Input tables — ${document.body.dataset.project}`;
  replace(main,
    h('div', { class: 'page-head' }, h('div', {},
      h('h1', { text: 'Input tables' }),
      h('p', { class: 'sub', text: `Tables ${me.user} may read in ${document.body.dataset.project}. Everything you save is recorded with your name and the time.` }))),
    inputs.length === 0
      ? h('div', { class: 'card empty' }, h('p', { text: 'There is no input table you may read. Ask an administrator for access.' }))
      : h('ul', { class: 'tables' }, inputs.map((t) =>
          h('li', { class: 'card table-card' },
            h('a', { href: `/forms/${encodeURIComponent(t.name)}`, class: 'table-link' }, h('h2', { text: t.name })),
            h('p', { class: 'desc', text: t.description ?? '' }),
            h('p', { class: 'meta' },
              h('span', { text: `${t.columns.length} columns · key ${t.key.join(', ')}` }),
              t.links_to ? h('span', { text: ` · linked to ${t.links_to.source}.${t.links_to.table}` }) : null,
              t.scenarios ? h('span', { class: 'badge', text: 'scenarios' }) : null),
            h('p', { class: 'perms' }, can(t.permissions).map((p) => h('span', { class: `badge perm-${p}`, text: p })))))),
    models.length === 0 ? null : [
      h('h2', { class: 'section-title', id: 'models-title', text: 'Merged views' }),
      h('p', { class: 'sub', text: 'What BI tools read: the sources with the inputs applied, under your row filter. Read only.' }),
      h('ul', { class: 'tables', 'aria-labelledby': 'models-title' }, models.map((m) =>
        h('li', { class: 'card table-card' },
          h('a', { href: `/models/${encodeURIComponent(m.name)}`, class: 'table-link' }, h('h3', { text: m.name })),
          h('p', { class: 'desc', text: m.description ?? '' }),
          h('p', { class: 'meta' }, h('span', { text: `${m.kind}${m.from ? ` of ${m.from}` : ''} · reads ${m.inputs.join(', ')}` }),
            m.scenarios ? h('span', { class: 'badge', text: 'scenarios' }) : null))))]);
}
