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

/** Save a screenshot under test/artifacts/. */
export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}
