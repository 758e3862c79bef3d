import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, packAndInstall, PKG, ROOT, run, startGroup, type PackReport } from './packed.js';

// What a user gets from npm: the packed tarball installed into an empty folder, used through
// `npx writeback` and `import 'writeback'`, without the optional warehouse SDKs.
let tarballDir = '';
let report: PackReport;
let app = '';

beforeAll(() => {
  const packed = packAndInstall();
  tarballDir = dirname(packed.tarball);
  report = packed.report;
  app = packed.app;
});
afterAll(() => {
  if (tarballDir) rmSync(tarballDir, { recursive: true, force: true });
});

const npx = (args: string[], cwd = app) => run('npx', ['writeback', ...args], cwd);

describe('the packed tarball', () => {
  it('holds the compiled program and the assets the server reads, not the sources or the tests', () => {
    const files = report.files.map((f) => f.path);
    expect(files).toContain('bin/writeback.js');
    expect(files).toContain('dist/cli/main.js');
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/index.d.ts');
    // served to the browser at run time, next to the compiled server
    expect(files).toContain('dist/forms/assets/app.js');
    expect(files).toContain('dist/forms/assets/app.css');
    expect(files).toContain('dist/rules/column-rules.js');
    expect(files.filter((f) => !/^(bin\/|dist\/|package\.json$|README\.md$|LICENSE)/.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
  });

  it('installs without tsx and without the warehouse SDKs, whose absence is fine until a target needs one', () => {
    const installed = JSON.parse(readFileSync(join(app, 'node_modules/writeback/package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      peerDependenciesMeta: Record<string, { optional: boolean }>;
    };
    expect(Object.keys(installed.dependencies)).not.toContain('tsx');
    for (const sdk of ['pg', 'pg-copy-streams', 'snowflake-sdk', '@google-cloud/bigquery']) {
      expect(installed.peerDependenciesMeta[sdk]).toEqual({ optional: true });
      expect(existsSync(join(app, 'node_modules', sdk)), sdk).toBe(false);
    }
    expect(existsSync(join(app, 'node_modules/tsx'))).toBe(false);
  });

  it('npx writeback --version prints the package version', () => {
    const r = npx(['--version']);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(PKG.version);
  });
});

describe('npx writeback init my_project && cd my_project && npx writeback apply && npx writeback dev', () => {
  let project = '';

  it('init scaffolds a project', () => {
    const r = npx(['init', 'my_project']);
    expect(r.status, r.stderr).toBe(0);
    project = join(app, 'my_project');
    expect(existsSync(join(project, 'project.yml'))).toBe(true);
  });

  it('apply creates the warehouse', () => {
    const r = npx(['apply'], project);
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/applied to dev/);
  });

  it('dev answers on its port with the API, the form and its assets, then stops on Ctrl-C', async () => {
    const port = await freePort();
    const dev = startGroup('npx', ['writeback', 'dev', '--dev-user', 'me', '--port', String(port)], project);
    try {
      await dev.waitFor(new RegExp(`http://127\\.0\\.0\\.1:${port}`));
      const url = `http://127.0.0.1:${port}`;
      const inputs = await fetch(`${url}/api/v1/inputs`);
      expect(inputs.status).toBe(200);
      expect(JSON.stringify(await inputs.json())).toContain('customer_notes');
      const written = await fetch(`${url}/api/v1/inputs/customer_notes/rows`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ rows: [{ customer_id: 'c_001', health: 'amber', score: '61.50' }] }),
      });
      expect(written.status, await written.clone().text()).toBe(200);
      const page = await fetch(`${url}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      for (const asset of ['app.js', 'app.css', 'column-rules.js', 'status-rules.js', 'scenario-name.js']) {
        const res = await fetch(`${url}/assets/${asset}`);
        expect(res.status, asset).toBe(200);
        expect((await res.text()).length, asset).toBeGreaterThan(0);
      }
    } finally {
      const end = await dev.stop();
      // npm itself dies of the SIGINT; writeback shuts down cleanly and says so
      expect(end.code === 0 || end.signal === 'SIGINT', JSON.stringify(end)).toBe(true);
      expect(dev.output).toMatch(/"message":"stopped"/);
    }
    expect(await fetch(`http://127.0.0.1:${port}/api/v1/inputs`).then(() => 'answered', () => 'closed')).toBe('closed');
  });

  it('a target whose SDK is not installed fails at that target with the exact install command', () => {
    const yml = join(project, 'project.yml');
    writeFileSync(
      yml,
      readFileSync(yml, 'utf8').replace(
        'targets:\n',
        'targets:\n' +
          '  pg: { type: postgres, host: 127.0.0.1, database: analytics, user: me }\n' +
          '  sf: { type: snowflake, account: acme, user: me, password: secret, database: ANALYTICS }\n' +
          '  bq: { type: bigquery, project: acme }\n',
      ),
    );
    const expected = {
      pg: ['postgres', 'pg'],
      sf: ['snowflake', 'snowflake-sdk'],
      bq: ['bigquery', '@google-cloud/bigquery'],
    } as const;
    for (const [target, [type, sdk]] of Object.entries(expected)) {
      const r = npx(['apply', '--target', target], project);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr.trim()).toBe(
        `error: target '${target}' is a ${type} target, whose driver ${sdk} is not installed. ` +
          `Install it where writeback is installed: npm install ${sdk}@${PKG.devDependencies[sdk]}`,
      );
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      // compiling for that warehouse needs no SDK
      const compiled = npx(['compile', '--target', target], project);
      expect(compiled.status, compiled.stderr).toBe(0);
    }
  });
});

describe("import 'writeback' from the packed install", () => {
  it('exports the documented API and no internal names', async () => {
    const r = run(process.execPath, ['--input-type=module', '-e', "console.log(JSON.stringify(Object.keys(await import('writeback')).sort()))"], app);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      'DEFAULT_PORT',
      'HTTP_STATUS',
      'ModelReadFailed',
      'OpenProjectError',
      'UsageError',
      'WarehouseError',
      'compile',
      'formatDiagnostics',
      'loadProject',
      'openProject',
      'startServer',
    ]);
  });

  it('loads, compiles, applies the demo project, writes a row and reads it back (and from the merged view)', () => {
    const demo = join(app, 'demo');
    for (const part of ['project.yml', 'inputs', 'models', 'macros', 'seeds']) cpSync(join(ROOT, part), join(demo, part), { recursive: true });
    writeFileSync(
      join(app, 'embed.mjs'),
      `import { compile, loadProject, openProject } from 'writeback';

const loaded = await loadProject('demo');
if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
const compiled = compile(loaded.value, { target: 'dev' });
const wb = await openProject('demo');
try {
  const applied = await wb.deploy.apply({ user: 'ci' });
  const written = await wb.inputs.write('revenue_forecast',
    [{ account_id: 'acc_022', quarter: '2026-Q4', amount: '125000.00' }], { user: 'ana', comment: 'Q4 plan' });
  const read = await wb.inputs.rows('revenue_forecast', { filter: { account_id: 'acc_022', quarter: '2026-Q4' } });
  const history = await wb.inputs.history('revenue_forecast', { key: { account_id: 'acc_022', quarter: '2026-Q4' } });
  const model = await wb.models.rows('account_forecast');
  const merged = [];
  if (model.ok) for await (const chunk of model.rows.chunks()) merged.push(...chunk.filter((r) => r.id === 'acc_022'));
  console.log(JSON.stringify({
    compiled: compiled.ok && compiled.value.objects.length,
    applied: applied.ok && applied.applied,
    written: written.ok && written.entries.length,
    row: read.ok && read.rows[0],
    history: history.ok && history.entries.map((e) => e.user + ' ' + e.comment),
    merged: merged.map((r) => [r.quarter, r.amount]),
    verified: (await wb.verify()).ok,
  }));
} finally {
  await wb.close();
}
`,
    );
    const r = run(process.execPath, ['embed.mjs'], app);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out.compiled).toBeGreaterThan(0);
    expect(out.applied).toBe(true);
    expect(out.written).toBe(1);
    expect(out.row).toMatchObject({ account_id: 'acc_022', quarter: '2026-Q4', amount: '125000.00', _version: 1, _updated_by: 'ana' });
    expect(out.history).toEqual(['ana Q4 plan']);
    expect(out.merged).toEqual([['2026-Q4', '125000.00']]);
    expect(out.verified).toBe(true);
  });
});
