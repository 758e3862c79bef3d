import { resolve } from 'node:path';
import type { Command } from 'commander';
import { globals, loadOrExit, ReportedFailure, UsageError, type GlobalOptions } from '../context.js';
import { paint, paintErr, progress } from '../output.js';
import { osUser } from '../user.js';
import { examples } from '../help.js';
import { wholeNumber } from '../options.js';
import { printPlan, reportDeploy } from '../deploy.js';
import { announce, claimServerStart, openForServer, serveOptions, serveProject, serveSettings, type Served, type ServeFlags } from './serve.js';
import type { Writeback } from '../../library/index.js';
import type { Project } from '../../ir/types.js';
import { removeStartingMarker } from '../../runtime/index.js';

/** What `dev` watches, relative to the project directory. */
export const WATCHED = ['project.yml', 'inputs', 'models', 'macros', 'seeds'];

interface DevFlags extends ServeFlags {
  user?: string;
  debounce: string;
  serve: boolean;
}

/** A failure `dev` cannot recover from by watching (a port in use, the warehouse held elsewhere, bad flags): it stops. */
class Fatal extends Error {
  constructor(readonly reason: unknown) {
    super('fatal');
  }
}

const now = () => paint('dim', `[${new Date().toISOString()}]`);

export function registerDev(program: Command): void {
  const cmd = serveOptions(
    program
      .command('dev')
      .description('watch + apply + serve in one process (a DuckDB file has one writer): re-validate, re-plan and re-apply on every change')
      .option('--user <name>', 'who is recorded as applying (default: the OS user)')
      .option('--debounce <ms>', 'wait this long after the last change before applying', '150')
      .option('--no-serve', 'only watch and apply; do not serve the API'),
  ).action(async (flags: DevFlags, command: Command) => {
    const opts: GlobalOptions = { ...globals(command), json: false };
    const dir = resolve(opts.project);
    const debounce = wholeNumber(flags.debounce, '--debounce', 0);
    const user = flags.user ?? osUser();
    let served: Served | undefined;
    let library: Writeback | undefined;
    const targetOf = async (project: Project) => (await import('../../adapters/registry.js')).resolveTarget(project, opts.target);

    /** Apply the loaded project on dev's own connection (in-flight writes finish first) and report it. */
    const applyNow = async (wb: Writeback, project: Project) => {
      const bar = progress('applying', { tick: true });
      const applied = await wb.deploy.apply({ user, project, onProgress: (done, total) => bar.update(done, total) }).finally(() => bar.done());
      if (applied.ok && applied.applied) served?.server.snapshot?.notify();
      try {
        printPlan(reportDeploy(applied.ok ? 200 : 422, applied.ok ? applied : { error: applied.error }, opts, project.dir).operations);
      } catch (err) {
        // a failed apply is reported; serving goes on (requests on what is behind answer 503 apply_required)
        if (!(err instanceof ReportedFailure)) throw err;
      }
    };

    /** Load, open, apply and serve; until the project loads, dev only watches (and holds nothing). */
    const start = async (): Promise<void> => {
      await claimServerStart(dir, 'dev').catch((err: unknown) => {
        throw new Fatal(err);
      });
      try {
        const project = await loadOrExit(opts);
        let settings;
        let wb;
        try {
          const target = await targetOf(project);
          settings = await serveSettings(project, target, flags);
          wb = await openForServer(project, target);
        } catch (err) {
          throw new Fatal(err);
        }
        library = wb;
        await applyNow(wb, project);
        if (!flags.serve) return;
        try {
          served = await serveProject(wb, (await targetOf(project)).name, settings);
        } catch (err) {
          library = undefined; // closed by serveProject
          throw new Fatal(err);
        }
        announce(project, served.server, false);
      } finally {
        removeStartingMarker(dir);
      }
    };

    /** Re-apply after a change on the open connection, or start if the project did not load before. */
    const cycle = async (): Promise<void> => {
      if (!library) return start();
      await applyNow(library, await loadOrExit(opts));
    };

    /** Run a cycle; a project error is reported and dev goes on watching; a fatal one ends dev. */
    const guarded = async (run: () => Promise<void>): Promise<void> => {
      try {
        await run();
      } catch (err) {
        if (err instanceof Fatal) throw err.reason;
        if (err instanceof UsageError) console.error(paintErr('red', `error: ${err.message}`));
        else if (!(err instanceof ReportedFailure)) throw err;
      }
    };

    const stopAll = async () => {
      if (served) await served.server.close();
      else await library?.close();
    };

    // the watcher is loaded only by `dev`, so other commands start without it
    const { watch } = await import('chokidar');
    const watcher = watch(
      WATCHED.map((p) => resolve(dir, p)),
      { ignoreInitial: true },
    );
    let running: Promise<void>;
    try {
      running = guarded(start);
      await running;
    } catch (err) {
      await watcher.close();
      await stopAll().catch(() => undefined);
      throw err;
    }
    console.log(`${now()} watching ${dir} for changes (Ctrl-C to stop)`);

    await new Promise<void>((done, fail) => {
      let timer: NodeJS.Timeout | undefined;
      let stopping = false;
      const stop = async (err?: unknown) => {
        if (stopping) return;
        stopping = true;
        clearTimeout(timer);
        await watcher.close();
        await running.catch(() => undefined);
        await stopAll().catch(() => undefined);
        if (err === undefined) done();
        else fail(err);
      };
      watcher.on('all', (_event, path) => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          console.log(paint('cyan', `changed: ${path.slice(dir.length + 1)}`));
          running = running
            .then(() => guarded(cycle))
            .then(
              () => console.log(`${now()} watching for changes`),
              (err: unknown) => void stop(err),
            );
        }, debounce);
      });
      // without a server (--no-serve, or before the project loads) dev stops itself; with one, the server's signal handler exits
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
    });
  });
  examples(cmd, [
    ['writeback dev', 'apply, serve on :4580 and re-apply on every YAML change'],
    ['writeback dev --dev-user demo', 'the same, every request signed in as demo (no tokens; what `npm start` runs)'],
    ['writeback dev --no-serve', 'only watch and apply'],
  ]);
}
