import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerCommands } from '../../../src/cli/commands/index.js';
import { CLI_ARGV, runCli, tempDir } from '../../helpers/cli.js';
import { appliedDemoProject } from '../server/demo-project.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const COLOUR = /\x1b\[[0-9;]*m/;

/** Run a shell command on a pseudo-terminal (util-linux `script`), as a person at a terminal would; the output of both streams. */
function onTerminal(command: string, cwd: string, env: Record<string, string | undefined>): { code: number | null; output: string } {
  const clean = { ...process.env, ...env };
  for (const [k, v] of Object.entries(clean)) if (v === undefined) delete clean[k];
  const run = spawnSync('script', ['-qec', command, '/dev/null'], { cwd, env: clean, encoding: 'utf8' });
  return { code: run.status, output: run.stdout + run.stderr };
}

/** Every command and subcommand of the program. */
function allCommands(program: Command): Command[] {
  return program.commands.flatMap((c) => [c, ...allCommands(c)]);
}

describe('CLI polish', () => {
  it('--version is the package version; every command shows examples in its --help; a wrong option is exit 2', async () => {
    const version = await runCli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);

    const program = new Command('writeback');
    registerCommands(program);
    const missing: string[] = [];
    for (const command of allCommands(program)) {
      let text = '';
      command.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) });
      command.outputHelp();
      if (!/\nExamples:\n {2}# .+\n {2}\$ .*writeback /.test(text)) missing.push(command.name());
    }
    expect(missing).toEqual([]);

    const help = await runCli(['query', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('$ writeback query "select * from planning.account_forecast limit 5"');

    const wrong = await runCli(['validate', '--nope']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("unknown option '--nope'");
  });

  it('init refuses a folder with files unless --force (which keeps them); the scaffold says why crm is schema main; counts are singular', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.md'), 'mine\n');
    const refused = await runCli(['init', dir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('is not empty (notes.md)');
    expect(refused.stderr).toContain('--force');
    expect(existsSync(join(dir, 'project.yml'))).toBe(false);

    mkdirSync(join(dir, 'seeds'));
    writeFileSync(join(dir, 'seeds/customers.csv'), 'id,name,country\nc_9,Own Ltd,FR\n');
    const forced = await runCli(['init', dir, '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('kept the existing seeds/customers.csv');
    expect(readFileSync(join(dir, 'seeds/customers.csv'), 'utf8')).toContain('Own Ltd');
    expect(readFileSync(join(dir, 'notes.md'), 'utf8')).toBe('mine\n');
    expect(readFileSync(join(dir, 'project.yml'), 'utf8')).toMatch(/# Where the source's tables live in the warehouse[^\n]*\n(\s+#.*\n)*\s+schema: main/);

    const validate = await runCli(['validate', '--project', dir]);
    expect(validate.stdout).toContain('1 input table, 1 model, 1 source, 1 macro — no problems found');
  });

  it('on a terminal: colours unless NO_COLOR, and progress of apply and of a bulk write on stderr', async () => {
    const dir = join(tempDir(), 'tty');
    expect((await runCli(['init', dir])).code).toBe(0);
    writeFileSync(join(dir, 'notes.csv'), 'customer_id,health\nc_001,amber\nc_002,red\n');
    const cli = [process.execPath, ...CLI_ARGV].map((a) => `'${a}'`).join(' ');
    const coloured = onTerminal(`${cli} apply && ${cli} write customer_notes --file notes.csv`, dir, { NO_COLOR: undefined, FORCE_COLOR: undefined });
    expect(coloured.code, coloured.output).toBe(0);
    expect(coloured.output).toMatch(COLOUR);
    expect(coloured.output).toContain('applying');
    expect(coloured.output).toContain('writing 2 rows in one transaction');

    const plain = onTerminal(`${cli} validate && ${cli} write customer_notes --file notes.csv && ${cli} validate --nope`, dir, { NO_COLOR: '1', FORCE_COLOR: undefined });
    expect(plain.output).toContain('writing 2 rows in one transaction');
    expect(plain.output).toContain("unknown option '--nope'");
    expect(plain.output).not.toMatch(COLOUR);
  });

  it('history --since takes dates and datetimes, and a bad one names the option', async () => {
    const dir = join(tempDir(), 'since');
    await runCli(['init', dir]);
    await runCli(['apply', '--project', dir]);
    writeFileSync(join(dir, 'notes.csv'), 'customer_id,health\nc_001,amber\n');
    await runCli(['write', 'customer_notes', '--file', join(dir, 'notes.csv'), '--project', dir]);
    const [date, zoned, future, bad] = await Promise.all([
      runCli(['history', 'customer_notes', '--since', '2020-01-01', '--json', '--project', dir]),
      runCli(['history', 'customer_notes', '--since', '2020-01-01T09:30+01:00', '--json', '--project', dir]),
      runCli(['history', 'customer_notes', '--since', '2999-12-31', '--json', '--project', dir]),
      runCli(['history', 'customer_notes', '--since', 'last tuesday', '--project', dir]),
    ]);
    expect((JSON.parse(date.stdout) as { entries: unknown[] }).entries).toHaveLength(1);
    expect((JSON.parse(zoned.stdout) as { entries: unknown[] }).entries).toHaveLength(1);
    expect((JSON.parse(future.stdout) as { entries: unknown[] }).entries).toHaveLength(0);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--since expects a date (2026-11-01, the start of that day in UTC) or a date and time");
    expect(bad.stderr).not.toContain('query parameter');
  });

  it('query prints an aligned table, CSV or JSON, says when it cut rows, and reads through a read-only connection', async () => {
    const dir = await appliedDemoProject();
    const sql = "select id, region, 1.50::decimal(5,2) as x, null::varchar as empty from crm.accounts where id in ('acc_001', 'acc_002', 'acc_003') order by id";
    // another reader holds the file read-only: query still reads it; a command that writes cannot
    const script = `
      import { DuckDBInstance } from '@duckdb/node-api';
      const db = await DuckDBInstance.create(process.argv[1], { access_mode: 'READ_ONLY' });
      await db.connect();
      console.log('ready');
      setInterval(() => {}, 1000);
    `;
    const reader = spawn(process.execPath, ['--input-type=module', '-e', script, join(dir, 'target/warehouse.duckdb')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((ok, fail) => {
        reader.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && ok());
        reader.once('exit', () => fail(new Error('the reader exited')));
      });
      const [table, cut, csv, json] = await Promise.all([
        runCli(['query', sql, '--project', dir]),
        runCli(['query', sql, '--limit', '2', '--project', dir]),
        runCli(['query', sql, '--csv', '--project', dir]),
        runCli(['query', sql, '--json', '--project', dir]),
      ]);
      expect(table.code, table.stderr).toBe(0);
      expect(table.stdout).toBe(
        ['id       region     x  empty', 'acc_001  AMER    1.50  NULL', 'acc_002  AMER    1.50  NULL', 'acc_003  AMER    1.50  NULL', '(3 rows)', ''].join('\n'),
      );
      expect(cut.stdout).toContain('(first 2 rows of 3; --limit 3 shows all)');
      expect(csv.stdout).toBe('id,region,x,empty\r\nacc_001,AMER,1.50,\r\nacc_002,AMER,1.50,\r\nacc_003,AMER,1.50,\r\n');
      expect(JSON.parse(json.stdout)).toMatchObject({ columns: [{ name: 'id', type: 'VARCHAR' }, { name: 'region' }, { name: 'x', type: 'DECIMAL(5,2)' }, { name: 'empty' }], row_count: 3, truncated: false });
      const write = await runCli(['token', 'create', '--user', 'x', '--role', 'viewer', '--project', dir], { env: { WRITEBACK_SERVER_WAIT_MS: '0' } });
      expect(write.code).toBe(2);
      expect(write.stderr).toContain(`held by process ${reader.pid}`);
    } finally {
      reader.kill();
    }
    const wrong = await runCli(['query', 'select * from nope', '--project', dir]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('Catalog Error: Table with name nope does not exist');
  });
});
