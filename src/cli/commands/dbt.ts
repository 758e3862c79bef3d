import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import type { VersionInfo } from '../../plan/versions.js';
import { adminOrFail } from '../admin-call.js';
import { globals, loadOrExit, ReportedFailure, UsageError } from '../context.js';
import { paint, paintErr, plural, printJson } from '../output.js';
import { examples } from '../help.js';

interface DbtOptions {
  out?: string;
  sourceName: string;
  check?: boolean;
  versions?: boolean;
  dbtUtils?: boolean;
  exposures?: boolean;
  owner?: string;
  url?: string;
}

/** Where the file goes when `--out` is not given (inside the writeback project). */
export const DEFAULT_DBT_OUT = join('target', 'dbt', 'writeback_sources.yml');

export function registerDbt(program: Command): void {
  const cmd = program
    .command('dbt')
    .description('write a dbt property file (sources:) describing the merged views, history views and input state tables (offline)')
    .option('-o, --out <file>', `the file to write (default: ${DEFAULT_DBT_OUT} in the project)`)
    .option('--source-name <name>', 'the dbt source of the views schema; the inputs schema\'s is <name>_inputs', 'writeback')
    .option('--versions', 'also list every applied model version `<model>__v<N>` (reads the version registry from the warehouse or the running server)')
    .option('--dbt-utils', 'test composite keys with dbt_utils.unique_combination_of_columns (your dbt project needs the dbt_utils package)')
    .option('--exposures', 'add a dbt exposure: writeback as an application that reads the dbt models its manifest-backed sources name (needs --owner)')
    .option('--owner <email-or-name>', 'the exposure\'s owner (an e-mail address, or a name)')
    .option('--url <url>', 'the exposure\'s URL (e.g. where planners open the form)')
    .option('--check', 'write nothing; exit 1 when the file is missing or differs from what would be written (for CI)')
    .action(async (options: DbtOptions, command: Command) => {
      const opts = globals(command);
      if (!/^[a-z_][a-z0-9_]*$/.test(options.sourceName)) throw new UsageError(`--source-name must be a lower-case name (letters, digits, _), got '${options.sourceName}'`);
      if (options.exposures && !options.owner) throw new UsageError('--exposures needs --owner <email-or-name>: dbt requires an owner for every exposure');
      if (!options.exposures && (options.owner !== undefined || options.url !== undefined)) throw new UsageError('--owner and --url describe the exposure: add --exposures');
      const project = await loadOrExit(opts);
      const out = options.out !== undefined ? resolve(options.out) : join(project.dir, DEFAULT_DBT_OUT);
      for (const folder of ['models', 'inputs']) {
        const dir = join(project.dir, folder);
        if (out.startsWith(dir + sep)) throw new UsageError(`--out ${relative(process.cwd(), out)} is inside the project's ${folder}/ folder, where writeback would read it as its own file; write it into the dbt project instead`);
      }
      const versions = options.versions ? (await adminOrFail<{ versions: VersionInfo[] }>(opts, 'GET', 'versions')).versions : undefined;
      const { dbtSources, dbtSourcesYaml } = await import('../../library/dbt-sources.js');
      const file = dbtSources(project, {
        ...(opts.target !== undefined ? { target: opts.target } : {}),
        sourceName: options.sourceName,
        ...(versions ? { versions } : {}),
        dbtUtils: options.dbtUtils ?? false,
        ...(options.exposures && options.owner
          ? { exposure: { owner: options.owner.includes('@') ? { email: options.owner } : { name: options.owner }, ...(options.url !== undefined ? { url: options.url } : {}) } }
          : {}),
      });
      if (options.exposures && !file.exposures && !opts.json) process.stderr.write('note: no input or model reads a source backed by a dbt manifest, so no exposure was written\n');
      // the header names the flags that change the content, not --out: a check from another folder must match
      const text = dbtSourcesYaml(file, commandLine(opts.target, options, false));
      const shown = relative(process.cwd(), out) || out;
      const tables = file.sources.reduce((n, s) => n + s.tables.length, 0);
      if (options.check) {
        const current = existsSync(out) ? readFileSync(out, 'utf8') : undefined;
        const upToDate = current === text;
        if (opts.json) printJson({ ok: upToDate, out, up_to_date: upToDate, missing: current === undefined });
        else if (upToDate) console.log(`${paint('green', '✓')} ${shown} is up to date (${plural(tables, 'table')})`);
        else process.stderr.write(paintErr('red', `${shown} ${current === undefined ? 'does not exist' : 'is out of date'}`) + ` — run \`npx ${commandLine(opts.target, options, true)}\` and commit it\n`);
        if (!upToDate) throw new ReportedFailure(1);
        return;
      }
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, text);
      if (opts.json) return printJson({ ok: true, out, sources: file.sources.map((s) => ({ name: s.name, schema: s.schema, tables: s.tables.map((t) => t.name) })) });
      console.log(`${paint('green', '✓')} wrote ${plural(tables, 'table')} in ${plural(file.sources.length, 'dbt source')} to ${shown}`);
    });
  examples(cmd, [
    ['writeback dbt --out ../analytics/models/writeback_sources.yml', 'declare writeback\'s views as sources of a dbt project: source(\'writeback\', \'account_forecast\')'],
    ['writeback dbt --out ../analytics/models/writeback_sources.yml --check', 'in CI: fail when the committed file is out of date'],
    ['writeback dbt --target prod --versions --dbt-utils', 'the prod warehouse\'s database, every applied version view, composite-key tests'],
    ['writeback dbt --exposures --owner fpa@example.com --out ../analytics/models/writeback.yml', 'also show in dbt\'s lineage which dbt models the planners\' input tables and merged views read'],
  ]);
}

/** The command that regenerates the file, as its header and the `--check` hint show it. */
function commandLine(target: string | undefined, o: DbtOptions, withOut: boolean): string {
  return [
    'writeback dbt',
    ...(target !== undefined ? [`--target ${target}`] : []),
    ...(o.sourceName !== 'writeback' ? [`--source-name ${o.sourceName}`] : []),
    ...(o.versions ? ['--versions'] : []),
    ...(o.dbtUtils ? ['--dbt-utils'] : []),
    ...(o.exposures ? ['--exposures', `--owner ${o.owner ?? ''}`, ...(o.url !== undefined ? [`--url ${o.url}`] : [])] : []),
    ...(withOut && o.out !== undefined ? [`--out ${o.out}`] : []),
  ].join(' ');
}
