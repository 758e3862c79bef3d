// Tiny DOM helpers. Data is only ever put into the page with textContent / attributes (never innerHTML),
// so a stored value like <script> is shown as text and never run.

/**
 * Create an element. `attrs`: `class`, `text` (textContent), `on<event>` handlers, `dataset`, booleans, strings.
 * @param {string} tag
 * @param {Record<string, any>} [attrs]
 * @param {...(Node|string|null|undefined|false|Array<Node|string|null|undefined|false>)} children
 * @returns {HTMLElement}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'text') el.textContent = String(value);
    else if (name === 'class') el.className = value;
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

/** Append children (strings become text nodes). */
export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return el;
}

/** Remove every child of `el` and append `children`. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** Show a short message in the status toast. */
export function toast(message, kind = 'info') {
  const el = document.getElementById('toast');
  if (!el) return;
  el.textContent = message;
  el.className = `toast show ${kind}`;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { el.className = 'toast'; }, 4000);
}

/** A timestamp as `YYYY-MM-DD HH:MM` in local time (empty for null). */
export function formatTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** Controls of `root` a Tab reaches, in document order. */
function tabStops(root) {
  return [...root.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')]
    .filter((el) => el.tabIndex >= 0 && !el.disabled && el.getClientRects().length > 0);
}

/** Keep Tab inside a modal dialog: past its last control the focus wraps to the first, and back with Shift+Tab. */
function wrapTab(dialog, e) {
  if (e.key !== 'Tab' || e.defaultPrevented) return;
  const stops = tabStops(dialog);
  const [first, last] = [stops[0], stops.at(-1)];
  if (!first) return;
  const at = document.activeElement;
  const wrap = e.shiftKey ? at === first || at === dialog : at === last;
  if (!wrap) return;
  e.preventDefault();
  (e.shiftKey ? last : first).focus();
}

/**
 * Open a modal <dialog> appended to the body; resolves with the dialog's return value when it
 * closes. Tab stays inside it; on close the browser gives the focus back to the control that had it.
 */
export function modal(dialog) {
  document.body.append(dialog);
  dialog.addEventListener('keydown', (e) => wrapTab(dialog, e));
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => { dialog.remove(); resolve(dialog.returnValue); }, { once: true });
  });
}
