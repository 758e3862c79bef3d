import type { Locator, Page } from 'playwright-core';

// Steps a planner takes in the generated form, shared by the browser tests.

/** The grid row whose cells contain all of `texts`. */
export function rowWith(page: Page, ...texts: string[]): Locator {
  let loc = page.locator('tr.row');
  for (const t of texts) loc = loc.filter({ has: page.locator('td', { hasText: t }) });
  return loc;
}

/** Sign in through the page's sign-in form with `token`. */
export async function signIn(page: Page, url: string, token: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#who .user').waitFor();
}

/** Use `user`'s `token` in this browser tab (as the sign-in form would) and open `url`. */
export async function openAs(page: Page, url: string, token: string, user: string): Promise<void> {
  await page.goto(url);
  // wait until the page has booted (signed in, or the sign-in form): a boot still running would drop the new token on its 401
  await page.locator('#who .user, #token').first().waitFor();
  await page.evaluate(`sessionStorage.setItem('writeback.token', ${JSON.stringify(token)})`);
  await page.goto(url);
  await page.locator('#who .user', { hasText: user }).waitFor();
}

/** Edit one cell with the keyboard: focus, Enter, type (or choose), Enter. */
export async function editCell(page: Page, row: Locator, column: string, text: string): Promise<void> {
  const cell = row.locator(`td[data-col="${column}"]`);
  await cell.focus();
  await page.keyboard.press('Enter');
  const control = cell.locator('.control');
  if ((await control.evaluate((el) => el.tagName)) === 'SELECT') await control.selectOption(text);
  else await control.fill(text);
  await page.keyboard.press('Enter');
}

/** Add one row with the keyboard (each cell as `editCell`), save it, and wait for "Saved 1 row". */
export async function addAndSaveRow(page: Page, values: Record<string, string>): Promise<void> {
  await page.getByRole('button', { name: '+ Add row' }).click();
  const fresh = page.locator('tr.row.new').first();
  for (const [column, text] of Object.entries(values)) await editCell(page, fresh, column, text);
  await page.getByRole('button', { name: 'Save 1 row' }).click();
  await page.locator('#save-status', { hasText: 'Saved 1 row' }).waitFor();
}

/** Wait until the form page shows its rows (or says it has none). */
export async function formLoaded(page: Page): Promise<void> {
  await page.locator('tr.row, tr.empty-row p.empty').first().waitFor();
}

/** Bodies of the POSTs the page sends to paths ending in `suffix`, from now on. */
export function recordPosts(page: Page, suffix: string): Record<string, unknown>[] {
  const posts: Record<string, unknown>[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname.endsWith(suffix)) posts.push(JSON.parse(r.postData() ?? '{}') as Record<string, unknown>);
  });
  return posts;
}
