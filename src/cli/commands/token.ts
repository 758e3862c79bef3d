import type { Command } from 'commander';
import { globals, ReportedFailure } from '../context.js';
import { formatTable, paint, paintErr, printJson } from '../output.js';
import { examples } from '../help.js';
import { osUser } from '../user.js';
import { withBackend } from '../backend.js';
import { printApiError } from '../print-error.js';
import { collect, parsePairs } from '../options.js';

export function registerToken(program: Command): void {
  const token = program.command('token').description('API tokens: create (printed once), list, revoke');

  const create = token
    .command('create')
    .description('create a token for a user and role; prints the secret once (only its hash is stored)')
    .requiredOption('--user <name>', 'the user the token signs in')
    .requiredOption('--role <role>', 'a role declared in project.yml')
    .option('--attr <key=value>', 'a user attribute used by row filters (repeatable)', collect, [])
    .option('--name <text>', 'what the token is for (shown by `token list`)')
    .option('--expires-at <time>', 'when it stops signing in (ISO 8601, in the future); default: never')
    .action(async (flags: { user: string; role: string; attr: string[]; name?: string; expiresAt?: string }, command: Command) => {
      const opts = globals(command);
      const attributes = parsePairs(flags.attr, '--attr');
      const result = await withBackend(opts, (b) =>
        b.createToken({
          user: flags.user,
          role: flags.role,
          createdBy: osUser(),
          ...(flags.attr.length > 0 ? { attributes } : {}),
          ...(flags.name !== undefined ? { name: flags.name } : {}),
          ...(flags.expiresAt !== undefined ? { expiresAt: flags.expiresAt } : {}),
        }),
      );
      if (!result.ok) {
        printApiError(result.error, opts.json);
        throw new ReportedFailure(1);
      }
      if (opts.json) return printJson(result.value);
      console.log(result.value.token);
      if (process.stderr.isTTY) process.stderr.write(paintErr('dim', `token ${result.value.info.tokenId} for ${flags.user} (${flags.role}); it is shown only this once\n`));
    });

  const list = token
    .command('list')
    .description('list tokens (never their secrets)')
    .action(async (_flags: unknown, command: Command) => {
      const opts = globals(command);
      const tokens = await withBackend(opts, (b) => b.listTokens());
      if (opts.json) return printJson({ tokens });
      if (tokens.length === 0) return console.log('no tokens');
      console.log(
        formatTable(
          ['id', 'kind', 'name', 'user', 'role', 'attributes', 'created', 'by', 'expires', 'last used', 'revoked'],
          tokens.map((t) => [
            t.tokenId,
            t.kind,
            t.name ?? '',
            t.user,
            t.role,
            Object.entries(t.attributes).map(([k, v]) => `${k}=${v}`).join(' '),
            t.createdAt,
            t.createdBy,
            t.expiresAt ?? 'never',
            t.lastUsedAt ?? 'never',
            t.revokedAt ?? '',
          ]),
        ),
      );
    });

  const revoke = token
    .command('revoke <id>')
    .description('revoke a token: its next request gets 401')
    .action(async (id: string, _flags: unknown, command: Command) => {
      const opts = globals(command);
      const result = await withBackend(opts, (b) => b.revokeToken(id));
      if (!result.ok) {
        printApiError(result.error, opts.json);
        throw new ReportedFailure(1);
      }
      if (opts.json) return printJson(result.value);
      console.log(`${paint('green', '✓')} revoked ${id}`);
    });
  examples(token, [
    ['ANA=$(writeback token create --user ana --role planner --attr region=EMEA)', 'a token for a planner of EMEA'],
    ['writeback token list', 'every token (never its secret)'],
  ]);
  examples(create, [
    ['ANA=$(writeback token create --user ana --role planner --attr region=EMEA)', 'the secret goes to stdout only, once'],
    ['writeback token create --user bi --role viewer --json', 'with its id, as JSON'],
  ]);
  examples(list, [['writeback token list --json', 'ids, kinds (service or personal), names, users, roles, attributes, who created them, expiry, last use, revoked or not']]);
  examples(revoke, [['writeback token revoke 0193…', 'the id from `token list`; its next request gets 401']]);
}
