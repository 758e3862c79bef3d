import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const CHILD = resolve(import.meta.dirname, 'serve-child.ts');
/** Linux's USER_HZ: the unit of utime and stime in `/proc/<pid>/stat`. */
const CLOCK_TICKS = 100;

/** A server process started by {@link startChildServer}. */
export interface ChildServer {
  child: ChildProcess;
  pid: number;
  url: string;
  /** A `/proc/<pid>/status` field in kB (VmHWM = peak RSS, VmRSS = current RSS). */
  statusKb(field: 'VmHWM' | 'VmRSS'): number;
  /** CPU time (user + system) the process has used so far, in ms (`/proc/<pid>/stat`). */
  cpuMs(): number;
  stop(): Promise<void>;
}

/** Start `writeback`'s server on `dir` in a child process (dev user, no snapshots) and wait until it listens. */
export function startChildServer(dir: string): Promise<ChildServer> {
  // BENCH_SERVER_PROFILE=<dir>: the server writes a V8 CPU profile there when it stops
  const profile = process.env.BENCH_SERVER_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_SERVER_PROFILE}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', CHILD, dir], { stdio: ['pipe', 'pipe', 'pipe'] });
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
        cpuMs() {
          // after the command's closing parenthesis the fields start at the 3rd (state): utime (14th) and stime (15th) are at 11 and 12
          const after = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop()!.split(' ');
          return ((Number(after[11]) + Number(after[12])) * 1000) / CLOCK_TICKS;
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
