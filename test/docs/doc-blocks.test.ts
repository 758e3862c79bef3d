import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoBlocks, type DocBlock } from './doc-blocks.js';
import { DemoSession, firstStart, ROOT } from './demo-session.js';
import { normalise, outputMatches } from './match-output.js';
import { pendingFor } from './pending.js';
import { checkReadmeForm, DEMO_ROWS } from './readme-form.js';
import { chromiumMissing } from '../e2e/browser.js';

// Every command block of README.md and docs/*.md marked `demo` runs, in page order, in a shell
// over a fresh copy of the demo, and what it prints is compared with the output block the page
// shows under it (the markup is explained in doc-blocks.ts and match-output.ts).

const PAGES = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];

const pages = PAGES.map((file) => ({ file, blocks: demoBlocks(file, readFileSync(join(ROOT, file), 'utf8')) })).filter((p) => p.blocks.length > 0);

/** The first command of a block, for the test's name. */
function title(block: DocBlock): string {
  const first = block.script.split('\n').find((l) => l.trim() !== '' && !l.trim().startsWith('#')) ?? '';
  const short = first.length > 70 ? `${first.slice(0, 69)}…` : first;
  return `${block.file}:${block.line}${block.setup ? ' (setup)' : ''} ${short}`;
}

it('finds the demo blocks of the README and of docs/', () => {
  expect(pages.map((p) => p.file)).toContain('README.md');
});

it('the README says how many forecasts the demo data has', () => {
  expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain(`the demo's ${DEMO_ROWS} forecasts`);
});

const noChromium = chromiumMissing();
if (noChromium) console.warn(`the README's form steps are not checked in a browser: ${noChromium}`);

/** Steps that are not shell blocks: the README's form, in a browser, right after the demo starts. */
const isReadmeStart = (file: string, block: DocBlock) => file === 'README.md' && block.setup && block.script === 'npm start';

/** Pages (but the README, whose first start is the one tested) that begin with the demo running. */
const startedPages = pages.filter((p) => p.file !== 'README.md' && p.blocks[0]?.setup && p.blocks[0].script === 'npm start');
let started: Promise<string | undefined> | undefined;
afterAll(async () => {
  const dir = await started;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.each(pages)('$file', ({ file, blocks }) => {
  let session: DemoSession;
  beforeAll(async () => {
    const useStarted = startedPages.some((p) => p.file === file);
    session = await DemoSession.start(useStarted ? { started: await (started ??= firstStart()) } : {});
  });
  afterAll(async () => {
    await session?.close();
  });

  const steps = blocks.flatMap((b) => [
    [title(b), b] as const,
    ...(isReadmeStart(file, b) ? [[`${file}: steps 2 and 3 in a browser (the form lists the demo data; a typed value stays changed until saved)`, 'form'] as const] : []),
  ]);

  it.for(steps)('%s', async ([, step], ctx) => {
    if (step !== 'form') return runBlock(step, ctx);
    if (noChromium) ctx.skip(noChromium);
    await checkReadmeForm(session.port);
  });

  async function runBlock(block: DocBlock, ctx: { skip: (note: string) => never }) {
    const pending = pendingFor(block.script);
    if (pending.length > 0) {
      const note = `pending: ${pending.map((p) => p.what).join('; ')}`;
      const meanwhile = pending.reduce<string | undefined>((s, p) => (s !== undefined && p.meanwhile ? p.meanwhile(s) : undefined), block.script);
      if (meanwhile !== undefined) await session.run(meanwhile);
      console.warn(`${block.file}:${block.line}: ${note}`);
      ctx.skip(note);
    }
    const run = await session.run(block.script);
    const where = `${block.file}:${block.line}`;
    // WRITEBACK_DOCS_PRINT=1 prints what every block printed: the starting point of an output block
    if (process.env.WRITEBACK_DOCS_PRINT === '1') console.log(`--- ${where} printed:\n${normalise(run.output)}`);
    if (block.exit === 0) {
      expect(run.failures, `${where}: a command failed; the block printed:\n${run.output}`).toEqual([]);
    } else {
      expect(run.status, `${where}: the last command's exit status; the block printed:\n${run.output}`).toBe(block.exit);
    }
    if (block.expected) {
      const ok = outputMatches(run.output, block.expected.text);
      expect(
        ok,
        `${block.file}:${block.expected.line}: the output block does not match what the command printed.\n` +
          `--- the page shows:\n${normalise(block.expected.text)}\n--- the command printed:\n${normalise(run.output)}\n---`,
      ).toBe(true);
    }
  }
});
