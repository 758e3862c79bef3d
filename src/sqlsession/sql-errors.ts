import { SqlError } from './types.js';

/**
 * DuckDB's errors as the Postgres SQLSTATE a client expects. The message keeps DuckDB's text
 * without the session catalog's name and without "did you mean" guesses (they could name objects
 * the session does not show).
 */
const BY_TYPE: readonly [RegExp, string][] = [
  [/unrecognized configuration parameter/, '42704'],
  [/^INTERRUPT Error/i, '57014'],
  [/^Parser Error/i, '42601'],
  [/^Catalog Error: Scalar Function|^Catalog Error: Table Function|^Catalog Error: Macro Function|Function with name .* does not exist/i, '42883'],
  [/^Catalog Error: Type with name/i, '42704'],
  [/^Catalog Error/i, '42P01'],
  [/^Binder Error: .*(column|Referenced column).* not found|^Binder Error: Values list .* does not have a column/i, '42703'],
  [/^Binder Error: No function matches/i, '42883'],
  [/^Binder Error/i, '42803'],
  [/^Conversion Error|^Invalid Input Error: Could not convert/i, '22P02'],
  [/^Out of Range Error|^Overflow/i, '22003'],
  [/Division by zero|divide by zero/i, '22012'],
  [/^Out of Memory Error/i, '53200'],
  [/^Not implemented Error/i, '0A000'],
  [/^Permission Error/i, '42501'],
  [/^Invalid Input Error/i, '22023'],
];

/**
 * A DuckDB failure as a SqlError (an existing SqlError passes through). With `redactValues`, a data
 * error (class 22) does not quote the value that failed: the engine may evaluate a condition on a
 * row before the row filter drops it, and the message must not show a row the role may not read.
 */
export function sqlErrorOf(err: unknown, catalog: string, redactValues = false): SqlError {
  if (err instanceof SqlError) return err;
  const raw = err instanceof Error ? err.message : String(err);
  const sqlstate = BY_TYPE.find(([re]) => re.test(raw))?.[1] ?? 'XX000';
  const message = raw
    .split('\n')[0]!
    .replace(new RegExp(`"?${catalog}"?\\.`, 'g'), '')
    .replace(new RegExp(catalog, 'g'), 'session')
    .replace(/\s*Did you mean.*$/i, '')
    .replace(/^[A-Za-z ]+ Error: /, '');
  return new SqlError(sqlstate, redactValues && sqlstate.startsWith('22') ? message.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"/g, '…') : message);
}
