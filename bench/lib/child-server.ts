import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const CHILD = resolve(import.meta.dirname, 'serve-child.ts');

/** A server process started by {@link startChildServer}. */
export interface ChildServer {
  child: ChildProcess;
  pid: number;
  url: string;
  /** A `/proc/<pid>/status` field in kB (VmHWM = peak RSS, VmRSS = current RSS). */
  statusKb(field: 'VmHWM' | 'VmRSS'): number;
  stop(): Promise<void>;
}

/** Start `writeback`'s server on `dir` in a child process (dev user, no snapshots) and wait until it listens. */
export function startChildServer(dir: string): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((done, fail) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    child.once('exit', (code) => fail(new Error(`server exited with ${code} before it was ready: ${err}`)));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = out.match(/ready (\d+)/);
      if (!m) return;
      child.removeAllListeners('exit');
      const pid = child.pid!;
      done({
        child,
        pid,
        url: `http://127.0.0.1:${m[1]}`,
        statusKb(field) {
          const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(`${field}:`));
          return Number(line?.match(/(\d+)/)?.[1] ?? NaN);
        },
        stop: () =>
          new Promise((stopped) => {
            child.once('exit', () => stopped());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
