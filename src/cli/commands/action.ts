import type { Command } from 'commander';
import { adminOrFail } from '../admin-call.js';
import { globals, loadOrExit, ReportedFailure, UsageError } from '../context.js';
import { paint, paintErr, plural, printJson } from '../output.js';
import { examples } from '../help.js';
import { collect } from '../options.js';
import { osUser } from '../user.js';
import { CLI_CONFIRM } from './write.js';
import { confirmationRequired, confirmThreshold } from '../../rules/confirmation.js';


/** `--key col=val` flags → keys; a column given again starts the next key (`--key id=1 --key id=2`). */
export function keysFromPairs(pairs: string[]): Record<string, string>[] {
  const keys: Record<string, string>[] = [];
  let cur: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at < 1) throw new UsageError(`--key expects column=value, got '${pair}'`);
    const col = pair.slice(0, at);
    if (Object.hasOwn(cur, col)) {
      keys.push(cur);
      cur = {};
    }
    cur[col] = pair.slice(at + 1);
  }
  if (Object.keys(cur).length > 0) keys.push(cur);
  return keys;
}

interface ActionJson {
  entries: unknown[];
  at: string;
  pending?: { id: string };
  webhook?: { status: string; attempts: number; error: string | null };
}

export function registerAction(program: Command): void {
  const cmd = program
    .command('action <table> <action>')
    .description('run a one-click action declared on an input table on the given keys (an ordinary logged write)')
    .option('--key <col=val>', 'key column value (repeat per key column; a repeated column starts the next key)', collect, [])
    .option('--comment <text>', 'comment (required when the action says so)')
    .option('--scenario <name>', 'scenario to write (default: base)')
    .option('--user <name>', 'who is recorded (default: the OS user)')
    .option('--dry-run', 'check everything, write nothing')
    .option('-y, --yes', 'confirm (actions declared with confirm: true, and changes of many rows)')
    .action(async (table: string, action: string, flags: { key: string[]; comment?: string; scenario?: string; user?: string; dryRun?: boolean; yes?: boolean }, command: Command) => {
      const opts = globals(command);
      const project = await loadOrExit(opts);
      const keys = keysFromPairs(flags.key);
      if (keys.length === 0) throw new UsageError('give the rows with --key col=val');
      const declared = project.inputs[table]?.actions?.[action];
      // an action declared `confirm: true` asks every time; any action asks above the bulk threshold
      const declaredConfirm = declared?.confirm && !flags.yes && !flags.dryRun;
      const refused = declaredConfirm
        ? { code: 'confirmation_required' as const, message: `action ${action} of ${table} is declared with confirm: true: it needs --yes (or --dry-run to see what would change)`, details: [] }
        : confirmationRequired(keys.length, `action ${action} changing`, { confirm: flags.yes, dryRun: flags.dryRun }, confirmThreshold(project), CLI_CONFIRM);
      if (refused) {
        if (opts.json) printJson({ error: refused });
        else process.stderr.write(paintErr('yellow', refused.message) + '\n');
        throw new ReportedFailure(1);
      }
      const res = await adminOrFail<ActionJson>(opts, 'POST', `inputs/${encodeURIComponent(table)}/actions/${encodeURIComponent(action)}`, {
        keys,
        user: flags.user ?? osUser(),
        confirm: flags.yes === true,
        ...(flags.comment ? { comment: flags.comment } : {}),
        ...(flags.scenario ? { scenario: flags.scenario } : {}),
        ...(flags.dryRun ? { dry_run: true } : {}),
      });
      if (opts.json) return printJson(res);
      if (res.pending) return console.log(`${paint('yellow', '…')} action ${action} is waiting for approval (pending change ${res.pending.id})`);
      console.log(`${paint('green', '✓')} ${flags.dryRun ? 'would run' : 'ran'} ${action} on ${plural(res.entries.length, 'row')} of ${table} at ${res.at}`);
      if (res.webhook) {
        const w = res.webhook;
        console.log(w.status === 'ok' ? `  webhook called (${plural(w.attempts, 'attempt')})` : paint('yellow', `  webhook failed after ${plural(w.attempts, 'attempt')}: ${w.error} — the write stands; see _wb_webhook_calls`));
      }
    });
  examples(cmd, [
    ['writeback action revenue_forecast submit --key account_id=acc_022 --key quarter=2026-Q4 --yes', 'submit one forecast row'],
    ['writeback action revenue_forecast submit --key account_id=acc_022 --key quarter=2026-Q4 --key account_id=acc_023 --key quarter=2026-Q4 --dry-run', 'two rows (a repeated column starts the next key), checked only'],
  ]);
}
