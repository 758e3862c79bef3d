import type { Command } from 'commander';
import { versionViewName } from '../../managed/names.js';
import type { VersionInfo } from '../../plan/versions.js';
import { adminOrFail } from '../admin-call.js';
import { globals } from '../context.js';
import { formatTable, printJson } from '../output.js';
import { examples } from '../help.js';

export function registerVersions(program: Command): void {
  const cmd = program
    .command('versions [model]')
    .description('list the applied versions of every model (or one), newest last')
    .action(async (model: string | undefined, _options: unknown, command: Command) => {
      const opts = globals(command);
      const query = model !== undefined ? `?${new URLSearchParams({ model })}` : '';
      const { versions } = await adminOrFail<{ versions: VersionInfo[] }>(opts, 'GET', `versions${query}`);
      if (opts.json) return printJson({ ok: true, versions });
      if (versions.length === 0) return console.log('no versions applied yet — run `writeback apply`');
      console.log(
        formatTable(
          ['model', 'version', 'view', 'fingerprint', 'applied at', 'applied by'],
          versions.map((v) => [
            v.model,
            v.version,
            `${versionViewName(v.model, v.version)}${v.latest ? ' (latest)' : ''}${v.exists ? '' : ' (pruned)'}`,
            v.fingerprint.slice(0, 12),
            v.appliedAt,
            v.appliedBy,
          ]),
          { right: new Set([1]) },
        ),
      );
    });
  examples(cmd, [
    ['writeback versions', 'every model version with who applied it and when'],
    ['writeback versions account_forecast --json', 'one model, as JSON'],
  ]);
}
