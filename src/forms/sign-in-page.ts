import { html } from './escape-html.js';

/** A sign-in problem as the server renders it: the no-role page (403) or a sign-in that did not complete (400). */
export interface SignInProblemPage {
  project: string;
  /** The page's heading. */
  title: string;
  /** Plain-text paragraphs; the first says what is wrong. Escaped when rendered. */
  lines: string[];
  /** Where "Try again" leads (the sign-in route with its return path). */
  retry: string;
  /** Offer signing out of the identity provider (to sign in as someone else). */
  signOut: boolean;
}

/**
 * The HTML of a sign-in problem: the page shell's header and stylesheet, no script. Every value
 * is escaped by the `html` template.
 */
export function renderSignInProblem(page: SignInProblemPage): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title} — ${page.project} — writeback</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/app.css">
</head>
<body data-page="sign-in-problem">
<header class="topbar">
  <a class="brand" href="/"><span class="logo" aria-hidden="true">wb</span> <span>${page.project}</span></a>
</header>
<main id="main" tabindex="-1">
  <section class="card error-state sign-in-problem" role="alert" aria-labelledby="problem-title">
    <h1 id="problem-title">${page.title}</h1>
    ${page.lines.map((line) => html`<p>${line}</p>`)}
    <div class="actions"><a class="button primary" href="${page.retry}">Try again</a>${
      page.signOut
        ? html` <form method="post" action="/auth/logout" class="inline"><button type="submit" class="link">Sign out of the identity provider</button></form>`
        : ''
    }</div>
  </section>
</main>
</body>
</html>
`.text;
}
