import { versionViewName } from '../../managed/names.js';
import type { Command } from 'commander';
import { globals, loadOrExit, withAdapter } from '../context.js';
import { formatTable, printJson } from '../output.js';
import { listVersions } from '../../plan/versions.js';

export function registerVersions(program: Command): void {
  program
    .command('versions [model]')
    .description('list the applied versions of every model (or one), newest last')
    .action(async (model: string | undefined, _options: unknown, command: Command) => {
      const opts = globals(command);
      const project = await loadOrExit(opts);
      const versions = await withAdapter(project, opts, (adapter) => listVersions(adapter, project, model), true);
      if (opts.json) return printJson({ ok: true, versions });
      if (versions.length === 0) return console.log('no versions applied yet — run `writeback apply`');
      console.log(
        formatTable(
          ['model', 'version', 'view', 'fingerprint', 'applied at', 'applied by'],
          versions.map((v) => [
            v.model,
            v.version,
            `${versionViewName(v.model, v.version)}${v.latest ? ' (latest)' : ''}`,
            v.fingerprint.slice(0, 12),
            v.appliedAt,
            v.appliedBy,
          ]),
        ),
      );
    });
}
