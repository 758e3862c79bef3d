import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian's psql (package postgresql-client), a client writeback did not write. */
export const PSQL = '/usr/bin/psql';

/** Why the psql suites cannot run here, or undefined. */
export function psqlUnavailable(): string | undefined {
  return existsSync(PSQL) ? undefined : 'psql is missing: apt-get install -y postgresql-client';
}

/** What one psql run printed. */
export interface PsqlRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Run psql once (never the user's ~/.psqlrc; unaligned, tuples only unless `table`), signed in
 * with `token` as the password. Runs asynchronously: the server under test is in this process.
 */
export function psql(port: number, token: string, args: string[], opts: { user?: string; database?: string; table?: boolean; env?: Record<string, string> } = {}): Promise<PsqlRun> {
  const base = ['-h', '127.0.0.1', '-p', String(port), '-U', opts.user ?? 'bi', '-d', opts.database ?? 'revenue_planning', '-X', '-A', '-v', 'ON_ERROR_STOP=1', ...(opts.table ? [] : ['-t'])];
  return new Promise((resolve) => {
    execFile(PSQL, [...base, ...args], { env: { PATH: process.env.PATH ?? '', PGPASSWORD: token, PGCONNECT_TIMEOUT: '20', ...opts.env }, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
