/**
 * The command blocks of a Markdown page that claim to run against the demo.
 *
 * - A fenced block whose info string has the word `demo` (```` ```sh demo ````) is run, in page
 *   order, in one shell session over a fresh copy of the demo. `exit=N` on the info string says
 *   that its last command exits with N (otherwise every command of the block must succeed).
 * - The next fenced block, when its info string has the word `output` (```` ```text output ````),
 *   is what the command block prints (stdout and stderr together); see match-output.ts.
 * - `<!-- demo-setup: COMMAND -->` runs COMMAND in the session before the next block, unseen by
 *   readers (the prose says the same in words, e.g. "with `npm start` running").
 */

/** One step of a page's session. */
export interface DocBlock {
  /** The page, relative to the repository root. */
  file: string;
  /** 1-based line of the opening fence (or of the setup comment). */
  line: number;
  /** The shell text, fence indentation removed. */
  script: string;
  /** Set for a `<!-- demo-setup: … -->` step. */
  setup: boolean;
  /** The expected exit status of the block's last command. */
  exit: number;
  /** The block's output block, if any. */
  expected?: { line: number; text: string };
}

/** A problem in the page's own markup (an output block without a command before it, an unclosed fence). */
export class DocMarkupError extends Error {}

interface Fence {
  line: number;
  words: string[];
  body: string;
}

const SETUP = /^\s*<!--\s*demo-setup:\s*(.+?)\s*-->\s*$/;

/** The demo blocks of one page, in order. */
export function demoBlocks(file: string, markdown: string): DocBlock[] {
  const lines = markdown.split('\n');
  const items: (Fence | { line: number; setup: string })[] = [];
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    const setup = SETUP.exec(text);
    if (setup) {
      items.push({ line: i + 1, setup: setup[1]! });
      continue;
    }
    const open = /^(\s*)(`{3,}|~{3,})(.*)$/.exec(text);
    if (!open) continue;
    const [, indent, marker, info] = open as unknown as [string, string, string, string];
    const body: string[] = [];
    let j = i + 1;
    const closes = (l: string) => {
      const m = /^\s*(`{3,}|~{3,})\s*$/.exec(l);
      return m !== null && m[1]![0] === marker[0] && m[1]!.length >= marker.length;
    };
    while (j < lines.length && !closes(lines[j]!)) {
      const l = lines[j]!;
      body.push(l.startsWith(indent) ? l.slice(indent.length) : l.trimStart());
      j++;
    }
    if (j >= lines.length) throw new DocMarkupError(`${file}:${i + 1}: the code block opened here is never closed`);
    items.push({ line: i + 1, words: info.trim().split(/\s+/).filter(Boolean), body: body.join('\n') });
    i = j;
  }

  const blocks: DocBlock[] = [];
  let last: DocBlock | undefined;
  for (const item of items) {
    if ('setup' in item) {
      blocks.push({ file, line: item.line, script: item.setup, setup: true, exit: 0 });
      last = undefined;
      continue;
    }
    if (item.words.includes('output')) {
      if (!last) throw new DocMarkupError(`${file}:${item.line}: an output block must follow a \`demo\` command block`);
      last.expected = { line: item.line, text: item.body };
      last = undefined;
      continue;
    }
    if (!item.words.slice(1).includes('demo')) {
      last = undefined;
      continue;
    }
    const exit = item.words.map((w) => /^exit=(\d+)$/.exec(w)).find((m) => m !== null);
    last = { file, line: item.line, script: item.body, setup: false, exit: exit ? Number(exit[1]) : 0 };
    blocks.push(last);
  }
  return blocks;
}
