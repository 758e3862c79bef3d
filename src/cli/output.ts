import { styleText } from 'node:util';

/**
 * Whether to colour what goes to a stream: FORCE_COLOR decides when set (`0`/`false` = never, as
 * in Node), else a non-empty NO_COLOR turns colour off (no-color.org), else only on a terminal.
 */
export function colorOn(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true;
}

/** Whether stdout is coloured. */
export const useColor = colorOn(process.stdout);
/** Whether stderr is coloured (errors, diagnostics, progress). */
export const useColorErr = colorOn(process.stderr);

type Style = Parameters<typeof styleText>[0];

// `colorOn` has decided: styleText must not decide again (it would drop colours under CI=true)
const styled = (style: Style, text: string) => styleText(style, text, { validateStream: false });

/** Colour text for stdout; plain when piped or with NO_COLOR. */
export function paint(style: Style, text: string): string {
  return useColor ? styled(style, text) : text;
}

/** Colour text for stderr; plain when redirected or with NO_COLOR. */
export function paintErr(style: Style, text: string): string {
  return useColorErr ? styled(style, text) : text;
}

/** `1 row`, `2 rows`; `plural(1, 'entry', 'entries')`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${groupDigits(n)} ${n === 1 ? one : many}`;
}

/**
 * `12,345`: a number as `toLocaleString('en-US')` writes it. Whole numbers are grouped here,
 * because the first `toLocaleString` of a process loads ICU's number formats (tens of ms).
 */
export function groupDigits(n: number): string {
  return Number.isSafeInteger(n) ? String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',') : n.toLocaleString('en-US');
}

/** Print a value as JSON for machines (`--json`). Bigints become strings, Dates ISO strings. */
export function printJson(value: unknown): void {
  process.stdout.write(
    JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2) + '\n',
  );
}

/** A plain text table with aligned columns (`right`: indexes of columns aligned right, e.g. numbers; `stderr`: coloured for stderr). */
export function formatTable(headers: string[], rows: (string | number | null | undefined)[][], options: { right?: ReadonlySet<number>; stderr?: boolean } = {}): string {
  const cells = rows.map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (options.right?.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [(options.stderr ? paintErr : paint)('bold', line(headers)), ...cells.map(line)].join('\n');
}

/**
 * A one-line progress bar on stderr for long work (silent when stderr is not a terminal). With
 * `tick`, it shows the elapsed seconds until the first `update` (work whose steps are not known
 * yet, or that runs in a server that reports none).
 */
export function progress(label: string, options: { tick?: boolean } = {}): { update(done: number, total: number): void; done(): void } {
  const tty = process.stderr.isTTY === true;
  let drawn = false;
  const ticking = tty && options.tick ? ticker(label) : undefined;
  return {
    update(done, total) {
      if (!tty || total < 2) return;
      ticking?.done();
      drawn = true;
      const width = 24;
      const filled = Math.round((done / total) * width);
      process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
    },
    done() {
      ticking?.done();
      if (drawn) process.stderr.write('\r\x1b[K');
    },
  };
}

/**
 * A status line on stderr for work whose end cannot be measured (one transaction, a call to a
 * server): `label… 3 s`, refreshed every second; silent when stderr is not a terminal.
 */
export function ticker(label: string): { done(): void } {
  if (process.stderr.isTTY !== true) return { done() {} };
  const started = Date.now();
  const draw = () => process.stderr.write(`\r\x1b[K${label}… ${Math.round((Date.now() - started) / 1000)} s`);
  draw();
  const timer = setInterval(draw, 1000);
  timer.unref();
  let stopped = false;
  return {
    done() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      process.stderr.write('\r\x1b[K');
    },
  };
}
