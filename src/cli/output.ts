import { styleText } from 'node:util';

/** Whether to color output: a TTY without NO_COLOR, or FORCE_COLOR. */
export const useColor = (process.stdout.isTTY && !process.env.NO_COLOR) || !!process.env.FORCE_COLOR;

type Style = Parameters<typeof styleText>[0];

/** Color text for people; plain when piped. */
export function paint(style: Style, text: string): string {
  return useColor ? styleText(style, text) : text;
}

/** Print a value as JSON for machines (`--json`). Bigints become strings, Dates ISO strings. */
export function printJson(value: unknown): void {
  process.stdout.write(
    JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2) + '\n',
  );
}

/** A plain text table with aligned columns. */
export function formatTable(headers: string[], rows: (string | number | null | undefined)[][]): string {
  const cells = rows.map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [paint('bold', line(headers)), ...cells.map(line)].join('\n');
}

/** A one-line progress bar on stderr for long work (silent when not a TTY). */
export function progress(label: string): { update(done: number, total: number): void; done(): void } {
  const tty = process.stderr.isTTY;
  return {
    update(done, total) {
      if (!tty || total < 2) return;
      const width = 24;
      const filled = Math.round((done / total) * width);
      process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
    },
    done() {
      if (tty) process.stderr.write('\r\x1b[K');
    },
  };
}
