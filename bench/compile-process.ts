/**
 * Benchmark — the CLI as whole processes: `validate`, `compile`, `plan`, first `apply` and no-op
 * `apply` of a generated project of N inputs + N models (N = 1,000 and 5,000: 2,000 and 10,000
 * objects), each run as a user runs it (`node bin/writeback.js …`, the built dist/), against the
 * floor: a process that only reads the same files and parses the YAML ones with the same `yaml`
 * package and options as the loader (bench/lib/bare-parse.mjs). Best of 3 each.
 * Targets: validate ≤ 1.3× the floor, compile ≤ 1.6× the floor, no-op apply ≤ 1.5× validate,
 * first apply of 2,000 objects < 3 s.
 * Run: node --import tsx bench/compile-process.ts [--quick] [--n=1000] [--runs=3]
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { QUICK, Recorder } from './lib/result.js';
import { scaleProject } from './lib/scale-project.js';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'writeback.js');
const BARE = join(ROOT, 'bench', 'lib', 'bare-parse.mjs');
/** Where the loader keeps its parse cache (removed before every cold run). */
const CACHE = join('target', 'parse-cache');
const TIME = '/usr/bin/time';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const sizes = arg('n') ? [Number(arg('n'))] : QUICK ? [200] : [1000, 5000];
const RUNS = Number(arg('runs') ?? 3);

const rec = new Recorder('compile-process', '1b. The CLI as whole processes (validate, compile, plan, apply) vs a bare YAML parse');
console.log(rec.title);

/** The newest modification time (ms) of the files under `dir`. */
function newest(dir: string): number {
  let max = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) max = Math.max(max, statSync(join(e.parentPath, e.name)).mtimeMs);
  }
  return max;
}

/** Build dist/ when it is missing or older than a source file, so the timed processes run the current code. */
function ensureBuilt(): void {
  const main = join(ROOT, 'dist', 'cli', 'main.js');
  if (existsSync(main) && statSync(main).mtimeMs >= newest(join(ROOT, 'src'))) return;
  console.log('  dist/ is missing or stale: npm run build');
  const built = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('npm run build failed');
}

/** Wall-clock and CPU (user + system, when /usr/bin/time is there) milliseconds of one process. */
interface Run {
  ms: number;
  cpu: number;
}

/** Run `node args…` to completion; it must exit 0. */
function run(args: string[]): Run {
  const timeFile = join(tmpdir(), `wb-bench-time-${process.pid}`);
  const useTime = existsSync(TIME);
  const [cmd, cmdArgs] = useTime ? [TIME, ['-f', '%U %S', '-o', timeFile, process.execPath, ...args]] : [process.execPath, args];
  const t = performance.now();
  const child = spawnSync(cmd, cmdArgs, { encoding: 'utf8', maxBuffer: 256 * 2 ** 20, env: { ...process.env, NO_COLOR: '1' } });
  const ms = performance.now() - t;
  if (child.status !== 0) throw new Error(`node ${args.join(' ')} exited ${child.status}: ${child.stderr.slice(0, 2000)}${child.stdout.slice(0, 500)}`);
  let cpu = NaN;
  if (useTime) {
    const [user, system] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
    cpu = (user! + system!) * 1000;
    rmSync(timeFile, { force: true });
  }
  return { ms, cpu };
}

/** The fastest of `runs` runs (by wall-clock, RUNS unless given), each preceded by `before`. */
function best(args: string[], before: () => void = () => undefined, runs = RUNS): Run {
  let fastest: Run | undefined;
  for (let i = 0; i < runs; i++) {
    before();
    const r = run(args);
    if (!fastest || r.ms < fastest.ms) fastest = r;
  }
  return fastest!;
}

