import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { browserDir } from './form-server.js';

/** Debian's Chromium (`apt-get install -y chromium`). */
export const CHROMIUM = '/usr/bin/chromium';

/** Flags that keep headless Chromium off the network and quiet on a machine without a display or network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Screenshots for a person to look at (git-ignored). */
export const ARTIFACTS = resolve(import.meta.dirname, '../artifacts');

/** Why the browser tests cannot run here, or undefined. Throws on CI, where Chromium must be installed. */
export function chromiumMissing(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  const message = `${CHROMIUM} is missing: install it with \`apt-get install -y chromium\` to run the browser tests`;
  if (process.env.CI === 'true') throw new Error(message);
  return message;
}

/** One browser (its own profile, so its own sessionStorage) with a page; every request it makes is recorded. */
export interface Browser {
  context: BrowserContext;
  page: Page;
  /** URLs the page requested. */
  requests: string[];
  /** Uncaught page errors and console errors. */
  errors: string[];
  close(): Promise<void>;
}

/** Launch Chromium headless with a fresh profile. */
export async function openBrowser(viewport = { width: 1366, height: 800 }): Promise<Browser> {
  const context = await chromium.launchPersistentContext(browserDir(), { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport });
  context.setDefaultTimeout(10_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page, requests, errors, close: () => context.close() };
}

/** How long to wait for a frame after a resize before sending the size again. */
const FRAME_WAIT_MS = 3_000;

/**
 * Resize the page's viewport and wait until it has drawn two frames at the new size. Playwright's
 * clicks wait for their target to stay put across animation frames, so a page that draws none
 * fails its next click only after the whole timeout: seen once on a loaded CI machine, right after
 * an in-place resize, with nothing animating. When no frame comes, the size is sent again (a
 * pixel shorter, then as asked), which makes Chromium synchronize the page's visual properties
 * anew; a page that still draws nothing fails here, saying so.
 */
export async function resizeViewport(page: Page, size: { width: number; height: number }): Promise<void> {
  const twoFrames = 'new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))';
  for (let attempt = 1; attempt <= 3; attempt++) {
    if (attempt > 1) {
      console.warn(`${page.url()}: no frame drawn ${FRAME_WAIT_MS} ms after resizing to ${size.width}×${size.height}; sending the size again (attempt ${attempt})`);
      await page.setViewportSize({ width: size.width, height: size.height - 1 });
    }
    await page.setViewportSize(size);
    // a rejection means the document went away (a navigation draws its own first frame): not a stall
    const drew = page.evaluate<boolean>(twoFrames).catch(() => true);
    let timeout: NodeJS.Timeout | undefined;
    const timer = new Promise<false>((r) => (timeout = setTimeout(() => r(false), FRAME_WAIT_MS)));
    const ok = await Promise.race([drew, timer]);
    clearTimeout(timeout);
    if (ok) return;
  }
  throw new Error(`${page.url()}: the page drew no frame after its viewport was resized to ${size.width}×${size.height}`);
}

/** Save a screenshot under test/artifacts/. */
export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}
