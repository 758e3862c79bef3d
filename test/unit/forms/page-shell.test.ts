import { describe, expect, it } from 'vitest';
import { escapeHtml, html } from '../../../src/forms/escape-html.js';
import { PAGE_CSP, renderPage } from '../../../src/forms/page-shell.js';
import { readAsset, assetsDir } from '../../../src/forms/static-assets.js';

describe('escapeHtml / html``', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<script>alert("x" & 'y')</script>`)).toBe('&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;');
    expect(escapeHtml(null)).toBe('');
  });
  it('escapes interpolations but keeps nested html``', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p title="${'"q"'}">${inner}${['<a>', html`<br>`]}</p>`.text).toBe('<p title="&quot;q&quot;"><b>&lt;i&gt;</b>&lt;a&gt;<br></p>');
  });
});

describe('renderPage', () => {
  it('escapes the project and table names everywhere', () => {
    const page = renderPage({ project: 'p<script>', page: 'form', table: 't"><img src=x onerror=alert(1)>' });
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('<img');
    expect(page).toContain('data-table="t&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"');
  });
  it('loads only local assets and allows no inline script', () => {
    const page = renderPage({ project: 'p', page: 'index' });
    expect(page).toContain('<script type="module" src="/assets/app.js"></script>');
    expect(page).not.toMatch(/https?:\/\//);
    expect(PAGE_CSP).toContain("script-src 'self'");
    expect(PAGE_CSP).toContain("connect-src 'self'");
  });
});

describe('readAsset', () => {
  it('serves plain file names only', () => {
    const dir = assetsDir();
    expect(readAsset(dir, 'app.js')?.type).toBe('text/javascript; charset=utf-8');
    expect(readAsset(dir, 'app.css')?.type).toBe('text/css; charset=utf-8');
    expect(readAsset(dir, '../form-routes.ts')).toBeUndefined();
    expect(readAsset(dir, 'nope.js')).toBeUndefined();
  });
});
