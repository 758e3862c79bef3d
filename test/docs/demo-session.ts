import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { builtArgv } from '../helpers/built.js';

/** Repository root. */
export const ROOT = resolve(import.meta.dirname, '../..');

/** What a fresh clone's demo is: the project and its demo data. */
const DEMO_PARTS = ['project.yml', 'inputs', 'models', 'macros', 'seeds', 'demo-data'];

/** The port the pages name; every page's session gets its own free port instead. */
export const DOCUMENTED_PORT = '4580';

/** The Postgres endpoint's port the pages name (npm start's `--postgres-port`); replaced likewise. */
export const DOCUMENTED_POSTGRES_PORT = '5433';

/**
 * `node …` arguments that run this checkout's CLI from any working directory: this run's build of
 * the sources (test/helpers/built.ts; a dist/ may be stale, and `npm pack` in test/package/
 * rebuilds it while other files run).
 */
export const CLI_ARGV: readonly string[] = builtArgv('src/cli/main.ts');

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const CLI = [process.execPath, ...CLI_ARGV].map(quote).join(' ');

/**
 * `npm start` as package.json declares it, with the CLI of this checkout in place of the
 * repository-relative one, so it runs in a copy of the demo outside the repository.
 */
export function startScript(): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  const script = pkg.scripts?.start;
  if (!script) throw new Error('package.json has no start script');
  return script.replace(/\bnode (?:--import tsx src\/cli\/main\.ts|bin\/writeback\.js)(?=\s|$)/g, CLI);
}

/**
 * A copy of the demo after the part of `npm start` that runs before `dev` (on a fresh clone:
 * apply, then write the demo data), for pages that begin with the demo running: they then pay
 * only for `dev`. The README's own first start runs the whole script. Undefined when the start
 * script does not end with `… && <cli> dev …`.
 */
export async function firstStart(): Promise<string | undefined> {
  const script = startScript();
  const marker = `&& ${CLI} dev `;
  const at = script.lastIndexOf(marker);
  if (at < 0 || /[;&|]/.test(script.slice(at + marker.length))) return undefined;
  const before = script.slice(0, at).trim();
  const dir = mkdtempSync(join(tmpdir(), 'wb-docs-started-'));
  for (const part of DEMO_PARTS) cpSync(join(ROOT, part), join(dir, part), { recursive: true });
  const run = spawnSync('sh', ['-c', before], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (run.status !== 0) throw new Error(`the first part of npm start failed in a copy of the demo:\n${run.stdout}${run.stderr}`);
  return dir;
}

/** What a block prints in place of psql's output when psql is not installed. */
export const NO_PSQL = '__WB_NO_PSQL__ psql is missing: apt-get install -y postgresql-client';

/**
 * What a reader's terminal has, as shell functions: `npx writeback …` and `writeback …` run this
 * checkout's CLI; `npm ci` is done; `npm start` runs package.json's start script in the
 * background (the reader's other terminal) and returns once the server answers. Servers log to
 * files under $WB_LOGS instead of the session's output, and listen on $WB_PORT.
 */
const PRELUDE = String.raw`
exec 2>&1
export NO_COLOR=1
writeback() {
  case "$1" in
    serve|dev)
      case " $* " in *" --port "*) ;; *) set -- "$@" --port "$WB_PORT" ;; esac
      __wb_n=$((__wb_n + 1))
      ${CLI} "$@" > "$WB_LOGS/$1-$__wb_n.log" 2>&1 ;;
    *) ${CLI} "$@" ;;
  esac
}
npx() {
  if [ "$1" = writeback ]; then shift; writeback "$@"; else echo "npx $1: not available in the docs test" >&2; return 127; fi
}
__wb_wait_server() {
  for __wb_i in $(seq 1 600); do
    curl -sf "http://127.0.0.1:$WB_PORT/healthz" > /dev/null && [ -e target/server.json ] && return 0
    sleep 0.1
  done
  echo "no server answered on port $WB_PORT within 60 s; its log:" >&2; cat "$WB_LOGS"/*.log >&2; return 1
}
npm() {
  case "$1" in
    ci) return 0 ;;
    start)
      shift; [ "$1" = -- ] && shift
      sh -c "$WB_START"' "$@" --port '"$WB_PORT"' --postgres-port '"$WB_PG_PORT" sh "$@" > "$WB_LOGS/npm-start.log" 2>&1 &
      __wb_wait_server ;;
    *) echo "npm $1: not available in the docs test" >&2; return 127 ;;
  esac
}
# without Debian's psql (postgresql-client) a block that runs it says so, and the test skips it
command -v psql > /dev/null || psql() { echo "${NO_PSQL}"; }
trap 'echo "__WB_FAILED__ $? line $LINENO: $BASH_COMMAND"' ERR
`;

/** What one block printed and how its commands ended. */
export interface BlockRun {
  output: string;
  /** Exit status of the block's last command. */
  status: number;
  /** Commands that failed, as `status line N: command`. */
  failures: string[];
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? done(address.port) : fail(new Error('no port'))));
    });
  });
}

