import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_ARGV, type CliResult, runCli, runCollected, tempDir } from '../../helpers/cli.js';
import { appliedDemoProject } from '../server/demo-project.js';

/** A folder with a `writeback` program on it, as `npm i -g` or `npx` would give, for shell blocks. */
function writebackOnPath(): string {
  const bin = join(tempDir('wb-bin-'), 'bin');
  mkdirSync(bin, { recursive: true });
  const shim = join(bin, 'writeback');
  writeFileSync(shim, `#!/bin/sh\nexec ${[process.execPath, ...CLI_ARGV].map((a) => `'${a}'`).join(' ')} "$@"\n`);
  chmodSync(shim, 0o755);
  return bin;
}

/** Run a shell block in `cwd` with `writeback` on the PATH. */
function shell(script: string, cwd: string): Promise<CliResult> {
  return runCollected('bash', ['-c', script], { cwd, env: { PATH: `${writebackOnPath()}:${process.env.PATH ?? ''}` } });
}

/** A port something else listens on. */
async function takenPort(): Promise<{ port: number; close: () => void }> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { port: address.port, close: () => server.close() };
}

describe('one process holds a DuckDB file: commands find, wait for, or name it', () => {
  it('`writeback serve &` then at once `ANA=$(writeback token create …)` and curl: the token is made and works on the server', async () => {
    const dir = await appliedDemoProject();
    const free = await takenPort();
    free.close();
    // the block the documentation shows (curl retries while the server starts listening)
    const block = [
      `writeback serve --port ${free.port} --no-snapshot > serve.log 2>&1 &`,
      'ANA=$(writeback token create --user ana --role planner --attr region=EMEA)',
      `curl -s --retry 10 --retry-connrefused --retry-delay 1 localhost:${free.port}/api/v1/inputs -H "Authorization: Bearer $ANA"`,
    ].join('\n');
    const run = await shell(`${block}\necho\necho "token: $ANA"\nkill -INT %1; wait %1; echo "serve exited: $?"`, dir);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^token: wb_\S+$/m);
    expect(run.stdout).toContain('"name":"revenue_forecast"');
    expect(run.stdout).toContain('serve exited: 0');
  });

  it('in the other order (`token create &` then `serve`) serve waits for the command instead of dying on the lock', async () => {
    const dir = await appliedDemoProject();
    const run = await shell(
      [
        'writeback token create --user bo --role viewer > token.txt &',
        'writeback serve --port 0 --no-snapshot > serve.log 2>&1 &',
        'SERVE=$!',
        'wait %1',
        'for i in $(seq 1 600); do [ -f target/server.json ] && break; kill -0 $SERVE 2>/dev/null || break; sleep 0.1; done',
        'echo "token: $(cat token.txt)"',
        'cat serve.log | grep -E "serving|error" || true',
        'kill -INT $SERVE; wait $SERVE; echo "serve exited: $?"',
      ].join('\n'),
      dir,
    );
    expect(run.stdout).toMatch(/^token: wb_\S+$/m);
    expect(run.stdout).toContain('✓ serving revenue_planning');
    expect(run.stdout).not.toMatch(/error/);
    expect(run.stdout).toContain('serve exited: 0');
  });

  it('waits for a server that says it is starting, a bounded time; a marker of a dead process is ignored', async () => {
    const dir = await appliedDemoProject();
    const starting = spawn('sleep', ['60']);
    try {
      writeFileSync(join(dir, 'target/server.starting'), JSON.stringify({ pid: starting.pid, command: 'serve', started_at: new Date().toISOString() }));
      const stuck = await runCli(['versions', '--project', dir], { env: { WRITEBACK_SERVER_WAIT_MS: '1000' } });
      expect(stuck.code).toBe(2);
      expect(stuck.stderr).toContain(`writeback serve (pid ${starting.pid}) has been starting for this project`);
      expect(stuck.stderr).toContain('WRITEBACK_SERVER_WAIT_MS');
    } finally {
      starting.kill();
    }
    await new Promise((r) => starting.once('exit', r));
    const after = await runCli(['versions', '--json', '--project', dir], { env: { WRITEBACK_SERVER_WAIT_MS: '1000' } });
    expect(after.code, after.stderr).toBe(0);
  });

  it('a file held by a process that is not writeback is named, with what to do (exit 2, nothing waits)', async () => {
    const dir = await appliedDemoProject();
    const file = join(dir, 'target/warehouse.duckdb');
    const script = `
      import { DuckDBInstance } from '@duckdb/node-api';
      const db = await DuckDBInstance.create(process.argv[1]);
      await db.connect();
      console.log('ready');
      setInterval(() => {}, 1000);
    `;
    const holder = spawn(process.execPath, ['--input-type=module', '-e', script, file], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
        holder.once('exit', () => reject(new Error('the holder exited')));
      });
      const versions = await runCli(['versions', '--project', dir]);
      expect(versions.code).toBe(2);
      expect(versions.stderr).toContain(`target/warehouse.duckdb is held by process ${holder.pid} (`);
      expect(versions.stderr).toContain('which is not a writeback server');
      expect(versions.stderr).toContain('Stop that process');
      const serve = await runCli(['serve', '--port', '0', '--project', dir]);
      expect(serve.code).toBe(2);
      expect(serve.stderr).toContain(`held by process ${holder.pid}`);
      expect(existsSync(join(dir, 'target/server.starting'))).toBe(false);
    } finally {
      holder.kill();
    }
  });

  it('dev exits non-zero when its port is taken, and lets go of the warehouse', async () => {
    const dir = await appliedDemoProject();
    const taken = await takenPort();
    try {
      const dev = await runCli(['dev', '--port', String(taken.port), '--no-snapshot', '--project', dir]);
      expect(dev.code).toBe(2);
      expect(dev.stderr).toContain(`port ${taken.port} on 127.0.0.1 is already in use`);
      expect(dev.stdout).not.toContain('watching');
    } finally {
      taken.close();
    }
    expect(existsSync(join(dir, 'target/server.json'))).toBe(false);
    expect(existsSync(join(dir, 'target/server.starting'))).toBe(false);
    // nothing holds the file any more: a command opens it itself
    const check = spawnSync(process.execPath, [...CLI_ARGV, 'versions', '--json', '--project', dir], { encoding: 'utf8', env: { ...process.env, WRITEBACK_SERVER_WAIT_MS: '0' } });
    expect(check.status, check.stderr).toBe(0);
  });
});
