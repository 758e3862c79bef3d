// Typed edit controls derived from a column's declaration (type, min/max, scale, values, max_length).
import { h } from './dom.js';
import { choices, typeOf } from './rules.js';

/** The `step` of a number input: 1 for integers, 10^-scale for decimals, any for floats. */
function stepOf(t) {
  if (t.kind === 'integer') return '1';
  if (t.kind === 'decimal') return t.scale === 0 ? '1' : `0.${'0'.repeat(t.scale - 1)}1`;
  return 'any';
}

/**
 * An edit control for `col` holding `value`. `read()` returns what the person entered (text, or a
 * boolean for a checkbox) for rules.validate(); `focus()` focuses it.
 * @param {any} col a column of GET /api/v1/inputs
 * @param {any} value the current wire value
 * @param {string} label accessible name
 * @param {string[]} [only] the values the row may move to (declared status transitions)
 */
export function editControl(col, value, label, only) {
  const t = typeOf(col);
  const values = only ? (choices(col) ?? only).filter((v) => only.includes(v)) : choices(col);
  const common = { 'aria-label': label, class: 'control', required: col.required || undefined };
  if (t.kind === 'boolean') {
    const box = h('input', { ...common, type: 'checkbox' });
    box.checked = value === true;
    return { el: box, control: box, read: () => box.checked };
  }
  if (values) {
    const select = h('select', common,
      col.required || only ? null : h('option', { value: '', text: '—' }),
      values.map((v) => h('option', { value: v, text: v })));
    select.value = value === null || value === undefined ? (col.required ? values[0] ?? '' : '') : String(value);
    return { el: select, control: select, read: () => select.value };
  }
  if (['integer', 'number', 'decimal'].includes(t.kind)) {
    const input = h('input', { ...common, type: 'number', inputmode: 'decimal', step: stepOf(t), min: col.min, max: col.max });
    input.value = value === null || value === undefined ? '' : String(value);
    return { el: input, control: input, read: () => input.value };
  }
  if (t.kind === 'date') {
    const input = h('input', { ...common, type: 'date', min: col.min, max: col.max });
    input.value = value ?? '';
    return { el: input, control: input, read: () => input.value };
  }
  if (t.kind === 'timestamp') {
    const input = h('input', { ...common, type: 'datetime-local', step: '1', title: 'UTC' });
    input.value = value ? String(value).replace(/(\.\d+)?Z$/, '') : '';
    return { el: input, control: input, read: () => input.value };
  }
  const input = h('input', { ...common, type: 'text', maxlength: col.max_length, pattern: col.pattern, spellcheck: t.kind === 'text' ? 'true' : 'false' });
  input.value = value ?? '';
  if (col.max_length === undefined) return { el: input, control: input, read: () => input.value };
  const counter = h('span', { class: 'counter', 'aria-live': 'polite' });
  const count = () => { counter.textContent = `${[...input.value].length}/${col.max_length}`; };
  input.addEventListener('input', count);
  count();
  return { el: h('span', { class: 'with-counter' }, input, counter), control: input, read: () => input.value };
}

/** Type-ahead over a list of options: characters typed within a second of each other accumulate. */
const typed = { text: '', at: 0 };

/**
 * The first option that starts with what was typed (case-insensitive), counting `key` and the keys
 * typed less than a second before it (unless `fresh`: a new search); undefined when none does.
 * @param {string[]} options
 * @param {string} key one printable character
 * @param {number} now milliseconds (the event's time)
 * @param {boolean} [fresh] start a new search with `key`
 */
export function typeAhead(options, key, now, fresh = false) {
  typed.text = !fresh && now - typed.at < 1000 ? typed.text + key : key;
  typed.at = now;
  const text = typed.text.toLowerCase();
  return options.find((o) => o.toLowerCase().startsWith(text));
}

/** The values a select control offers (without its blank option). */
export function optionValues(select) {
  return [...select.options].map((o) => o.value).filter((v) => v !== '');
}
