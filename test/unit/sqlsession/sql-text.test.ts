import { describe, expect, it } from 'vitest';
import { sessionCommand } from '../../../src/sqlsession/session-commands.js';
import { normalizePostgresSpellings } from '../../../src/sqlsession/sql-text.js';
import { parseExactJson, stringifyExactJson } from '../../../src/sqlsession/exact-json.js';

describe('Postgres spellings the engine does not parse', () => {
  it('rewrites OPERATOR(pg_catalog.~) and ::pg_catalog.type outside strings, quoted names and comments', () => {
    expect(normalizePostgresSpellings("c.relname OPERATOR(pg_catalog.~) '^(a)$' and x::pg_catalog.regtype::pg_catalog.text")).toBe("c.relname  ~  '^(a)$' and x::regtype::text");
    expect(normalizePostgresSpellings("select 'OPERATOR(pg_catalog.~)', \"::pg_catalog.x\" -- OPERATOR(pg_catalog.~)")).toBe("select 'OPERATOR(pg_catalog.~)', \"::pg_catalog.x\" -- OPERATOR(pg_catalog.~)");
    expect(normalizePostgresSpellings('a OPERATOR(pg_catalog.!~) b')).toBe('a  !~  b');
  });
});

describe('the session commands', () => {
  it('reads SET in its Postgres forms', () => {
    expect(sessionCommand("SET application_name = 'Metabase v0.62'")).toEqual({ kind: 'set', name: 'application_name', value: 'Metabase v0.62' });
    expect(sessionCommand('set search_path to planning, "crm"')).toEqual({ kind: 'set', name: 'search_path', value: 'planning, "crm"' });
    expect(sessionCommand('SET SESSION TIME ZONE UTC')).toEqual({ kind: 'set', name: 'timezone', value: 'utc' });
    expect(sessionCommand('set extra_float_digits = 3')).toEqual({ kind: 'set', name: 'extra_float_digits', value: '3' });
    expect(sessionCommand('SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED')).toEqual({ kind: 'set-transaction' });
    expect(sessionCommand('set myapp.tenant = -1')).toEqual({ kind: 'set', name: 'myapp.tenant', value: '-1' });
  });

  it('reads SHOW, RESET and transaction control, and nothing else', () => {
    expect(sessionCommand('SHOW TRANSACTION ISOLATION LEVEL')).toEqual({ kind: 'show', name: 'transaction_isolation' });
    expect(sessionCommand('show timezone;')).toEqual({ kind: 'show', name: 'timezone' });
    expect(sessionCommand('SHOW ALL')).toEqual({ kind: 'show', name: undefined });
    expect(sessionCommand('reset all')).toEqual({ kind: 'reset', name: undefined });
    expect(sessionCommand('BEGIN READ ONLY')).toEqual({ kind: 'begin' });
    expect(sessionCommand('start transaction')).toEqual({ kind: 'begin' });
    expect(sessionCommand('COMMIT')).toEqual({ kind: 'commit' });
    expect(sessionCommand('end;')).toEqual({ kind: 'commit' });
    expect(sessionCommand('ROLLBACK')).toEqual({ kind: 'rollback' });
    expect(sessionCommand('DISCARD ALL')).toEqual({ kind: 'discard' });
    for (const sql of ['select 1', 'insert into t values (1)', 'settle', '', '-- set x = 1']) expect(sessionCommand(sql), sql).toBeUndefined();
  });
});

describe('statement trees as JSON, number for number', () => {
  it('keeps 64-bit integers and long decimals exact through a parse and a write', () => {
    const text = '{"query_location":18446744073709551615,"value":9007199254740993,"d":0.12345678901234567890,"s":"18446744073709551615","small":42}';
    expect(stringifyExactJson(parseExactJson(text))).toBe(text);
  });
});
