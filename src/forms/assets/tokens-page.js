// `/tokens`: the signed-in person's access tokens for their scripts — create (the secret shown
// once), list, revoke. Each token acts with its creator's role and attributes.
import { api } from './api.js';
import { formatTime, h, modal, replace, toast } from './dom.js';

/** Expiry choices in days, offered up to the server's longest lifetime. */
const EXPIRY_DAYS = [7, 30, 90];

/** Render the tokens page into `main`. */
export async function renderTokens(main, me) {
  document.title = `Access tokens — ${document.body.dataset.project}`;
  const res = await api('GET', '/api/v1/me/tokens');
  if (!res.ok) return replace(main, h('div', { class: 'card error-state', role: 'alert' }, h('h1', { text: 'Cannot list your access tokens' }), h('p', { text: res.body.error.message })));
  const listArea = h('section', { class: 'card tokens-list', 'aria-labelledby': 'tokens-list-title' });
  const secretArea = h('div', { class: 'token-secret-area' });
  const refresh = async () => {
    const again = await api('GET', '/api/v1/me/tokens');
    if (again.ok) renderList(listArea, again.body.tokens, refresh);
  };
  replace(main,
    h('div', { class: 'page-head' }, h('div', {},
      h('h1', { id: 'tokens-title', text: 'Your access tokens' }),
      h('p', { class: 'sub', text: `Tokens let your scripts call the API as you (${me.user}, ${describeRole(me)}). A token keeps the role and attributes you have when you create it; revoke it when the script no longer needs it.` }))),
    res.body.can_create ? createForm(res.body.max_lifetime_days, secretArea, refresh) : h('p', { class: 'card help', text: 'Tokens are created by a person signed in to this page, not by a script signed in with a token.' }),
    secretArea,
    listArea);
  renderList(listArea, res.body.tokens, refresh);
}

function describeRole(me) {
  const attrs = Object.entries(me.attributes ?? {}).map(([k, v]) => `${k}=${v}`).join(', ');
  const role = me.role ?? 'administrator';
  return attrs ? `${role} · ${attrs}` : role;
}

/** The create form: a name and an expiry within the longest lifetime allowed. */
function createForm(maxDays, secretArea, refresh) {
  const name = h('input', { id: 'token-name', name: 'name', type: 'text', required: true, maxlength: '200', autocomplete: 'off', 'aria-describedby': 'token-name-help token-create-error' });
  const choices = EXPIRY_DAYS.filter((d) => maxDays === null || d <= maxDays);
  if (maxDays !== null && !choices.includes(maxDays)) choices.push(maxDays);
  const expiry = h('select', { id: 'token-expiry', name: 'expiry' },
    choices.map((d) => h('option', { value: String(d), selected: d === Math.min(30, maxDays ?? 30), text: `${d} days` })),
    maxDays === null ? h('option', { value: 'never', text: 'Never' }) : null);
  const error = h('p', { id: 'token-create-error', class: 'field-error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'primary', text: 'Create token' });
  const form = h('form', { class: 'card token-create', 'aria-labelledby': 'token-create-title' },
    h('h2', { id: 'token-create-title', text: 'Create a token' }),
    h('label', { for: 'token-name', text: 'Name' }),
    name,
    h('p', { id: 'token-name-help', class: 'help', text: 'What script or service it is for, e.g. “nightly forecast import”.' }),
    h('label', { for: 'token-expiry', text: 'Expires after' }),
    expiry,
    maxDays === null ? null : h('p', { class: 'help', text: `Tokens live at most ${maxDays} days on this server.` }),
    error,
    submit);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    name.removeAttribute('aria-invalid');
    submit.disabled = true;
    const body = { name: name.value.trim(), ...(expiry.value === 'never' ? {} : { expires_in_days: Number(expiry.value) }) };
    const created = await api('POST', '/api/v1/me/tokens', body);
    submit.disabled = false;
    if (!created.ok) {
      error.textContent = created.body.error.message;
      // a session signed in too long ago: sign in again (the provider comes straight back here)
      const signIn = created.body.error.details?.find((d) => d.sign_in)?.sign_in;
      if (signIn) error.append(' ', h('a', { href: signIn, text: 'Sign in again' }));
      if (created.body.error.details?.[0]?.column === 'name') name.setAttribute('aria-invalid', 'true');
      name.focus();
      return;
    }
    form.reset();
    showSecret(secretArea, created.body.token, created.body.info);
    await refresh();
  });
  return form;
}

