import { tokenize, type Token } from './sql-text.js';

/**
 * The statements a session answers itself, never running anything on the engine: SET / RESET /
 * SHOW of session settings, transaction control (a session only ever reads, so BEGIN…COMMIT only
 * changes the status reported to the client), DISCARD and DEALLOCATE.
 */
export type SessionCommand =
  | { kind: 'set'; name: string; value: string }
  | { kind: 'reset'; name: string | undefined }
  | { kind: 'show'; name: string | undefined }
  | { kind: 'begin' | 'commit' | 'rollback' | 'discard' | 'deallocate' | 'set-transaction' };

/** The PostgreSQL version a session reports (`server_version`, `version()`): what clients choose their catalog queries by. */
export const SERVER_VERSION = '16.0';

/** Start-up parameters a client may send that a session takes as its initial settings (Postgres applies them like SET). */
export const STARTUP_SETTINGS: readonly string[] = ['application_name', 'extra_float_digits'];

/** Settings a client may read and set, with their value at connect (what a Postgres 16 server answers). */
export function defaultSettings(views: string, serverVersion: string): Map<string, string> {
  return new Map([
    ['server_version', serverVersion],
    ['server_version_num', '160000'],
    ['server_encoding', 'UTF8'],
    ['client_encoding', 'UTF8'],
    ['datestyle', 'ISO, MDY'],
    ['timezone', 'UTC'],
    ['intervalstyle', 'postgres'],
    ['integer_datetimes', 'on'],
    ['standard_conforming_strings', 'on'],
    ['search_path', `${views}, public`],
    ['application_name', ''],
    ['extra_float_digits', '1'],
    ['statement_timeout', '0'],
    ['transaction_isolation', 'read committed'],
    ['default_transaction_isolation', 'read committed'],
    ['transaction_read_only', 'on'],
    ['default_transaction_read_only', 'on'],
    ['is_superuser', 'off'],
    ['lc_messages', 'C'],
    ['lc_monetary', 'C'],
    ['lc_numeric', 'C'],
    ['lc_time', 'C'],
    ['max_identifier_length', '63'],
    ['max_index_keys', '32'],
    ['bytea_output', 'hex'],
    ['client_min_messages', 'notice'],
    ['default_transaction_deferrable', 'off'],
    ['idle_in_transaction_session_timeout', '0'],
    ['lock_timeout', '0'],
    ['jit', 'off'],
    ['block_size', '8192'],
  ]);
}

/** Settings a client is told of when they change (ParameterStatus), under the name Postgres reports. */
export const REPORTED_SETTINGS: Readonly<Record<string, string>> = {
  application_name: 'application_name',
  client_encoding: 'client_encoding',
  datestyle: 'DateStyle',
  intervalstyle: 'IntervalStyle',
  timezone: 'TimeZone',
  standard_conforming_strings: 'standard_conforming_strings',
  search_path: 'search_path',
  is_superuser: 'is_superuser',
};

/** Settings only the server sets (SET on them is 55P02 / 42501 as in Postgres). */
export const READ_ONLY_SETTINGS = new Set(['server_version', 'server_version_num', 'server_encoding', 'integer_datetimes', 'is_superuser', 'max_identifier_length', 'max_index_keys', 'block_size', 'transaction_read_only', 'default_transaction_read_only', 'lc_messages']);

/** The value text of a SET (identifiers and strings as Postgres joins a list: `a, b`). */
function valueText(tokens: Token[]): string {
  const parts: string[] = [];
  let current = '';
  for (const t of tokens) {
    if (t.text === ',') {
      parts.push(current);
      current = '';
    } else current += current === '' || t.text === '-' || current.endsWith('-') ? t.kind === 'quoted' ? `"${t.value}"` : t.value : ` ${t.value}`;
  }
  parts.push(current);
  return parts.join(', ');
}

/** The command `sql` is, when the session answers it itself; undefined for anything else. */
export function sessionCommand(sql: string): SessionCommand | undefined {
  const tokens = tokenize(sql).filter((t) => t.text !== ';');
  const w = (k: number) => (tokens[k]?.kind === 'word' ? tokens[k]!.value : undefined);
  const first = w(0);
  if (first === undefined) return undefined;
  if (first === 'begin' || (first === 'start' && w(1) === 'transaction')) return { kind: 'begin' };
  if ((first === 'commit' || first === 'end') && tokens.length <= 2) return { kind: 'commit' };
  if ((first === 'rollback' || first === 'abort') && tokens.length <= 2) return { kind: 'rollback' };
  if (first === 'discard') return { kind: 'discard' };
  if (first === 'deallocate') return { kind: 'deallocate' };
  if (first === 'reset') return { kind: 'reset', name: w(1) === 'all' ? undefined : tokens.slice(1).map((t) => t.value).join('') };
  if (first === 'show') {
    if (w(1) === 'all') return { kind: 'show', name: undefined };
    if (w(1) === 'transaction' && w(2) === 'isolation' && w(3) === 'level') return { kind: 'show', name: 'transaction_isolation' };
    if (w(1) === 'time' && w(2) === 'zone') return { kind: 'show', name: 'timezone' };
    return { kind: 'show', name: tokens.slice(1).map((t) => t.value).join('') };
  }
  if (first === 'set') {
    let k = 1;
    if (w(k) === 'session' && w(k + 1) === 'characteristics') return { kind: 'set-transaction' };
    if (w(k) === 'transaction') return { kind: 'set-transaction' };
    if (w(k) === 'session' || w(k) === 'local') k++;
    if (w(k) === 'time' && w(k + 1) === 'zone') return { kind: 'set', name: 'timezone', value: valueText(tokens.slice(k + 2)) };
    if (w(k) === 'names') return { kind: 'set', name: 'client_encoding', value: valueText(tokens.slice(k + 1)) };
    let name = '';
    while (k < tokens.length && tokens[k]!.text !== '=' && !(tokens[k]!.kind === 'word' && tokens[k]!.value === 'to')) name += tokens[k++]!.value;
    if (k >= tokens.length || name === '') return undefined;
    return { kind: 'set', name, value: valueText(tokens.slice(k + 1)) };
  }
  return undefined;
}
