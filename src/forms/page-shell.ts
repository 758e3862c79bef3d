import { html, type SafeHtml } from './escape-html.js';

/** What the server knows when it renders a page (no user data: the token lives in the browser). */
export interface PageShell {
  /** Project name, shown in the header. */
  project: string;
  /** `index` (the list of tables), `form` (one input table), `model` (one model's merged rows, read only) or `tokens` (the person's access tokens). */
  page: 'index' | 'form' | 'model' | 'tokens';
  /** The input table of a form page. */
  table?: string;
  /** The model of a model page. */
  model?: string;
  /** The server signs requests without a token in (`--dev-user`). */
  devUser?: string;
}

/**
 * Content-Security-Policy of every page: only our own scripts, styles and API (no inline script,
 * no external request). `formTargets`: origins a form may also lead to — the identity provider,
 * where sign-out continues (browsers check `form-action` on the redirects of a form post too).
 */
export function pageCsp(formTargets: readonly string[] = []): string {
  return `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; form-action ${["'self'", ...formTargets].join(' ')}; base-uri 'none'; frame-ancestors 'none'`;
}

/** {@link pageCsp} of a server without OpenID Connect sign-in. */
export const PAGE_CSP = pageCsp();

/**
 * The HTML of a page: header, sign-in box and an empty main area that `/assets/app.js` fills from
 * the API. Every interpolated value is escaped; data is rendered in the browser with `textContent`.
 */
export function renderPage(shell: PageShell): string {
  const name = shell.table ?? shell.model;
  const title = name !== undefined ? `${name} · ${shell.project}` : shell.page === 'tokens' ? `Access tokens · ${shell.project}` : shell.project;
  const body: SafeHtml = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} — writeback</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/app.css">
<script type="module" src="/assets/app.js"></script>
</head>
<body data-page="${shell.page}" data-table="${shell.table ?? ''}" data-model="${shell.model ?? ''}" data-project="${shell.project}" data-dev-user="${shell.devUser ?? ''}">
<a class="skip" href="#main">Skip to content</a>
<header class="topbar">
  <a class="brand" href="/"><span class="logo" aria-hidden="true">wb</span> <span>${shell.project}</span></a>
  <nav class="crumbs" aria-label="Breadcrumb">${name !== undefined ? html`<a href="/">Input tables</a> <span aria-hidden="true">/</span> ${shell.model !== undefined ? 'Model ' : ''}<strong>${name}</strong>` : shell.page === 'tokens' ? html`<a href="/">Input tables</a> <span aria-hidden="true">/</span> <strong>Access tokens</strong>` : html`<strong>Input tables</strong>`}</nav>
  <div class="who" id="who" aria-live="polite"></div>
</header>
<main id="main" tabindex="-1">
  <noscript><p class="empty">This page needs JavaScript (served from this server; no external requests).</p></noscript>
  <p class="loading" id="boot">Loading…</p>
</main>
<div class="toast" id="toast" role="status" aria-live="polite"></div>
</body>
</html>
`;
  return body.text;
}
