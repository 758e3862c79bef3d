import { formatTable, paintErr, printJson } from './output.js';

interface ErrorLike {
  code: string;
  message: string;
  details: unknown[];
}

/** Print a write-path error for people (a table of row / column / message) or as `{"error": …}`. */
export function printApiError(error: ErrorLike, json: boolean | undefined): void {
  if (json) {
    printJson({ error });
    return;
  }
  process.stderr.write(paintErr('red', `error (${error.code}): ${error.message}`) + '\n');
  const details = error.details as { row?: number; column?: string; message?: string }[];
  if (details.length === 0) return;
  const shown = details.slice(0, 50);
  process.stderr.write(
    formatTable(
      ['row', 'column', 'problem'],
      shown.map((d) => [d.row === undefined ? '' : d.row + 1, d.column ?? '', d.message ?? JSON.stringify(d)]),
      { stderr: true },
    ) + '\n',
  );
  if (details.length > shown.length) process.stderr.write(`… and ${details.length - shown.length} more\n`);
}
