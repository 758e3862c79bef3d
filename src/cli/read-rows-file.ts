import { existsSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { InputTable } from '../ir/types.js';
import { UsageError } from '../adapters/usage-error.js';

/**
 * Rows of a `.json` (an array of objects, or `{ "rows": [...] }`), `.jsonl` or `.csv` file.
 * CSV is parsed by DuckDB's reader (quoting, delimiters and encodings handled for us); every
 * cell arrives as text and is turned into the column's wire type; an empty cell is null.
 */
export async function readRowsFile(file: string, input: InputTable | undefined): Promise<Record<string, unknown>[]> {
  const ext = extname(file).toLowerCase();
  if (!existsSync(file)) throw new UsageError(`${file} does not exist`);
  if (ext === '.json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new UsageError(`${file} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
    const rows = Array.isArray(parsed) ? parsed : (parsed as { rows?: unknown }).rows;
    if (!Array.isArray(rows)) throw new UsageError(`${file}: expected an array of rows or { "rows": [...] }`);
    return rows as Record<string, unknown>[];
  }
  if (ext === '.jsonl' || ext === '.ndjson') {
    return readFileSync(file, 'utf8')
      .split('\n')
      .map((l, i) => ({ l, line: i + 1 }))
      .filter(({ l }) => l.trim() !== '')
      .map(({ l, line }) => {
        try {
          return JSON.parse(l) as Record<string, unknown>;
        } catch (err) {
          throw new UsageError(`${file}:${line}: not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
        }
      });
  }
  if (ext !== '.csv' && ext !== '.tsv') throw new UsageError(`${file}: use a .csv, .tsv, .json or .jsonl file`);
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:');
  try {
    const connection = await db.connect();
    const reader = await connection.runAndReadAll('select * from read_csv($1, all_varchar = true, header = true)', [file]);
    const rows = reader.getRowObjectsJS() as Record<string, string | null>[];
    connection.closeSync();
    return rows.map((row) => fromCsv(row, input));
  } finally {
    db.closeSync();
  }
}

function fromCsv(row: Record<string, string | null>, input: InputTable | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, text] of Object.entries(row)) {
    const column = input?.columns.find((c) => c.name === name);
    if (text === null) out[name] = null;
    else if (name === '_version') out[name] = Number(text);
    else if (column?.type.kind === 'boolean') out[name] = /^(true|t|yes|1)$/i.test(text) ? true : /^(false|f|no|0)$/i.test(text) ? false : text;
    else if (column?.type.kind === 'number') out[name] = Number.isFinite(Number(text)) ? Number(text) : text;
    else out[name] = text; // decimals, integers, dates and timestamps travel as strings on the wire
  }
  return out;
}
