import { describe, expect, it } from 'vitest';
import { demoBlocks, DocMarkupError } from './doc-blocks.js';
import { outputMatches } from './match-output.js';

describe('demo blocks of a page', () => {
  const page = [
    'Text.',
    '```sh',
    'not run',
    '```',
    '<!-- demo-setup: npm start -->',
    '1. A step:',
    '   ```sh demo',
    '   npx writeback history t',
    '   ```',
    '   prints',
    '   ```text output',
    '   at  user',
    '   ```',
    '```sh demo exit=1',
    'npx writeback validate',
    '```',
    '```bash',
    'ignored',
    '```',
    '```text output',
    'not attached: the block before is not a demo block',
  ];

  it('finds setup comments, demo blocks, their exit status and their output blocks, in order', () => {
    const blocks = demoBlocks('p.md', page.slice(0, 16).join('\n'));
    expect(blocks.map((b) => [b.line, b.setup, b.script, b.exit, b.expected?.text])).toEqual([
      [5, true, 'npm start', 0, undefined],
      [7, false, 'npx writeback history t', 0, 'at  user'],
      [14, false, 'npx writeback validate', 1, undefined],
    ]);
  });

  it('refuses an output block after a block that is not a demo block', () => {
    expect(() => demoBlocks('p.md', [...page, '```'].join('\n'))).toThrow(DocMarkupError);
  });

  it('refuses an unclosed block', () => {
    expect(() => demoBlocks('p.md', '```sh demo\nls\n')).toThrow('p.md:1: the code block opened here is never closed');
  });
});

describe('output blocks', () => {
  it('ignore space runs, trailing spaces, outer blank lines and colours', () => {
    expect(outputMatches('\n\x1b[32mid \t  name\x1b[39m  \nacc_1   A\n\n', 'id name\nacc_1 A')).toBe(true);
    expect(outputMatches('id name\nacc_2 A', 'id name\nacc_1 A')).toBe(false);
  });

  it('read <time>, <id>, <token>, <n> and <date> as placeholders', () => {
    expect(outputMatches('{"id":"01a24b91-736c-7000-8f4b-968ab42e9b6d","at":"2026-12-06T13:35:53.196Z"}', '{"id":"<id>","at":"<time>"}')).toBe(true);
    expect(outputMatches('✓ wrote 28 rows in 136 ms on 2026-12-06', '✓ wrote <n> rows in <n> ms on <date>')).toBe(true);
    expect(outputMatches('wb_AbC-9_x', '<token>')).toBe(true);
    expect(outputMatches('at 2026-12-06', 'at <time>')).toBe(false);
  });

  it('read … as any text in a line, and as any lines on a line of its own', () => {
    expect(outputMatches('a: 1, b: 2, c: 3', 'a: 1, …, c: 3')).toBe(true);
    expect(outputMatches('head\nx\ny\ntail', 'head\n…\ntail')).toBe(true);
    expect(outputMatches('head\ntail', 'head\n…\ntail')).toBe(true);
    expect(outputMatches('x\ny\ntail', '…\ntail')).toBe(true);
    expect(outputMatches('head\nx\ny', 'head\n…')).toBe(true);
    expect(outputMatches('head', 'head\n…')).toBe(true);
    expect(outputMatches('anything\nat all', '…')).toBe(true);
    expect(outputMatches('head\nx\nnot the tail', 'head\n…\ntail')).toBe(false);
  });
});