/**
 * A bash session in a fresh copy of the demo, run as a reader runs a page: one block after the
 * other, variables and background servers carried over. The session is its own process group,
 * so `close()` ends exactly the processes it started.
 */
export class DemoSession {
  readonly dir: string;
  readonly port: number;
  readonly postgresPort: number;
  private readonly shell: ChildProcess;
  private buffer = '';
  private blockNo = 0;
  private exited = false;

  private constructor(dir: string, port: number, postgresPort: number) {
    this.dir = dir;
    this.port = port;
    this.postgresPort = postgresPort;
    const logs = join(dir, '.doc-test-logs');
    mkdirSync(logs);
    this.shell = spawn('bash', ['--noprofile', '--norc'], {
      cwd: dir,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', WB_PORT: String(port), WB_PG_PORT: String(postgresPort), WB_LOGS: logs, WB_START: startScript() },
    });
    this.shell.stdout!.on('data', (d: Buffer) => (this.buffer += d.toString()));
    this.shell.stderr!.on('data', (d: Buffer) => (this.buffer += d.toString()));
    this.shell.on('exit', () => (this.exited = true));
    this.shell.stdin!.write(PRELUDE + '\n');
  }

  /**
   * A session over a new temp copy of the demo, on a free port. With `started`, the copy has
   * already been through the first part of `npm start` (the warehouse applied and the demo data
   * written, see `firstStart`), so the page's own `npm start` only has to run `dev`.
   */
  static async start(options: { started?: string } = {}): Promise<DemoSession> {
    const dir = mkdtempSync(join(tmpdir(), 'wb-docs-'));
    for (const part of DEMO_PARTS) cpSync(join(ROOT, part), join(dir, part), { recursive: true });
    if (options.started) cpSync(join(options.started, 'target'), join(dir, 'target'), { recursive: true });
    return new DemoSession(dir, await freePort(), await freePort());
  }

  /** Run one block (the documented ports replaced by the session's) and wait until it is done. */
  async run(script: string, timeoutMs = 60_000): Promise<BlockRun> {
    const n = ++this.blockNo;
    const file = join(this.dir, '.doc-test-logs', `block-${n}.sh`);
    const ports = script.replaceAll(DOCUMENTED_PORT, String(this.port)).replace(new RegExp(`\\b${DOCUMENTED_POSTGRES_PORT}\\b`, 'g'), String(this.postgresPort));
    writeFileSync(file, ports + '\n');
    const done = `__WB_DONE_${n}__`;
    const from = this.buffer.length;
    this.shell.stdin!.write(`source ${quote(file)} < /dev/null; echo "${done} $?"\n`);
    const started = Date.now();
    while (!this.buffer.includes(done, from)) {
      if (this.exited) throw new Error(`the shell exited while running the block:\n${this.buffer.slice(from)}`);
      if (Date.now() - started > timeoutMs) throw new Error(`the block did not finish within ${timeoutMs / 1000} s; it printed:\n${this.buffer.slice(from)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const end = this.buffer.indexOf(done, from);
    const status = Number(/^ (\d+)/.exec(this.buffer.slice(end + done.length))?.[1] ?? NaN);
    const lines = this.buffer.slice(from, end).split('\n');
    // the `source` line itself fails whenever the block's last command does: not a command of the block
    const failures = lines
      .filter((l) => l.startsWith('__WB_FAILED__ ') && !/: source '/.test(l))
      .map((l) => l.slice('__WB_FAILED__ '.length));
    const output = lines.filter((l) => !l.startsWith('__WB_FAILED__ ')).join('\n');
    return { output, status, failures };
  }

  /** Stop every process of the session (servers included), wait until they are gone, and remove the copy. */
  async close(): Promise<void> {
    const group = this.shell.pid;
    if (group !== undefined) {
      const alive = () => {
        try {
          process.kill(-group, 0);
          return true;
        } catch {
          return false;
        }
      };
      const signal = (s: NodeJS.Signals) => {
        try {
          process.kill(-group, s);
        } catch {
          // the group is gone already
        }
      };
      signal('SIGTERM');
      // servers publish a last snapshot and remove target/server.json on SIGTERM: let them finish
      for (let i = 0; i < 200 && alive(); i++) await new Promise((r) => setTimeout(r, 50));
      if (alive()) signal('SIGKILL');
      for (let i = 0; i < 40 && alive(); i++) await new Promise((r) => setTimeout(r, 50));
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
