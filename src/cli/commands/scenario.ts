import type { Command } from 'commander';
import { adminOrFail } from '../admin-call.js';
import { globals, ReportedFailure } from '../context.js';
import { formatTable, paint, paintErr, plural, printJson } from '../output.js';
import { examples } from '../help.js';
import { osUser } from '../user.js';

interface ScenarioJson {
  name: string;
  parent: string | null;
  created_by: string | null;
  created_at: string | null;
  archived_at: string | null;
}
interface CompareJson {
  a: string;
  b: string;
  tables: { table: string; rows: { key: Record<string, unknown>; status: string; changes: { column: string; a: unknown; b: unknown; delta?: unknown }[] }[] }[];
}
interface PromoteJson {
  scenario: string;
  parent: string;
  dry_run: boolean;
  rows: number;
  tables: { table: string; upserts: unknown[]; deletes: unknown[]; entries: number; needsApproval?: true; pending?: string[] }[];
}

const show = (v: unknown) => (v === null || v === undefined ? '∅' : typeof v === 'string' ? v : JSON.stringify(v));
const enc = encodeURIComponent;

export function registerScenario(program: Command): void {
  const cmd = program.command('scenario').description('what-if scenarios: create, list, archive, compare, promote');

  const create = cmd
    .command('create <name>')
    .description('create a scenario that falls back to --from (copy-on-write: nothing is copied)')
    .option('--from <scenario>', 'parent scenario: base or another scenario', 'base')
    .option('--description <text>', 'free text')
    .option('--user <name>', 'who is recorded (default: the OS user)')
    .action(async (name: string, flags: { from: string; description?: string; user?: string }, command: Command) => {
      const opts = globals(command);
      const res = await adminOrFail<{ scenario: ScenarioJson }>(opts, 'POST', 'scenarios', {
        name,
        from: flags.from,
        user: flags.user ?? osUser(),
        ...(flags.description ? { description: flags.description } : {}),
      });
      if (opts.json) return printJson(res);
      console.log(`${paint('green', '✓')} scenario ${name} created from ${res.scenario.parent}`);
    });

  const list = cmd
    .command('list')
    .description('every scenario with its parent, who created it and when')
    .action(async (_flags: unknown, command: Command) => {
      const opts = globals(command);
      const res = await adminOrFail<{ scenarios: ScenarioJson[] }>(opts, 'GET', 'scenarios');
      if (opts.json) return printJson(res);
      console.log(
        formatTable(
          ['scenario', 'parent', 'created by', 'created at', 'archived'],
          res.scenarios.map((s) => [s.name, s.parent ?? '', s.created_by ?? '', s.created_at ?? '', s.archived_at ?? '']),
        ),
      );
    });

  const archive = cmd
    .command('archive <name>')
    .description('archive a scenario: no more writes, hidden from __by_scenario views (data and log stay)')
    .option('--user <name>', 'who is recorded (default: the OS user)')
    .action(async (name: string, flags: { user?: string }, command: Command) => {
      const opts = globals(command);
      const res = await adminOrFail<{ scenario: ScenarioJson }>(opts, 'POST', `scenarios/${enc(name)}/archive`, { user: flags.user ?? osUser() });
      if (opts.json) return printJson(res);
      console.log(`${paint('green', '✓')} scenario ${name} archived`);
    });

  const compare = cmd
    .command('compare <a> <b>')
    .description('per key, the values that differ between two scenarios (numeric deltas b − a)')
    .option('--table <table>', 'only this input table')
    .action(async (a: string, b: string, flags: { table?: string }, command: Command) => {
      const opts = globals(command);
      const q = new URLSearchParams({ a, b, ...(flags.table ? { table: flags.table } : {}) });
      const res = await adminOrFail<CompareJson>(opts, 'GET', `scenarios/compare?${q}`);
      if (opts.json) return printJson(res);
      for (const t of res.tables) {
        console.log(paint('bold', `${t.table}: ${plural(t.rows.length, 'key')} differ${t.rows.length === 1 ? 's' : ''}`));
        const lines = t.rows.flatMap((r) =>
          r.changes.map((ch) => [Object.values(r.key).map(show).join(' / '), r.status, ch.column, show(ch.a), show(ch.b), ch.delta === undefined ? '' : show(ch.delta)]),
        );
        if (lines.length > 0) console.log(formatTable(['key', 'status', 'column', a, b, 'delta'], lines));
      }
    });

  const promote = cmd
    .command('promote <name>')
    .description("write a scenario's overrides into its parent as new logged writes (shows a preview; --yes to do it)")
    .option('--table <table>', 'only this input table')
    .option('--user <name>', 'who is recorded (default: the OS user)')
    .option('--comment <text>', 'comment stored with every entry')
    .option('--dry-run', 'only show what would be written')
    .option('-y, --yes', 'promote without asking')
    .action(async (name: string, flags: { table?: string; user?: string; comment?: string; dryRun?: boolean; yes?: boolean }, command: Command) => {
      const opts = globals(command);
      const body = { user: flags.user ?? osUser(), ...(flags.table ? { table: flags.table } : {}), ...(flags.comment ? { comment: flags.comment } : {}) };
      const doIt = flags.yes === true && flags.dryRun !== true;
      const res = await adminOrFail<PromoteJson>(opts, 'POST', `scenarios/${enc(name)}/promote`, { ...body, ...(doIt ? { confirm: true } : { dry_run: true }) });
      if (opts.json && (doIt || flags.dryRun || res.rows === 0)) return printJson(res);
      // nothing differs from the parent: nothing to confirm either
      if (res.rows === 0) return console.log(`nothing to promote: ${name} does not differ from ${res.parent}`);
      const summary = res.tables.map((t) => `${t.table}: ${plural(t.upserts.length, 'upsert')}, ${plural(t.deletes.length, 'delete')}${approvalNote(t)}`).join('; ');
      if (doIt) return console.log(`${paint('green', '✓')} promoted ${name} into ${res.parent}: ${summary}`);
      console.log(`promoting ${name} into ${res.parent} would write ${rowsText(res.rows)}: ${summary}`);
      if (!flags.dryRun) {
        const message = `promoting writes ${rowsText(res.rows)} into ${res.parent}: run again with --yes`;
        if (opts.json) printJson({ error: { code: 'confirmation_required', message, details: [{ message, count: res.rows }] } });
        else process.stderr.write(paintErr('yellow', message) + '\n');
        throw new ReportedFailure(1);
      }
    });
  examples(cmd, [
    ['writeback scenario create downside --description "-10% EMEA"', 'a what-if scenario on top of base'],
    ['writeback scenario compare base downside', 'what differs, with numeric deltas'],
    ['writeback scenario promote downside --yes', "write its overrides into base"],
  ]);
  examples(create, [['writeback scenario create downside --from base --description "-10% EMEA"', 'nothing is copied: it falls back to base']]);
  examples(list, [['writeback scenario list --json', 'every scenario with its parent']]);
  examples(archive, [['writeback scenario archive downside', 'no more writes; hidden from __by_scenario views']]);
  examples(compare, [['writeback scenario compare base downside --table revenue_forecast', 'one table']]);
  examples(promote, [
    ['writeback scenario promote downside', 'preview what would be written'],
    ['writeback scenario promote downside --yes --comment "board approved"', 'write it into the parent'],
  ]);
}

/** What a promoted table's writes wait for, if anything. */
function approvalNote(t: PromoteJson['tables'][number]): string {
  if (t.pending?.length) return ` — waiting for approval as ${t.pending.join(', ')}`;
  return t.needsApproval ? ' (needs approval: becomes a pending change)' : '';
}

/** `1 row`, `3 rows`. */
function rowsText(n: number): string {
  return plural(n, 'row');
}
