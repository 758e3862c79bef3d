import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CLI_ARGV } from '../../helpers/cli.js';
import { freePort, type PgServer } from './pg-server.js';

const ROOT = resolve(import.meta.dirname, '../../..');

/**
 * The demo project deployed for a team on a throwaway PostgreSQL: each `projectCopy()` is one
 * machine's checkout (the target's port and user come from the environment), `cli` runs the real
 * CLI on it, `serve` starts a real `writeback serve` process and returns its URL. `stop()` ends
 * the processes and removes the copies.
 */
export class TeamServers {
  readonly root = ROOT;
  private readonly dirs: string[] = [];
  private readonly serves: ChildProcess[] = [];
  readonly env: NodeJS.ProcessEnv;

  constructor(server: PgServer, database: string) {
    this.env = { ...process.env, NO_COLOR: '1', WB_TEAM_PGPORT: String(server.port), WB_TEAM_PGUSER: server.user, WB_TEAM_PGDB: database };
  }

  /** A fresh copy of the demo project whose default target is the team's Postgres database. */
  projectCopy(): string {
    const dir = mkdtempSync(join(tmpdir(), 'wb-team-'));
    for (const part of ['project.yml', 'inputs', 'models', 'macros', 'seeds']) cpSync(join(ROOT, part), join(dir, part), { recursive: true });
    const yml = join(dir, 'project.yml');
    writeFileSync(
      yml,
      readFileSync(yml, 'utf8')
        .replace('default_target: dev', 'default_target: team')
        .replace(
          'targets:\n',
          "targets:\n  team: { type: postgres, host: 127.0.0.1, port: \"{{ env('WB_TEAM_PGPORT') }}\", database: \"{{ env('WB_TEAM_PGDB') }}\", user: \"{{ env('WB_TEAM_PGUSER') }}\" }\n",
        ),
    );
    this.dirs.push(dir);
    return dir;
  }

  /** Run the CLI on a project copy. */
  cli(dir: string, args: string[]) {
    return spawnSync(process.execPath, [...CLI_ARGV, '-p', dir, ...args], { encoding: 'utf8', env: this.env });
  }

  /** Start `writeback serve` on a project copy (every request signed in as `lb-user`); resolves with its URL once it answers. */
  async serve(dir: string): Promise<string> {
    const port = await freePort();
    const child = spawn(process.execPath, [...CLI_ARGV, '-p', dir, 'serve', '--dev-user', 'lb-user', '--port', String(port)], { env: this.env });
    this.serves.push(child);
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 200; i++) {
      const up = await fetch(`${url}/api/v1/inputs`).then((r) => r.ok, () => false);
      if (up) return url;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('serve did not start');
  }

  /** SIGTERM every `serve` and wait for them to exit. */
  async stopServes(): Promise<void> {
    const running = this.serves.filter((s) => s.exitCode === null && s.signalCode === null);
    await Promise.all(running.map((s) => new Promise((r) => { s.once('exit', r); s.kill('SIGTERM'); })));
  }

  async stop(): Promise<void> {
    await this.stopServes();
    for (const d of this.dirs) rmSync(d, { recursive: true, force: true });
  }
}

/** POST rows to an input through a server's API; the status and parsed body. */
export function postRows(url: string, table: string, body: unknown, key?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return fetch(`${url}/api/v1/inputs/${table}/rows`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
    body: JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
}