/** The new token's secret, shown this once, with a copy button; "Done" removes it from the page. */
function showSecret(area, secret, info) {
  const value = h('input', { id: 'token-secret', type: 'text', readonly: true, value: secret, 'aria-labelledby': 'token-secret-title', 'aria-describedby': 'token-secret-warning', spellcheck: 'false' });
  const status = h('span', { class: 'copy-status', role: 'status', 'aria-live': 'polite' });
  const copy = h('button', { type: 'button', class: 'primary', text: 'Copy token' });
  copy.addEventListener('click', async () => {
    status.textContent = (await copyText(value)) ? 'Copied.' : 'Select the token and copy it (Ctrl+C).';
  });
  const done = h('button', { type: 'button', class: 'link', text: 'Done' });
  done.addEventListener('click', () => {
    area.replaceChildren();
    document.getElementById('token-name')?.focus();
  });
  replace(area, h('section', { class: 'card token-secret', role: 'region', 'aria-labelledby': 'token-secret-title' },
    h('h2', { id: 'token-secret-title', text: `Your new token “${info.name}”` }),
    h('p', { id: 'token-secret-warning', class: 'warn', text: 'Copy it now: this is the only time it is shown. It is not stored anywhere you can see it again; if you lose it, revoke it and create a new one. Anyone who has it acts as you.' }),
    h('div', { class: 'secret-row' }, value, copy, status),
    done));
  value.focus();
  value.select();
}

/** Copy the text of `input` to the clipboard; false when the browser would not. */
async function copyText(input) {
  try {
    await navigator.clipboard.writeText(input.value);
    return true;
  } catch {
    input.focus();
    input.select();
    return false;
  }
}

/** The table of the person's tokens, each with a revoke button. */
function renderList(area, tokens, refresh) {
  const title = h('h2', { id: 'tokens-list-title', text: 'Tokens' });
  if (tokens.length === 0) return replace(area, title, h('p', { class: 'empty', text: 'You have no tokens.' }));
  const now = Date.now();
  replace(area, title, h('table', { class: 'tokens' },
    h('thead', {}, h('tr', {}, ['Name', 'Created', 'Expires', 'Last used', ''].map((t) => h('th', { scope: 'col', text: t })))),
    h('tbody', {}, tokens.map((t) => {
      const expired = t.expiresAt !== null && Date.parse(t.expiresAt) <= now;
      const revoke = h('button', { type: 'button', class: 'danger', 'aria-label': `Revoke ${t.name ?? t.tokenId}`, text: 'Revoke' });
      revoke.addEventListener('click', () => confirmRevoke(t, refresh));
      return h('tr', { dataset: { tokenId: t.tokenId } },
        h('th', { scope: 'row', text: t.name ?? t.tokenId }),
        h('td', {}, h('time', { datetime: t.createdAt, text: formatTime(t.createdAt) })),
        h('td', {}, t.expiresAt ? h('time', { datetime: t.expiresAt, text: formatTime(t.expiresAt) }) : 'never', expired ? h('span', { class: 'badge warn', text: 'expired' }) : null),
        h('td', {}, t.lastUsedAt ? h('time', { datetime: t.lastUsedAt, text: formatTime(t.lastUsedAt) }) : 'never'),
        h('td', {}, revoke));
    }))));
}

/** Ask, then revoke: the token answers 401 from then on. */
async function confirmRevoke(t, refresh) {
  const label = t.name ?? t.tokenId;
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'revoke-title', 'aria-describedby': 'revoke-text' },
    h('form', { method: 'dialog' },
      h('h2', { id: 'revoke-title', text: `Revoke “${label}”?` }),
      h('p', { id: 'revoke-text', text: 'Scripts using it are refused from now on. This cannot be undone.' }),
      h('div', { class: 'dialog-actions' },
        h('button', { value: 'cancel', text: 'Cancel' }),
        h('button', { value: 'revoke', class: 'danger', text: 'Revoke token' }))));
  if ((await modal(dialog)) !== 'revoke') return;
  const res = await api('POST', `/api/v1/me/tokens/${encodeURIComponent(t.tokenId)}/revoke`);
  if (!res.ok) return toast(res.body.error.message, 'error');
  toast(`Revoked “${label}”.`);
  await refresh();
  document.getElementById('token-name')?.focus();
}
