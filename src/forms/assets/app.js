// Boot: find out who is signed in (browser session, token from sessionStorage, or the --dev-user), then render the page.
import { api, onSessionChange, setCsrfToken, setToken, token } from './api.js';
import { h, replace } from './dom.js';
import { renderForm } from './grid.js';
import { renderIndex } from './index-page.js';
import { renderModel } from './model-page.js';
import { renderTokens } from './tokens-page.js';

const main = document.getElementById('main');
const who = document.getElementById('who');

const SIGN_IN_REDIRECT_KEY = 'writeback.sign-in-redirect';

/** The sign-in route with this page as the place to come back to. */
function signInUrl(signIn) {
  return `${signIn}?return_to=${encodeURIComponent(location.pathname + location.search)}`;
}

/** A browser session signs out with a form post carrying its CSRF token (the server then continues at the identity provider). */
function signOutForm(me) {
  return h('form', { method: 'post', action: me.sign_out, class: 'sign-out' },
    h('input', { type: 'hidden', name: 'csrf_token', value: me.csrf_token ?? '' }),
    h('button', { class: 'link', type: 'submit', text: 'Sign out' }));
}

function showWho(me) {
  const role = me.role ?? 'administrator';
  const attrs = Object.entries(me.attributes ?? {}).map(([k, v]) => `${k}=${v}`).join(', ');
  const shown = me.name ?? me.user;
  replace(who,
    h('span', { class: 'avatar', 'aria-hidden': 'true', text: shown.slice(0, 1).toUpperCase() }),
    h('span', { class: 'who-text' },
      h('strong', { class: 'user', title: me.user }, shown, me.email && me.name ? h('span', { class: 'email', text: ` · ${me.email}` }) : null),
      h('span', { class: 'role', text: attrs ? `${role} · ${attrs}` : role })),
    me.dev_user ? h('span', { class: 'badge warn', title: 'The server runs with --dev-user: every request without a token is this user', text: 'dev mode' }) : null,
    // a person signed in by a session or an authenticating proxy (they carry a CSRF token) may create tokens
    me.csrf_token || me.dev_user ? h('a', { class: 'link tokens-link', href: '/tokens', text: 'Access tokens' }) : null,
    me.sign_out
      ? signOutForm(me)
      : me.dev_user
        ? h('button', { class: 'link', type: 'button', text: 'Use a token', onclick: () => renderSignIn(null) })
        : me.csrf_token
          ? null // behind an authenticating proxy, signing out is the proxy's
          : h('button', { class: 'link', type: 'button', text: 'Sign out', onclick: () => { setToken(null); location.reload(); } }));
}

/**
 * The session ended while the page is open (expired, idle, signed out elsewhere): say so above
 * the page and offer signing in again in a new tab — nothing on this page is reloaded, so unsaved
 * edits stay; saving again after signing in picks up the new session.
 */
function sessionNotice(change) {
  let notice = document.getElementById('session-expired');
  if (!change) {
    notice?.remove();
    return;
  }
  if (notice) return;
  notice = h('div', { id: 'session-expired', class: 'card banner error session-expired', role: 'alert' },
    h('strong', { text: 'Your session expired — sign in again (your unsaved changes stay on this page until you leave it). ' }),
    h('a', { href: signInUrl(change.signIn), target: '_blank', rel: 'noopener', text: 'Sign in again in a new tab' }),
    h('span', { text: ', then come back here and save again.' }));
  main.before(notice);
}

/** Signed in, but the identity provider's claims give no role here (proxy sign-in): what is missing. */
function renderNoRole(error) {
  who.replaceChildren();
  replace(main, h('section', { class: 'card error-state', role: 'alert', 'aria-labelledby': 'no-role-title' },
    h('h1', { id: 'no-role-title', text: 'You have no role here' }),
    h('p', { text: error.message }),
    ...error.details.filter((d) => d.message !== error.message).map((d) => h('p', { text: d.message }))));
}

