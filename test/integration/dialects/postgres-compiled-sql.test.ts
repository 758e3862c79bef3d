import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDialect } from '../../../src/dialects/registry.js';
import { csvHeader } from '../../../src/seeds/seed-columns.js';
import { emittedStatements } from '../../unit/dialects/emitted-statements.js';
import { compileOn, PROJECTS } from '../../unit/dialects/remote-projects.js';

// Runs the Postgres dialect's DDL and views for the demo and both examples on a real, throwaway
// PostgreSQL 15 server (loopback only): seeds loaded with \copy, every apply statement
// (schemas, meta and input tables, version views, alias views) executed, then every model read.
// PostgreSQL 15 also proves the alias that derived tables need before 16.
const BIN = '/usr/lib/postgresql/15/bin';
const available = existsSync(join(BIN, 'initdb')) && userInfo().uid === 0 && existsSync('/usr/sbin/runuser');
const pg = getDialect('postgres');
let dir = '';
let port = 0;

function psql(database: string, sql: string): { ok: boolean; out: string } {
  const r = spawnSync('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', database, '-v', 'ON_ERROR_STOP=1', '-qAt', '-f', '-'], { input: sql, encoding: 'utf8' });
  return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
}

// Without the server binaries this suite skips (saying how to install them); CI must run it.
if (!available && process.env.CI === 'true') {
  it('needs PostgreSQL 15 under CI', () => {
    throw new Error('PostgreSQL 15 is missing (or not root): apt-get install -y postgresql');
  });
}

describe.skipIf(!available)(`Postgres dialect on PostgreSQL 15${available ? '' : ' (skipped: apt-get install -y postgresql, run as root)'}`, () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wb-pg-'));
    chownSync(dir, Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim()), -1);
    port = 20000 + Math.floor(Math.random() * 20000);
    const as = (args: string[]) => spawnSync('runuser', ['-u', 'postgres', '--', ...args], { encoding: 'utf8' });
    expect(as([join(BIN, 'initdb'), '-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres']).status).toBe(0);
    const start = as([join(BIN, 'pg_ctl'), '-D', join(dir, 'data'), '-o', `-k ${dir} -h 127.0.0.1 -p ${port}`, '-l', join(dir, 'log'), '-w', 'start']);
    expect(start.status, start.stderr).toBe(0);
  }, 120_000);

  afterAll(() => {
    if (!dir) return;
    spawnSync('runuser', ['-u', 'postgres', '--', join(BIN, 'pg_ctl'), '-D', join(dir, 'data'), '-m', 'fast', 'stop'], { encoding: 'utf8' });
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(Object.entries(PROJECTS))('%s: seeds, every apply statement, then every model reads', async (name, projectDir) => {
    const { project, dialect, objects } = await compileOn(projectDir, 'postgres');
    expect(psql('postgres', `create database ${pg.quoteIdent(name)}`).ok).toBe(true);
    const setup: string[] = [];
    for (const seed of project.seeds) {
      const table = project.sources[seed.into.source]?.tables[seed.into.table];
      const schema = table?.schema[project.defaultTarget];
      if (!table || !schema) throw new Error(`seed ${seed.file} has no table`);
      const path = join(project.dir, seed.file);
      const cols = csvHeader(readFileSync(path, 'utf8')).map((c) => `${dialect.quoteIdent(c)} ${seed.columnTypes[c] ? dialect.columnType(seed.columnTypes[c]) : 'TEXT'}`);
      setup.push(`create schema if not exists ${dialect.quoteIdent(schema)};`, `create table ${dialect.qualify(schema, table.identifier)} (${cols.join(', ')});`);
      setup.push(`\\copy ${dialect.qualify(schema, table.identifier)} from '${path}' with (format csv, header true)`);
    }
    const loaded = psql(name, setup.join('\n'));
    expect(loaded.ok, loaded.out).toBe(true);
    // Apply in order: everything but registry inserts (bound values) and the destructive operations run later.
    const statements = emittedStatements(project, dialect, objects).filter((s) => s.origin.startsWith('apply ') && !/ (archive-input-table|drop-input-column|add-meta-column|add-input-column) /.test(s.origin) && !/^insert /i.test(s.sql));
    const applied = psql(name, statements.map((s) => `${s.sql};`).join('\n'));
    expect(applied.ok, applied.out).toBe(true);
    for (const model of project.models) {
      const read = psql(name, `select count(*) from ${dialect.qualify(project.schemas.views, model.name)};`);
      expect(read.ok, read.out).toBe(true);
      expect(Number(read.out.trim())).toBeGreaterThan(0);
    }
  }, 60_000);
});
