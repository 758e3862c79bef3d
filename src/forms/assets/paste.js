// Bulk paste: a tab-separated block from a spreadsheet → preview with invalid cells flagged →
// confirmation with the count → one batch write.
import { api } from './api.js';
import { h, modal, replace, toast } from './dom.js';
import { display, isNumeric, validate } from './rules.js';

const bad = (r) => (Object.keys(r.errors).length || r.extra ? 1 : 0);

const PREVIEW_LIMIT = 200;

/**
 * Split a TSV block into rows of cells (handles quoted cells with tabs/newlines as spreadsheets copy
 * them). Blank lines are dropped, or with `keepBlank` kept as one empty cell (a blank cell of a pasted column).
 */
export function parseTsv(text, { keepBlank = false } = {}) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === '\t') { row.push(cell); cell = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell); rows.push(row); row = []; cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return keepBlank ? rows : rows.filter((r) => r.some((c) => c.trim() !== ''));
}

/** True when a pasted line names columns of the table (a header line). */
export function isHeaderLine(page, cells) {
  const byName = new Set(page.meta.columns.map((c) => c.name.toLowerCase()));
  return cells.every((c) => c.trim() === '' || byName.has(c.trim().toLowerCase()) || page.ctxCols.includes(c.trim()))
    && cells.some((c) => byName.has(c.trim().toLowerCase()));
}

/** Match pasted lines to columns (a header line of column names, or the grid's column order) and check every cell. */
export function planPaste(page, text) {
  const lines = parseTsv(text);
  const writable = [...page.keyCols, ...page.inputCols];
  const byName = new Map(page.meta.columns.map((c) => [c.name.toLowerCase(), c]));
  const notes = [];
  let columns = writable;
  if (lines[0] && isHeaderLine(page, lines[0])) {
    columns = lines.shift().map((c) => byName.get(c.trim().toLowerCase()) ?? null);
    notes.push('The first line names the columns.');
  }
  const existing = new Map(page.rows.filter((r) => r.base).map((r) => [JSON.stringify(page.keyCols.map((c) => String(r.base[c.name]))), r]));
  const rows = lines.map((cells) => {
    const values = {};
    const errors = {};
    let extra;
    cells.forEach((text, i) => {
      const col = columns[i];
      if (col === undefined) { if (text.trim() !== '') extra = `has ${cells.length} cells; expected at most ${columns.length}`; return; }
      if (col === null) return;
      const r = validate(col, text);
      values[col.name] = r.value;
      if (r.error) errors[col.name] = r.error;
    });
    for (const k of page.keyCols) if (values[k.name] === undefined || values[k.name] === null) errors[k.name] = 'is required (key)';
    const match = existing.get(JSON.stringify(page.keyCols.map((c) => String(values[c.name]))));
    // as the server decides: a new row must carry its required columns in base; a scenario row falls back to its parent
    const newInBase = !match && page.scenario === 'base';
    for (const c of page.inputCols) {
      if (!c.required) continue;
      if (values[c.name] === null) errors[c.name] = 'is required and cannot be null';
      else if (values[c.name] === undefined && newInBase && c.default === undefined) errors[c.name] = 'is required';
    }
    return { values, errors, extra, match };
  });
  return { columns: columns.filter(Boolean), rows, notes };
}

function wireOf(page, p) {
  const out = {};
  for (const [k, v] of Object.entries(p.values)) {
    if (v === null && !p.match && !page.keyCols.some((c) => c.name === k)) continue;
    out[k] = v;
  }
  // the grid holds one page: a key not on it may exist on another page, so it is sent without a version (an upsert)
  if (p.match) out._version = p.match.base._version;
  return out;
}

