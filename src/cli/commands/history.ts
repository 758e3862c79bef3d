import type { Command } from 'commander';
import { globals, ReportedFailure, UsageError } from '../context.js';
import { formatTable, printJson } from '../output.js';
import { withBackend } from '../backend.js';
import { printApiError } from '../print-error.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `col=val` pairs of repeated `--key` flags. */
function parsePairs(pairs: string[], flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at < 1) throw new UsageError(`${flag} expects column=value, got '${pair}'`);
    out[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return out;
}

export { collect, parsePairs };

const show = (v: unknown) => (v === null ? '∅' : typeof v === 'string' ? v : JSON.stringify(v));

export function registerHistory(program: Command): void {
  program
    .command('history <table>')
    .description('who changed what and when: every log entry with old → new per column')
    .option('--key <col=val>', 'only this key (repeat for each key column)', collect, [])
    .option('--user <name>', 'only entries written by this user')
    .option('--since <time>', 'only entries at or after this ISO time')
    .option('--scenario <name>', 'only this scenario')
    .option('--limit <n>', 'at most this many entries (newest last)', '1000')
    .action(async (table: string, flags: { key: string[]; user?: string; since?: string; scenario?: string; limit: string }, command: Command) => {
      const opts = globals(command);
      const key = parsePairs(flags.key, '--key');
      const result = await withBackend(opts, (backend) =>
        backend.history(table, {
          ...(Object.keys(key).length > 0 ? { key } : {}),
          ...(flags.user ? { user: flags.user } : {}),
          ...(flags.since ? { since: flags.since } : {}),
          ...(flags.scenario ? { scenario: flags.scenario } : {}),
          limit: Number(flags.limit),
        }),
      );
      if (!result.ok) {
        printApiError(result.error, opts.json);
        throw new ReportedFailure(1);
      }
      if (opts.json) return printJson(result.value);
      const rows = result.value.entries.flatMap((e) => {
        const keyText = Object.values(e.key).map(show).join(' / ');
        const changes = e.changes.length > 0 ? e.changes : [{ column: '', old: null, new: null }];
        return changes.map((c, i) =>
          i === 0
            ? [e.at, e.user, e.op, e.scenario, keyText, c.column, c.column ? `${show(c.old)} → ${show(c.new)}` : '', e.comment ?? '']
            : ['', '', '', '', '', c.column, `${show(c.old)} → ${show(c.new)}`, ''],
        );
      });
      if (rows.length === 0) return console.log('no entries');
      console.log(formatTable(['at', 'user', 'op', 'scenario', 'key', 'column', 'old → new', 'comment'], rows));
    });
}
