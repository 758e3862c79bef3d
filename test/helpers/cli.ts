import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtArgv } from './built.js';

/**
 * Node arguments that run this checkout's CLI from its sources as they are now (this run's build
 * of them, an absolute path so any working directory works): tests never run a dist/ that may be
 * stale. The built CLI (bin/writeback.js → dist/) is tested from a packed install in test/package/.
 */
export const CLI_ARGV: readonly string[] = builtArgv('src/cli/main.ts');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run the real CLI in a child process and collect its output. */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return runCollected(process.execPath, [...CLI_ARGV, ...args], options);
}

/** Run a program to its end (colours off) and collect its exit code and output. */
export function runCollected(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, NO_COLOR: '1', ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** Start a long-running CLI command (dev, serve); `waitFor` resolves when its output matches. */
export function startCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const child: ChildProcess = spawn(process.execPath, [...CLI_ARGV, ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
  });
  let output = '';
  const waiters: { pattern: RegExp; from: number; done: (m: RegExpMatchArray) => void }[] = [];
  const onData = (d: Buffer) => {
    output += d.toString();
    for (const w of [...waiters]) {
      const m = output.slice(w.from).match(w.pattern);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.done(m);
      }
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  return {
    child,
    get output() {
      return output;
    },
    /** Resolves when output written after this call (or after `from`) matches; rejects after `ms`. */
    waitFor(pattern: RegExp, ms = 30_000, from = output.length): Promise<RegExpMatchArray> {
      return new Promise((done, fail) => {
        const m = output.slice(from).match(pattern);
        if (m) return done(m);
        const timer = setTimeout(() => fail(new Error(`timed out waiting for ${pattern}; output:\n${output}`)), ms);
        waiters.push({ pattern, from, done: (x) => (clearTimeout(timer), done(x)) });
      });
    },
    stop(): Promise<number | null> {
      return new Promise((done) => {
        if (child.exitCode !== null) return done(child.exitCode);
        child.once('close', (code) => done(code));
        child.kill('SIGINT');
      });
    },
  };
}

/** A fresh temporary directory. */
export function tempDir(prefix = 'writeback-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