/** Open the paste dialog of the form page `page` (optionally with text already pasted). */
export async function openPaste(page, initial = '') {
  const area = h('textarea', { id: 'paste-text', rows: 8, spellcheck: 'false', 'aria-describedby': 'paste-help',
    placeholder: [...page.keyCols, ...page.inputCols].map((c) => c.name).join('\t') });
  area.value = initial;
  // focusable, so a keyboard user can scroll a preview wider or taller than the dialog
  const preview = h('div', { class: 'paste-preview', 'aria-live': 'polite', role: 'region', 'aria-label': 'Preview of the pasted rows', tabindex: '0' });
  const summary = h('p', { class: 'paste-summary', id: 'paste-summary', role: 'status' });
  const writeBtn = h('button', { type: 'button', class: 'primary', id: 'paste-confirm', disabled: true });
  let plan;
  const refresh = () => {
    plan = planPaste(page, area.value);
    const invalid = plan.rows.filter(bad).length;
    const updates = plan.rows.filter((r) => r.match).length;
    const n = plan.rows.length;
    summary.textContent = n === 0 ? 'Nothing pasted yet.'
      : `${n} ${n === 1 ? 'row' : 'rows'}: ${n - updates} new, ${updates} ${updates === 1 ? 'update' : 'updates'}` +
        (invalid ? ` — ${invalid} ${invalid === 1 ? 'row has' : 'rows have'} invalid cells (flagged below); fix them in the text to continue.` : '.') +
        (page.meta.scenarios ? ` Scenario: ${page.scenario}.` : '');
    summary.className = `paste-summary ${invalid ? 'error' : ''}`;
    writeBtn.disabled = n === 0 || invalid > 0;
    writeBtn.textContent = n ? `Write ${n} ${n === 1 ? 'row' : 'rows'}` : 'Write rows';
    renderPreview(plan);
  };
  const renderPreview = (p) => {
    if (p.rows.length === 0) return replace(preview);
    replace(preview, h('table', { class: 'grid preview' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', class: 'num', text: 'Line' }), h('th', { scope: 'col', text: 'Change' }), p.columns.map((c) => h('th', { scope: 'col', class: isNumeric(c) ? 'num' : '', text: c.name })))),
      // rows with problems first, so they are seen without scrolling
      h('tbody', {}, [...p.rows.map((r, i) => ({ r, i }))].sort((x, y) => bad(y.r) - bad(x.r)).slice(0, PREVIEW_LIMIT).map(({ r, i }) => h('tr', { class: bad(r) ? 'invalid' : '' },
        h('td', { class: 'num', text: String(i + 1) }),
        h('td', { class: 'kind', text: r.match ? 'update' : 'new' }),
        p.columns.map((c) => {
          const err = r.errors[c.name];
          return h('td', { class: `${err ? 'invalid' : ''} ${isNumeric(c) ? 'num' : ''}`, title: err ?? '' },
            h('span', { text: display(c, r.values[c.name]) }), err ? h('span', { class: 'field-error', text: err }) : null);
        }))))),
    p.rows.length > PREVIEW_LIMIT ? h('p', { class: 'help', text: `…and ${p.rows.length - PREVIEW_LIMIT} more rows.` }) : null,
    p.rows.some((r) => r.extra) ? h('p', { class: 'field-error', text: p.rows.map((r, i) => (r.extra ? `line ${i + 1} ${r.extra}` : null)).filter(Boolean).join('; ') }) : null);
  };
  area.addEventListener('input', refresh);
  const dialog = h('dialog', { class: 'dialog wide', 'aria-labelledby': 'paste-title' },
    h('h2', { id: 'paste-title', text: 'Paste rows' }),
    h('label', { for: 'paste-text', text: 'Rows copied from a spreadsheet (tab-separated)' }),
    area,
    h('p', { id: 'paste-help', class: 'help', text: `Columns in this order: ${[...page.keyCols, ...page.inputCols].map((c) => c.name).join(', ')} — or a first line with the column names. Rows whose key exists are updated; others are added.` }),
    summary,
    preview,
    h('div', { class: 'dialog-actions' },
      h('button', { type: 'button', text: 'Cancel', onclick: () => dialog.close('cancel') }),
      writeBtn));
  writeBtn.addEventListener('click', async () => {
    writeBtn.disabled = true;
    summary.textContent = `Writing ${plan.rows.length} rows…`;
    const res = await api('POST', `/api/v1/inputs/${encodeURIComponent(page.meta.name)}/rows`,
      page.writeBody(plan.rows.map((r) => wireOf(page, r)), { confirm: true, comment: `pasted ${plan.rows.length} rows` }));
    if (res.ok) {
      dialog.close('ok');
      await page.reload();
      const said = res.body.pending ? `Sent ${res.body.pending.rows} pasted rows for approval` : `Saved ${res.body.entries.length} pasted rows`;
      page.setStatus(said, 'ok');
      toast(said, 'ok');
      return;
    }
    const err = res.body.error;
    if (err.code === 'validation_failed') {
      for (const d of err.details) { const r = plan.rows[d.row]; if (r) { if (d.column) r.errors[d.column] = d.message; else r.extra = d.message; } }
      renderPreview(plan);
    }
    summary.textContent = err.code === 'conflict'
      ? `Not written: ${err.details.length} rows were changed by ${[...new Set(err.details.map((d) => d._updated_by))].join(', ')} since you loaded them. Close, reload and paste again.`
      : `Not written: ${err.message}`;
    summary.className = 'paste-summary error';
  });
  refresh();
  const closed = modal(dialog);
  area.focus();
  return closed;
}
