import type { Command } from 'commander';
import { adminOrFail } from '../admin-call.js';
import { globals } from '../context.js';
import { formatTable, paint, plural, printJson } from '../output.js';
import { examples } from '../help.js';
import { osUser } from '../user.js';

interface PendingJson {
  id: string;
  scenario: string;
  op: string;
  rows: unknown[];
  proposed_by: string;
  proposed_at: string;
  comment: string | null;
  status: string;
  decided_by: string | null;
  decision_comment: string | null;
}

const enc = encodeURIComponent;

export function registerPending(program: Command): void {
  const cmd = program.command('pending').description('changes waiting for approval: list, approve, reject');

  const list = cmd
    .command('list <table>')
    .description('pending changes of an input table (oldest first)')
    .option('--status <status>', 'pending, approved, rejected or all', 'pending')
    .action(async (table: string, flags: { status: string }, command: Command) => {
      const opts = globals(command);
      const res = await adminOrFail<{ changes: PendingJson[] }>(opts, 'GET', `inputs/${enc(table)}/pending?status=${enc(flags.status)}`);
      if (opts.json) return printJson(res);
      if (res.changes.length === 0) return console.log(`no ${flags.status === 'all' ? '' : `${flags.status} `}changes on ${table}`);
      console.log(
        formatTable(
          ['id', 'status', 'scenario', 'op', 'rows', 'by', 'at', 'comment', 'values'],
          res.changes.map((p) => [p.id, p.status, p.scenario, p.op, p.rows.length, p.proposed_by, p.proposed_at, p.comment ?? '', JSON.stringify(p.rows).slice(0, 80)]),
        ),
      );
    });

  for (const decision of ['approve', 'reject'] as const) {
    const decide = cmd
      .command(`${decision} <table> <id>`)
      .description(decision === 'approve' ? 'approve a pending change: it is written as its proposer\'s write (four-eyes: not your own)' : 'reject a pending change (nothing is written)')
      .requiredOption('--comment <text>', 'why (logged with your name and the time)')
      .option('--user <name>', 'who decides (default: the OS user)')
      .action(async (table: string, id: string, flags: { comment: string; user?: string }, command: Command) => {
        const opts = globals(command);
        const res = await adminOrFail<{ change: PendingJson; entries: unknown[] }>(opts, 'POST', `inputs/${enc(table)}/pending/${enc(id)}/${decision}`, {
          comment: flags.comment,
          user: flags.user ?? osUser(),
        });
        if (opts.json) return printJson(res);
        console.log(`${paint('green', '✓')} ${res.change.status} change ${id} of ${table}${decision === 'approve' ? ` (${plural(res.entries.length, 'row')} written)` : ''}`);
      });
    examples(decide, [[`writeback pending ${decision} revenue_forecast 0193… --comment "${decision === 'approve' ? 'checked with sales' : 'too high'}"`, 'the id from `pending list`']]);
  }
  examples(cmd, [
    ['writeback pending list revenue_forecast', 'changes waiting for approval'],
    ['writeback pending approve revenue_forecast 0193… --comment "ok"', 'approve one (not your own)'],
  ]);
  examples(list, [['writeback pending list revenue_forecast --status all --json', 'decided ones too, as JSON']]);
}
