import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/** Where PostgreSQL server binaries live on Debian/Ubuntu (`apt-get install -y postgresql`). */
function findBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

/** Why a throwaway server cannot start here, or undefined when it can. */
export function postgresUnavailable(): string | undefined {
  if (!findBin()) return 'PostgreSQL server binaries are missing (run `apt-get install -y postgresql`)';
  const root = userInfo().uid === 0;
  if (!root && userInfo().username !== 'postgres') return 'the throwaway PostgreSQL server needs root (to run initdb as the `postgres` user) or the `postgres` user';
  if (root && !existsSync('/usr/sbin/runuser') && !existsSync('/sbin/runuser') && !existsSync('/usr/bin/su'))
    return 'neither runuser nor su is available to run initdb as the `postgres` user';
  return undefined;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** A running throwaway server. */
export interface PgServer {
  host: string;
  port: number;
  user: string;
  /** Create a database and return its name. */
  createDatabase(name: string): void;
  /** Run SQL as the superuser in a database (default `postgres`); psql's unaligned output. */
  psql(sql: string, database?: string): string;
  /** `pg_ctl restart -m fast`: every session ends, the server comes back on the same port. */
  restart(): void;
  stop(): void;
}

/** Options of {@link startPostgres}. */
export interface PgServerOptions {
  /** The server's `max_connections` (default 200). */
  maxConnections?: number;
  /** Accept TLS with this certificate and key (PEM text); default: no TLS. */
  tls?: { cert: string; key: string };
}

function asPostgres(args: string[]) {
  if (userInfo().uid !== 0) return spawnSync(args[0]!, args.slice(1), { encoding: 'utf8' });
  const runuser = ['/usr/sbin/runuser', '/sbin/runuser'].find((p) => existsSync(p));
  if (runuser) return spawnSync(runuser, ['-u', 'postgres', '--', ...args], { encoding: 'utf8' });
  const quoted = args.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  return spawnSync('su', ['postgres', '-s', '/bin/sh', '-c', quoted], { encoding: 'utf8' });
}

/**
 * initdb + pg_ctl start as the `postgres` user in a temp dir it owns, on 127.0.0.1 only.
 * `stop()` shuts it down and removes the directory.
 */
export async function startPostgres(options: PgServerOptions = {}): Promise<PgServer> {
  const bin = findBin();
  if (!bin) throw new Error('PostgreSQL binaries missing: apt-get install -y postgresql');
  const dir = mkdtempSync(join(tmpdir(), 'wb-pg-'));
  let owner: { uid: number; gid: number } | undefined;
  if (userInfo().uid === 0) {
    const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    chownSync(dir, uid, gid);
    owner = { uid, gid };
  }
  let tlsOptions = '';
  if (options.tls) {
    // the server reads its key only when the key file is private to it
    for (const [name, pem] of [['server.crt', options.tls.cert], ['server.key', options.tls.key]] as const) writeFileSync(join(dir, name), pem, { mode: 0o600 });
    if (userInfo().uid === 0) for (const name of ['server.crt', 'server.key']) chownSync(join(dir, name), owner!.uid, owner!.gid);
    tlsOptions = ` -c ssl=on -c ssl_cert_file=${join(dir, 'server.crt')} -c ssl_key_file=${join(dir, 'server.key')}`;
  }
  const data = join(dir, 'data');
  const init = asPostgres([join(bin, 'initdb'), '-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}${init.stdout}`);
  let port = 0;
  const serverOptions = () => `-k ${dir} -h 127.0.0.1 -p ${port} -c fsync=off -c max_connections=${options.maxConnections ?? 200}${tlsOptions}`;
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    const start = asPostgres([join(bin, 'pg_ctl'), '-D', data, '-o', serverOptions(), '-l', join(dir, 'log'), '-w', 'start']);
    if (start.status === 0) break;
    if (attempt >= 3) throw new Error(`pg_ctl start failed: ${start.stderr}${start.stdout}`);
  }
  const psql = (sql: string, database = 'postgres') => {
    const r = spawnSync(join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', database, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
    return r.stdout;
  };
  return {
    host: '127.0.0.1',
    port,
    user: 'postgres',
    createDatabase: (name) => void psql(`create database "${name}"`),
    psql,
    restart: () => {
      const r = asPostgres([join(bin, 'pg_ctl'), '-D', data, '-o', serverOptions(), '-l', join(dir, 'log'), '-m', 'fast', '-w', 'restart']);
      if (r.status !== 0) throw new Error(`pg_ctl restart failed: ${r.stderr}${r.stdout}`);
    },
    stop: () => {
      asPostgres([join(bin, 'pg_ctl'), '-D', data, '-m', 'fast', 'stop']);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
