import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../helpers/cli.js';

/** A scaffolded project whose target `team` signs people in through an identity provider. */
async function projectWithSignIn(): Promise<string> {
  const dir = join(tempDir(), 'signin');
  expect((await runCli(['init', dir])).code).toBe(0);
  const yml = readFileSync(join(dir, 'project.yml'), 'utf8').replace(
    '  dev: { type: duckdb, path: target/warehouse.duckdb }\n',
    [
      '  dev: { type: duckdb, path: target/warehouse.duckdb }',
      '  team:',
      '    type: duckdb',
      '    path: target/team.duckdb',
      '    auth:',
      '      oidc:',
      '        issuer: https://login.acme.test',
      '        client_id: writeback',
      '        redirect_url: https://writeback.acme.test/auth/callback',
      '      claims: { role: { claim: groups } }',
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'project.yml'), yml);
  return dir;
}

describe('--dev-user is refused on a target with sign-in', () => {
  it.each(['serve', 'dev'])('%s --dev-user on it exits with an error naming the target, and opens nothing', async (command) => {
    const dir = await projectWithSignIn();
    const r = await runCli([command, '--project', dir, '--target', 'team', '--dev-user', 'ana', '--port', '0']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      "--dev-user cannot be used with target 'team': it has sign-in configured (targets.team.auth at project.yml:8:5), and --dev-user would let anyone in without signing in.",
    );
    expect(r.stdout).not.toContain('serving');
    expect(existsSync(join(dir, 'target', 'team.duckdb'))).toBe(false);
    expect(existsSync(join(dir, 'target', 'server.json'))).toBe(false);
    expect(existsSync(join(dir, 'target', 'server.starting'))).toBe(false);
  });

  it('validate accepts the project (the refusal is about serving, not the YAML)', async () => {
    const dir = await projectWithSignIn();
    const r = await runCli(['validate', '--project', dir]);
    expect(r.stdout).toContain('no problems found');
    expect(r.code).toBe(0);
  });
});