/** The sign-in form: an API token, kept for this tab only. */
function renderSignIn(problem) {
  who.replaceChildren();
  const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', required: true, 'aria-describedby': 'token-help token-error', placeholder: 'wb_…' });
  const error = h('p', { id: 'token-error', class: 'field-error', role: 'alert', text: problem ?? '' });
  const form = h('form', { class: 'card signin', 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title', text: 'Sign in' }),
    h('label', { for: 'token', text: 'API token' }),
    input,
    error,
    h('p', { id: 'token-help', class: 'help', text: 'Ask an administrator for a token (writeback token create --user NAME --role ROLE [--attr NAME=VALUE for each attribute the row filters of the role read]). It is kept in this browser tab only and forgotten when you close it.' }),
    h('button', { type: 'submit', class: 'primary', text: 'Sign in' }));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    setToken(input.value.trim());
    const me = await api('GET', '/api/v1/me');
    if (me.ok) return start(me.body);
    setToken(null);
    error.textContent = me.status === 401 ? 'This token is not valid or was revoked.' : me.body.error.message;
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  });
  replace(main, form);
  input.focus();
}

function start(me) {
  showWho(me);
  const page = document.body.dataset.page;
  if (page === 'form') return renderForm(main, document.body.dataset.table, me);
  if (page === 'model') return renderModel(main, document.body.dataset.model, me);
  if (page === 'tokens') return renderTokens(main, me);
  return renderIndex(main, me);
}

/** Signed in by an authenticating proxy, but its assertion was missing or refused: say why. */
function renderRefused(error) {
  who.replaceChildren();
  replace(main, h('section', { class: 'card error-state', role: 'alert', 'aria-labelledby': 'refused-title' },
    h('h1', { id: 'refused-title', text: 'You are not signed in' }),
    h('p', { text: error.message }),
    ...error.details.map((d) => h('p', { class: 'help', text: d.message })),
    h('button', { type: 'button', class: 'primary', text: 'Try again', onclick: () => location.reload() })));
}

async function boot() {
  onSessionChange(sessionNotice);
  const me = await api('GET', '/api/v1/me');
  if (me.ok) {
    sessionStorage.removeItem(SIGN_IN_REDIRECT_KEY);
    setCsrfToken(me.body.csrf_token);
    return start(me.body);
  }
  const signIn = me.status === 401 && !token() ? me.body.error.details.find((d) => d.sign_in)?.sign_in : undefined;
  if (signIn) {
    // Straight to the identity provider — unless this tab was just sent there and came back signed out (cookies blocked?).
    const last = Number(sessionStorage.getItem(SIGN_IN_REDIRECT_KEY) ?? 0);
    if (Date.now() - last > 30_000) {
      sessionStorage.setItem(SIGN_IN_REDIRECT_KEY, String(Date.now()));
      return location.assign(signInUrl(signIn));
    }
    return replace(main, h('section', { class: 'card error-state', role: 'alert', 'aria-labelledby': 'signin-title' },
      h('h1', { id: 'signin-title', text: 'Sign in' }),
      h('p', { text: 'You are not signed in.' }),
      h('p', {}, h('a', { href: signInUrl(signIn), text: 'Sign in with your identity provider' })),
      // a sign-in still pending in another tab, or a reload, lands here too: cookies are only a possibility
      h('p', { class: 'help', text: 'If this page comes back right after you have signed in, this browser may be blocking cookies for this site.' })));
  }
  // behind an authenticating proxy: its assertion was missing or refused (`reason` says why)
  if (me.status === 401 && !token() && me.body.error.details.some((d) => d.reason)) return renderRefused(me.body.error);
  if (me.status === 403 && me.body.error.details.some((d) => d.no_role)) return renderNoRole(me.body.error);
  if (me.status === 401) {
    if (token()) setToken(null);
    return renderSignIn(token() ? 'Your token is no longer valid; sign in again.' : null);
  }
  replace(main, h('div', { class: 'card error-state', role: 'alert' }, h('h1', { text: 'The server cannot be reached' }), h('p', { text: me.body.error.message })));
}

boot();
