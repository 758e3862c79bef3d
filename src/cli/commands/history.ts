import type { Command } from 'commander';
import { globals, ReportedFailure } from '../context.js';
import { formatTable, groupDigits, printJson } from '../output.js';
import { withBackend } from '../backend.js';
import { printApiError } from '../print-error.js';
import { examples } from '../help.js';
import { collect, inOptionTerms, parsePairs, parseTime, wholeNumber } from '../options.js';
import { HISTORY_LIMITS } from '../../write/read-history.js';

const show = (v: unknown) => (v === null ? '∅' : typeof v === 'string' ? v : JSON.stringify(v));

/** The history route's parameters as the options that set them. */
const OPTIONS = { since: '--since', user: '--user', scenario: '--scenario', limit: '--limit', key: '--key' };

export function registerHistory(program: Command): void {
  const cmd = program
    .command('history <table>')
    .description('who changed what and when: every log entry with old → new per column, oldest first')
    .option('--key <col=val>', 'only this key (repeat for each key column)', collect, [])
    .option('--user <name>', 'only entries written by this user')
    .option('--since <time>', 'only entries at or after this time: a date (start of day, UTC) or a date and time (UTC unless a zone is given)')
    .option('--scenario <name>', 'only this scenario')
    .option('--limit <n>', `at most this many entries, the newest (1 to ${groupDigits(HISTORY_LIMITS.max)})`, String(HISTORY_LIMITS.default))
    .action(async (table: string, flags: { key: string[]; user?: string; since?: string; scenario?: string; limit: string }, command: Command) => {
      const opts = globals(command);
      const key = parsePairs(flags.key, '--key');
      const limit = wholeNumber(flags.limit, '--limit', 1, HISTORY_LIMITS.max);
      const since = flags.since !== undefined ? parseTime(flags.since, '--since') : undefined;
      const result = await withBackend(opts, (backend) =>
        backend.history(table, {
          ...(Object.keys(key).length > 0 ? { key } : {}),
          ...(flags.user ? { user: flags.user } : {}),
          ...(since ? { since } : {}),
          ...(flags.scenario ? { scenario: flags.scenario } : {}),
          limit,
        }),
      );
      if (!result.ok) {
        const keyColumns = Object.fromEntries(Object.keys(key).map((k) => [k, `--key ${k}=…`]));
        printApiError(inOptionTerms(result.error, { ...OPTIONS, ...keyColumns }), opts.json);
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
  examples(cmd, [
    ['writeback history revenue_forecast --key account_id=acc_022 --key quarter=2026-Q4', 'one row'],
    ['writeback history revenue_forecast --since 2026-11-01 --user ana', "ana's changes since 1 November (UTC)"],
    ['writeback history revenue_forecast --since 2026-11-01T09:30+01:00 --json', 'since a moment in another zone, as JSON'],
  ]);
}
