import { resolve } from 'node:path';
import { watch } from 'chokidar';
import type { Command } from 'commander';
import { globals, loadOrExit, ReportedFailure, reportDiagnostics, UsageError } from '../context.js';
import { paint } from '../output.js';
import { planAndApply, type ApplyOptions } from './apply.js';
import { announce, serveOptions, serveProject, type Served, type ServeFlags } from './serve.js';
import { openAdapter, resolveTarget } from '../../adapters/registry.js';
import type { Adapter } from '../../adapters/adapter.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';

/** What `dev` watches, relative to the project directory. */
export const WATCHED = ['project.yml', 'inputs', 'models', 'macros', 'seeds'];

interface DevFlags extends ServeFlags {
  user?: string;
  debounce: string;
  serve: boolean;
}

export function registerDev(program: Command): void {
  serveOptions(
    program
      .command('dev')
      .description('watch + apply + serve in one process (a DuckDB file has one writer): re-validate, re-plan and re-apply on every change')
      .option('--user <name>', 'who is recorded as applying (default: the OS user)')
      .option('--debounce <ms>', 'wait this long after the last change before applying', '150')
      .option('--no-serve', 'only watch and apply; do not serve the API'),
  ).action(async (flags: DevFlags, command: Command) => {
    const opts: ApplyOptions = { ...globals(command), ...(flags.user ? { user: flags.user } : {}), json: false };
    const dir = resolve(opts.project);
    let adapter: Adapter | undefined;
    let served: Served | undefined;

    const cycle = async () => {
      try {
        const project = await loadOrExit(opts);
        const target = resolveTarget(project, opts.target);
        if (served) {
          // The server owns the connection: apply through it, so queued writes finish first.
          const result = await served.apply({ ...(flags.user ? { user: flags.user } : {}) });
          const body = result.body as { operations?: { description: string }[]; error?: { message: string; details: (Diagnostic & { loc?: Diagnostic['loc'] })[] } };
          if (body.error) reportDiagnostics(body.error.details.filter((d) => d.code), opts, project.dir);
          else if (body.operations?.length === 0) console.log(`${paint('green', '✓')} nothing to do: the warehouse matches the project`);
          else for (const op of body.operations ?? []) console.log(`  ${paint('green', '+')} ${op.description}`);
        } else {
          adapter ??= await openAdapter(project, target);
          await planAndApply(project, adapter, target, opts);
          if (flags.serve) {
            served = await serveProject(project, adapter, target.name, flags, true);
            announce(project, served.server);
          }
        }
      } catch (err) {
        if (err instanceof UsageError) console.error(paint('red', `error: ${err.message}`));
        else if (!(err instanceof ReportedFailure)) console.error(err);
      }
      console.log(paint('dim', `[${new Date().toISOString()}] watching ${dir} for changes (Ctrl-C to stop)`));
    };

    let timer: NodeJS.Timeout | undefined;
    let running: Promise<void> = cycle();
    const watcher = watch(
      WATCHED.map((p) => resolve(dir, p)),
      { ignoreInitial: true },
    );
    watcher.on('all', (_event, path) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        console.log(paint('cyan', `changed: ${path.slice(dir.length + 1)}`));
        running = running.then(cycle);
      }, Number(flags.debounce));
    });

    await new Promise<void>((done) => {
      const stop = async () => {
        await watcher.close();
        await running;
        if (served) await served.server.close();
        else await adapter?.close();
        done();
      };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
    });
  });
}
