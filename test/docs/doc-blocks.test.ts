import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoBlocks, type DocBlock } from './doc-blocks.js';
import { NO_PSQL, ROOT } from './demo-session.js';
import { normalise, outputMatches } from './match-output.js';
import { runPages, type Page, type Step } from './page-runs.js';
import { DEMO_ROWS } from './readme-form.js';
import { chromiumMissing } from '../e2e/browser.js';

// Every command block of README.md and docs/*.md marked `demo` runs, in page order, in a shell
// over a fresh copy of the demo, and what it prints is compared with the output block the page
// shows under it (the markup is explained in doc-blocks.ts and match-output.ts, the session in
// demo-session.ts). Pages run in two lanes at once; each test waits for its own block.
// WRITEBACK_DOCS_PAGES=docs/api.md,README.md runs only those pages.

const only = process.env.WRITEBACK_DOCS_PAGES?.split(',').map((s) => s.trim()).filter(Boolean);
const FILES = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];

const noChromium = chromiumMissing();
if (noChromium) console.warn(`the README's form steps are not checked in a browser: ${noChromium}`);

/** The README's form steps are checked in a browser right after its demo starts. */
const isReadmeStart = (file: string, block: DocBlock) => file === 'README.md' && block.setup && block.script === 'npm start';

const pages: Page[] = FILES.filter((f) => !only || only.includes(f))
  .map((file) => ({ file, blocks: demoBlocks(file, readFileSync(join(ROOT, file), 'utf8')) }))
  .filter((p) => p.blocks.length > 0)
  .map(({ file, blocks }) => ({
    file,
    steps: blocks.flatMap((block): Step[] => [{ kind: 'block', block }, ...(isReadmeStart(file, block) && !noChromium ? [{ kind: 'form' } as const] : [])]),
    // pages that begin with the demo running start from a copy that is through npm start's first
    // part; the README's own first start is the one tested in full
    started: file !== 'README.md' && blocks[0]!.setup && blocks[0]!.script === 'npm start',
  }));

const { outcomes, done } = runPages(pages, 2);
afterAll(() => done, 300_000);

/** A step's name in the report: where it is and its first command. */
function title(file: string, step: Step): string {
  if (step.kind === 'form') return `${file}: steps 2 and 3 in a browser (the form lists the demo data; a typed value stays changed until saved)`;
  const { block } = step;
  const first = block.script.split('\n').find((l) => l.trim() !== '' && !l.trim().startsWith('#')) ?? '';
  const short = first.length > 70 ? `${first.slice(0, 69)}…` : first;
  return `${block.file}:${block.line}${block.setup ? ' (setup)' : ''} ${short}`;
}

it('finds the demo blocks of the README and of docs/', () => {
  if (!only) expect(pages.map((p) => p.file)).toContain('README.md');
  expect(pages.length).toBeGreaterThan(0);
});

it('the README says how many forecasts the demo data has', () => {
  expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain(`the demo's ${DEMO_ROWS} forecasts`);
});

describe.each(pages)('$file', ({ file, steps }) => {
  it.for(steps.map((step, i) => [title(file, step), step, i] as const))(
    '%s',
    { timeout: 300_000 },
    async ([, step, i], ctx) => {
      const outcome = await outcomes.get(file)![i]!;
      if (outcome.error) throw outcome.error;
      if (step.kind === 'form') return;
      const { block } = step;
      const run = outcome.run!;
      if (run.output.includes(NO_PSQL)) {
        const reason = NO_PSQL.replace(/^\S+ /, '');
        if (process.env.CI === 'true') throw new Error(`${block.file}:${block.line} runs psql, but ${reason}`);
        console.warn(`${block.file}:${block.line} is not checked: ${reason}`);
        return ctx.skip();
      }
      const where = `${block.file}:${block.line}`;
      // WRITEBACK_DOCS_PRINT=1 prints what every block printed: the starting point of an output block
      if (process.env.WRITEBACK_DOCS_PRINT === '1') console.log(`--- ${where} printed:\n${normalise(run.output)}`);
      if (block.exit === 0) {
        expect(run.failures, `${where}: a command failed; the block printed:\n${run.output}`).toEqual([]);
      } else {
        expect(run.status, `${where}: the last command's exit status; the block printed:\n${run.output}`).toBe(block.exit);
      }
      if (block.expected) {
        expect(
          outputMatches(run.output, block.expected.text),
          `${block.file}:${block.expected.line}: the output block does not match what the command printed.\n` +
            `--- the page shows:\n${normalise(block.expected.text)}\n--- the command printed:\n${normalise(run.output)}\n---`,
        ).toBe(true);
      }
    },
  );
});
