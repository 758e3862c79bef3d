import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { resizeViewport } from './browser.js';

// axe-core (the reference accessibility engine) run inside the page under test. The planner pages
// carry a strict CSP (`script-src 'self'`), so the engine is not added as a <script>: its source
// is evaluated through the DevTools protocol (page.evaluate), which the CSP does not govern.

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The impacts that fail an audit. */
export const FAILING_IMPACTS = ['serious', 'critical'] as const;

/** One rule axe-core found broken, with the elements that break it. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary: string }[];
}

/** Every axe-core violation on the page as it is now (any impact). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate<boolean>(`typeof window.axe === 'object'`))) await page.evaluate(AXE_SOURCE);
  return page.evaluate<AxeViolation[]>(`window.axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({
    id: v.id, impact: v.impact ?? null, help: v.help,
    nodes: v.nodes.map((n) => ({ target: n.target.map(String), failureSummary: n.failureSummary ?? '' })),
  })))`);
}

/**
 * Audit the page as it is now: one line per element with a serious or critical violation, saying
 * what and where (`label: rule (impact) at selector: summary`). Empty when the page passes.
 */
export async function audit(page: Page, label: string): Promise<string[]> {
  const found: string[] = [];
  for (const v of await axeViolations(page)) {
    if (!FAILING_IMPACTS.some((i) => i === v.impact)) continue;
    for (const n of v.nodes) found.push(`${label}: ${v.id} (${v.impact}) at ${n.target.join(' ')}: ${v.help}. ${n.failureSummary.replace(/\s+/g, ' ').trim()}`);
  }
  return found;
}

/** The widths every state is audited at: a laptop and a phone. */
export const AUDIT_WIDTHS = [1280, 390] as const;

/**
 * Audit the page at each of `widths` (the height is kept), then restore the viewport it had; each
 * resize waits until the page draws at the new size.
 */
export async function auditAtWidths(page: Page, label: string, widths: readonly number[] = AUDIT_WIDTHS): Promise<string[]> {
  const before = page.viewportSize() ?? { width: 1280, height: 800 };
  const found: string[] = [];
  for (const width of widths) {
    await resizeViewport(page, { width, height: before.height });
    found.push(...(await audit(page, `${label} @${width}px`)));
  }
  await resizeViewport(page, before);
  return found;
}
