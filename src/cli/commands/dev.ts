import { resolve } from 'node:path';
import { watch } from 'chokidar';
import type { Command } from 'commander';
import { globals, loadOrExit, ReportedFailure, UsageError } from '../context.js';
import { paint } from '../output.js';
import { planAndApply, type ApplyOptions } from './apply.js';
import { openAdapter, resolveTarget } from '../../adapters/registry.js';
import type { Adapter } from '../../adapters/adapter.js';

/** What `dev` watches, relative to the project directory. */
export const WATCHED = ['project.yml', 'inputs', 'models', 'macros', 'seeds'];

export function registerDev(program: Command): void {
  program
    .command('dev')
    .description('watch the project and re-validate, re-plan and re-apply to the dev target on every change')
    .option('--user <name>', 'who is recorded as applying (default: the OS user)')
    .option('--debounce <ms>', 'wait this long after the last change before applying', '150')
    .action(async (options: { user?: string; debounce: string }, command: Command) => {
      const opts: ApplyOptions = { ...globals(command), ...options, json: false };
      const dir = resolve(opts.project);
      let adapter: Adapter | undefined;
      let targetKey = '';

      const cycle = async () => {
        try {
          const project = await loadOrExit(opts);
          const target = resolveTarget(project, opts.target);
          const key = JSON.stringify(target);
          if (!adapter || key !== targetKey) {
            await adapter?.close();
            adapter = await openAdapter(project, target);
            targetKey = key;
          }
          await planAndApply(project, adapter, target, opts);
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
        { ignoreInitial: true, ignored: (path: string) => path.includes('/target/') },
      );
      watcher.on('all', (_event, path) => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          console.log(paint('cyan', `changed: ${path.slice(dir.length + 1)}`));
          running = running.then(cycle);
        }, Number(options.debounce));
      });

      await new Promise<void>((done) => {
        const stop = () => {
          void watcher.close();
          void running.then(() => adapter?.close()).then(done);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
