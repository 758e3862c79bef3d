import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository root (what `npm pack` packs). */
export const ROOT = resolve(import.meta.dirname, '../..');

/** This checkout's package.json. */
export const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  devDependencies: Record<string, string>;
};

/** Run a program to its end; stdout and stderr as text. */
export function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env }, maxBuffer: 64 * 1024 * 1024 });
}

/** What `npm pack --json` reports of the tarball. */
export interface PackReport {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string; size: number }[];
}

/**
 * `npm pack` of this checkout (its lifecycle scripts build dist/ first) into a fresh folder, and
 * an empty application folder with the tarball installed by `npm install` (from the npm cache
 * when it has the dependencies). The optional warehouse SDKs are not installed.
 */
export function packAndInstall(): { tarball: string; report: PackReport; app: string } {
  const out = mkdtempSync(join(tmpdir(), 'wb-pack-'));
  const packed = run('npm', ['pack', '--json', '--pack-destination', out], ROOT);
  if (packed.status !== 0) throw new Error(`npm pack failed:\n${packed.stdout}\n${packed.stderr}`);
  // lifecycle scripts print before the JSON report
  const json = packed.stdout.slice(packed.stdout.search(/^\[/m));
  const report = (JSON.parse(json) as PackReport[])[0]!;
  const tarball = join(out, report.filename);

  const app = join(out, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }, null, 2));
  const installed = run('npm', ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund'], app);
  if (installed.status !== 0) throw new Error(`npm install of the tarball failed:\n${installed.stdout}\n${installed.stderr}`);
  return { tarball, report, app };
}

/** A long-running command in its own process group (npx → sh → node), stopped with SIGINT to the whole group. */
export function startGroup(command: string, args: string[], cwd: string) {
  const child = spawn(command, args, { cwd, detached: true, env: { ...process.env, NO_COLOR: '1' } });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.once('close', (code, signal) => done({ code, signal })));
  return {
    get output() {
      return output;
    },
    exited,
    /** Resolves with the match once the output matches; rejects if the process ends first or after `ms`. */
    async waitFor(pattern: RegExp, ms = 120_000): Promise<RegExpMatchArray> {
      const until = Date.now() + ms;
      for (;;) {
        const m = output.match(pattern);
        if (m) return m;
        if (child.exitCode !== null || Date.now() > until) throw new Error(`no ${pattern} (exit code ${child.exitCode}):\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    /** Ctrl-C: SIGINT to every process of the group; resolves with how npx ended. */
    stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
      if (child.exitCode === null && child.pid !== undefined) process.kill(-child.pid, 'SIGINT');
      return exited;
    },
  };
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
