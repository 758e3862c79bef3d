// Where an input table meets the models that read it: links to their merged-view pages (`/models/{m}`),
// and distinct headers where a source column and the input column that corrects it share a name
// (`category (crm)` beside `category (corrected)`).
import { api } from './api.js';
import { h, replace } from './dom.js';

let listed;

/** The models the signed-in user may read (`GET /api/v1/models`), fetched once per page; [] when the server has no such route. */
export function readableModels() {
  listed ??= api('GET', '/api/v1/models').then((res) => (res.ok && Array.isArray(res.body.models) ? res.body.models : []));
  return listed;
}

/** A line of links to the merged views that read `table` (empty until known, and when none does). */
export function modelLinks(table) {
  const el = h('p', { class: 'model-links', hidden: true });
  readableModels().then((models) => {
    const reading = models.filter((m) => m.inputs.includes(table));
    if (reading.length === 0) return;
    replace(el, 'Merged views: ', reading.map((m, i) => [i ? ', ' : '', h('a', { href: `/models/${encodeURIComponent(m.name)}`, text: m.name })]));
    el.hidden = false;
  });
  return el;
}

/** The source's name (`crm` of `crm.accounts`), for a header that must say where a column comes from. */
function sourceName(page) {
  return String(page.ctxSource ?? 'source').split('.')[0];
}

/** True when the linked source has a column of the same name as this input column (the input corrects it). */
function correctsSource(page, name) {
  return (page.ctxCols ?? []).includes(name);
}

/** The header text of a grid column: its name, plus where it comes from when a source and an input column share it. */
export function headerLabel(page, c) {
  if (c.kind === 'ctx') {
    return page.inputCols.some((col) => col.name === c.name) ? [c.name, h('span', { class: 'sub-label', text: ` (${sourceName(page)})` })] : c.name;
  }
  return c.kind === 'input' && correctsSource(page, c.col.name) ? [c.col.name, h('span', { class: 'sub-label', text: ' (corrected)' })] : c.col.name;
}

/** Source columns with the ones an input column corrects first, so the source value stays beside the correction. */
export function sourceFirst(page, columns) {
  const corrected = new Set(page.inputCols.map((c) => c.name));
  return [...columns.filter((c) => corrected.has(c)), ...columns.filter((c) => !corrected.has(c))];
}