function measure(n: number, dir: string): void {
  const objects = 2 * n;
  const warehouse = join(dir, 'target', 'warehouse.duckdb');
  const pristine = join(mkdtempSync(join(tmpdir(), 'wb-bench-pristine-')), 'warehouse.duckdb');
  copyFileSync(warehouse, pristine);
  const cold = () => rmSync(join(dir, CACHE), { recursive: true, force: true });
  const fresh = () => {
    cold();
    rmSync(`${warehouse}.wal`, { force: true });
    copyFileSync(pristine, warehouse);
  };
  const cli = (command: string) => [BIN, command, '--project', dir, '--json'];
  const load = () => Math.round((loadavg()[0] ?? 0) * 100) / 100;
  const fig = (label: string, r: Run) => {
    rec.figure(`${objects} objects: ${label}`, r.ms, 'ms');
    if (Number.isFinite(r.cpu)) rec.figure(`${objects} objects: ${label}, CPU (user + system)`, r.cpu, 'ms');
  };

  const loadStart = load();
  const floor = best([BARE, dir]);
  fig('bare parse (floor)', floor);
  const validateCold = best(cli('validate'), cold);
  fig('validate, cold (no parse cache)', validateCold);
  const validateWarm = best(cli('validate'));
  fig('validate, warm (parse cache of a previous run)', validateWarm);
  const compileCold = best(cli('compile'), cold);
  fig('compile, cold', compileCold);
  const compileWarm = best(cli('compile'));
  fig('compile, warm', compileWarm);
  // plan and the first apply of the largest project run once: they build the warehouse from scratch and
  // take minutes at 10,000 objects, and no target judges them there
  const once = objects > 2000 ? 1 : RUNS;
  const plan = best(cli('plan'), fresh, once);
  fig('plan (fresh target: only the sources exist), cold', plan);
  const firstApply = best(cli('apply'), fresh, once);
  fig('first apply (fresh target), cold', firstApply);
  const noop = best(cli('apply'));
  fig('no-op apply, warm', noop);
  rec.figure(`${objects} objects: 1-minute load average at the start`, loadStart, '');
  rec.figure(`${objects} objects: 1-minute load average at the end`, load(), '');

  const ratio = (a: Run, b: Run) => a.ms / b.ms;
  const cpuNote = (a: Run, b: Run) => (Number.isFinite(a.cpu) && Number.isFinite(b.cpu) ? `CPU ratio ${(a.cpu / b.cpu).toFixed(2)}×` : undefined);
  rec.check(`${objects} objects: validate (cold) / bare parse`, ratio(validateCold, floor), '×', '≤ 1.3×', ratio(validateCold, floor) <= 1.3, cpuNote(validateCold, floor));
  rec.check(`${objects} objects: validate (warm) / bare parse`, ratio(validateWarm, floor), '×', '≤ 1.3×', ratio(validateWarm, floor) <= 1.3, cpuNote(validateWarm, floor));
  rec.check(`${objects} objects: compile (cold) / bare parse`, ratio(compileCold, floor), '×', '≤ 1.6×', ratio(compileCold, floor) <= 1.6, cpuNote(compileCold, floor));
  rec.check(`${objects} objects: compile (warm) / bare parse`, ratio(compileWarm, floor), '×', '≤ 1.6×', ratio(compileWarm, floor) <= 1.6, cpuNote(compileWarm, floor));
  rec.check(`${objects} objects: no-op apply / validate (both warm)`, ratio(noop, validateWarm), '×', '≤ 1.5×', ratio(noop, validateWarm) <= 1.5, cpuNote(noop, validateWarm));
  if (n === 1000) rec.check('first apply of 2,000 objects (fresh target)', firstApply.ms, 'ms', '< 3,000 ms', firstApply.ms < 3000);
  rmSync(pristine, { force: true });
}

ensureBuilt();
for (const n of sizes) {
  console.log(`  N=${n} (${2 * n} objects)`);
  const dir = await scaleProject(n);
  try {
    measure(n, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
rec.note(`Every figure is the fastest of ${RUNS} runs (wall-clock; plan and first apply above 2,000 objects: one run) of a whole process: \`node bin/writeback.js <command> --project <dir> --json\` on the built dist/ (rebuilt first when older than src/), and \`node bench/lib/bare-parse.mjs <dir>\` for the floor, which reads project.yml, inputs/, models/ and macros/ and parses each YAML file with parseAllDocuments and the loader's options. CPU is user + system time of the process from /usr/bin/time.`);
rec.note(`Cold = ${CACHE}/ removed before each run; warm = left by the run before. Plan and first apply start from a fresh copy of the DuckDB file holding only the source tables (and no parse cache); no-op apply follows the last first apply.`);
rec.note('Generated project (bench/lib/generate-project.ts): 10 source tables; every input links to one; even models are enrich joins, odd models are SQL that ref() the previous model, read an input() and call two macros and a var.');
rec.save();
