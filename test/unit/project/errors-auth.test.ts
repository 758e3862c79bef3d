import { describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/project/load-project.js';
import { BASE, diagnose, writeProject } from './helpers.js';

/** project.yml whose target `dev` has `auth:` made of `lines` (the first on line 6, column 7). */
function projectWith(lines: string[], type = 'duckdb'): string {
  return [
    'name: demo',
    'targets:',
    '  dev:',
    `    type: ${type}`,
    '    auth:',
    ...lines.map((l) => `      ${l}`),
    'sources:',
    '  crm:',
    '    tables: [accounts, categories]',
    'roles:',
    '  planner: { attributes: [region] }',
    '  finance: {}',
    '',
  ].join('\n');
}

const OIDC = [
  'oidc:',
  '  issuer: https://login.acme.test/oauth2/default',
  '  client_id: writeback',
  `  client_secret: "{{ env('WB_SECRET') }}"`,
  '  redirect_url: https://writeback.acme.test/auth/callback',
];
const CLAIMS = ['claims:', '  role:', '    claim: groups', '    map: { planning-admins: finance, planners: planner }', '  attributes: { region: region }'];

async function problems(lines: string[], type = 'duckdb'): Promise<string[]> {
  const diags = await diagnose({ 'project.yml': projectWith(lines, type) });
  return diags.map((d) => `${d.code}@${d.loc?.file}:${d.loc?.line}:${d.loc?.col} ${d.message}`);
}

describe('targets.<t>.auth: loaded into the IR', () => {
  it('reads OIDC sign-in with defaults, the role map in YAML order (numeric keys too) and the attributes', async () => {
    const yml = projectWith([...OIDC, 'claims:', '  role:', '    claim: groups', '    map:', '      "200": finance', '      planners: planner', '      100: finance', '  attributes: { region: "https://acme.test/region" }']);
    const r = await loadProject(writeProject({ ...BASE, 'project.yml': yml }));
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    expect(r.value.targets.dev).toEqual({
      name: 'dev',
      type: 'duckdb',
      path: 'target/dev.duckdb',
      auth: {
        sso: {
          kind: 'oidc',
          issuer: 'https://login.acme.test/oauth2/default',
          clientId: 'writeback',
          clientSecret: "{{ env('WB_SECRET') }}",
          redirectUrl: 'https://writeback.acme.test/auth/callback',
          scopes: ['openid', 'profile', 'email'],
          loc: { file: 'project.yml', line: 6, col: 7, endLine: 6, endCol: 11 },
        },
        claims: {
          name: 'name',
          email: 'email',
          role: { claim: 'groups', map: [{ value: '200', role: 'finance' }, { value: 'planners', role: 'planner' }, { value: '100', role: 'finance' }] },
          attributes: { region: 'https://acme.test/region' },
          loc: { file: 'project.yml', line: 11, col: 7, endLine: 11, endCol: 13 },
        },
        session: { lifetimeSeconds: 12 * 3600, idleTimeoutSeconds: 3600 },
        personalTokens: { maxLifetimeSeconds: 90 * 86400 },
        loc: { file: 'project.yml', line: 5, col: 5, endLine: 5, endCol: 9 },
      },
    });
  });

  it('reads proxy sign-in on a remote target (whose other settings stay raw strings), durations and a loopback http issuer', async () => {
    const yml = projectWith(
      [
        'proxy:',
        '  header: X-Goog-IAP-JWT-Assertion',
        '  issuer: http://127.0.0.1:9999',
        '  audience: /projects/1/global/backendServices/2',
        '  jwks_file: keys/proxy.jwks.json',
        '  algorithms: [ES256, EdDSA]',
        'claims: { role: { claim: roles } }',
        'session: { lifetime: 30m, idle_timeout: 90s }',
        'personal_tokens: { max_lifetime: 7d }',
      ],
      'postgres',
    ).replace('    auth:', '    host: db.internal\n    port: 5432\n    auth:');
    const r = await loadProject(writeProject({ ...BASE, 'project.yml': yml }));
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    const dev = r.value.targets.dev!;
    expect(dev.type === 'postgres' && dev.settings).toEqual({ host: 'db.internal', port: '5432' });
    expect(dev.auth).toMatchObject({
      sso: { kind: 'proxy', header: 'x-goog-iap-jwt-assertion', issuer: 'http://127.0.0.1:9999', audience: ['/projects/1/global/backendServices/2'], jwks: { file: 'keys/proxy.jwks.json' }, algorithms: ['ES256', 'EdDSA'] },
      claims: { name: 'name', email: 'email', role: { claim: 'roles' }, attributes: {} },
      session: { lifetimeSeconds: 1800, idleTimeoutSeconds: 90 },
      personalTokens: { maxLifetimeSeconds: 7 * 86400 },
    });
    expect(dev.auth?.claims.role.map).toBeUndefined();
  });

  it('a target without auth has none', async () => {
    const r = await loadProject(writeProject(BASE));
    expect(r.ok && r.value.targets.dev?.auth).toBeUndefined();
  });
});

describe('targets.<t>.auth: every check at file:line:col', () => {
  it('exactly one sign-in mode', async () => {
    expect(await problems(CLAIMS)).toEqual([
      'invalid-auth@project.yml:5:5 `targets.dev.auth` needs exactly one sign-in mode, `oidc` or `proxy` (found neither)',
    ]);
    expect(await problems([...OIDC, 'proxy: { header: x-a, issuer: https://p.test, audience: a, jwks_url: https://p.test/jwks }', ...CLAIMS])).toEqual([
      'invalid-auth@project.yml:11:7 `targets.dev.auth` needs exactly one sign-in mode, `oidc` or `proxy` (found both)',
    ]);
  });

  it('a mapped role must be declared under roles:', async () => {
    expect(await problems([...OIDC, 'claims:', '  role:', '    claim: groups', '    map: { admins: admin, planners: planer }'])).toEqual([
      'unknown-role@project.yml:14:26 role `admin` is not declared under `roles:` in project.yml; roles: `planner`, `finance`',
      'unknown-role@project.yml:14:43 role `planer` is not declared under `roles:` in project.yml; roles: `planner`, `finance`',
    ]);
  });

  it('a claim value in the role map must not be empty', async () => {
    expect(await problems([...OIDC, 'claims:', '  role:', '    claim: groups', '    map: { "": finance }'])).toEqual([
      'invalid-auth@project.yml:14:18 `targets.dev.auth.claims.role.map`: a claim value must not be empty',
    ]);
  });

  it('an attribute must be declared by some role (and be a valid name)', async () => {
    expect(await problems([...OIDC, 'claims:', '  role: { claim: groups }', '  attributes:', '    country: country', '    Region: region'])).toEqual([
      'invalid-auth@project.yml:14:11 `targets.dev.auth.claims.attributes.country`: no role declares the user attribute `country`; declared attributes: `region`',
      expect.stringMatching(/^invalid-name@project.yml:15:11 invalid user attribute name "Region"/),
      'invalid-auth@project.yml:15:11 `targets.dev.auth.claims.attributes.Region`: no role declares the user attribute `Region`; declared attributes: `region`',
    ]);
  });

  it.each([
    ['http://login.acme.test', 'must use https: (plain http: is accepted only for 127.0.0.1, ::1 or localhost)'],
    ['login.acme.test', 'is not an absolute URL (e.g. https://login.example.com)'],
    ['ftp://login.acme.test', 'must be an https: URL'],
    ['https://user:pw@login.acme.test', 'must not hold a user name or password (left out here)', 'https://login.acme.test/'],
    ['https://login.acme.test/#x', 'must not have a #fragment'],
  ])('issuer %s', async (issuer, detail, shown = issuer) => {
    expect(await problems([...OIDC.map((l) => (l.startsWith('  issuer') ? `  issuer: "${issuer}"` : l)), ...CLAIMS])).toEqual([
      `invalid-auth@project.yml:7:17 \`targets.dev.auth.oidc.issuer\`: '${shown}' ${detail}`,
    ]);
  });

  it('http is accepted for loopback hosts; a setting reading the environment is checked when the server starts', async () => {
    for (const issuer of ['http://127.0.0.1:8080', 'http://localhost:3000/x', 'http://[::1]:9000', `"{{ env('ISSUER') }}"`])
      expect(await problems([...OIDC.map((l) => (l.startsWith('  issuer') ? `  issuer: ${issuer}` : l)), ...CLAIMS])).toEqual([]);
  });

  it('the redirect URL must end in /auth/callback, over https unless loopback', async () => {
    const withRedirect = (u: string) => [...OIDC.map((l) => (l.startsWith('  redirect_url') ? `  redirect_url: ${u}` : l)), ...CLAIMS];
    expect(await problems(withRedirect('https://writeback.acme.test/callback'))).toEqual([
      "invalid-auth@project.yml:10:23 `targets.dev.auth.oidc.redirect_url`: 'https://writeback.acme.test/callback' must have the path /auth/callback (it has /callback)",
    ]);
    expect(await problems(withRedirect('http://writeback.acme.test/auth/callback'))).toEqual([
      "invalid-auth@project.yml:10:23 `targets.dev.auth.oidc.redirect_url`: 'http://writeback.acme.test/auth/callback' must use https: (plain http: is accepted only for 127.0.0.1, ::1 or localhost)",
    ]);
    expect(await problems(withRedirect('http://127.0.0.1:3000/auth/callback'))).toEqual([]);
  });

  it('scopes must include openid', async () => {
    expect(await problems([...OIDC, '  scopes: [profile, email]', ...CLAIMS])).toEqual([
      'invalid-auth@project.yml:11:17 `targets.dev.auth.oidc.scopes` must include `openid` (without it the identity provider sends no id token)',
    ]);
  });

  const PROXY = ['proxy:', '  header: x-goog-iap-jwt-assertion', '  issuer: https://cloud.google.com/iap', '  audience: [aud-1, aud-2]', '  jwks_url: https://www.gstatic.com/iap/verify/public_key-jwk'];
  it('proxy: jwks_url or jwks_file, exactly one; jwks_url a URL; jwks_file inside the project; a header name', async () => {
    expect(await problems([...PROXY.slice(0, 4), ...CLAIMS])).toEqual([
      'invalid-auth@project.yml:6:7 `targets.dev.auth.proxy` needs exactly one of `jwks_url` or `jwks_file` (found neither)',
    ]);
    expect(await problems([...PROXY, '  jwks_file: keys.json', ...CLAIMS])).toEqual([
      'invalid-auth@project.yml:11:9 `targets.dev.auth.proxy` needs exactly one of `jwks_url` or `jwks_file` (found both)',
    ]);
    expect(await problems([...PROXY.slice(0, 4), '  jwks_url: http://keys.acme.test/jwks', ...CLAIMS])).toEqual([
      "invalid-auth@project.yml:10:19 `targets.dev.auth.proxy.jwks_url`: 'http://keys.acme.test/jwks' must use https: (plain http: is accepted only for 127.0.0.1, ::1 or localhost)",
    ]);
    expect(await problems([...PROXY.slice(0, 4), '  jwks_file: ../secrets/keys.json', ...CLAIMS])).toEqual([
      'invalid-auth@project.yml:10:20 `targets.dev.auth.proxy.jwks_file` must be a relative path inside the project directory, found `../secrets/keys.json`',
    ]);
    for (const file of ['/etc/keys.json', 'keys/../../k.json', '.', 'C:/keys.json'])
      expect(await problems([...PROXY.slice(0, 4), `  jwks_file: "${file}"`, ...CLAIMS])).toEqual([
        `invalid-auth@project.yml:10:20 \`targets.dev.auth.proxy.jwks_file\` must be a relative path inside the project directory, found \`${file}\``,
      ]);
    expect(await problems([PROXY[0]!, '  header: "x user"', ...PROXY.slice(2), ...CLAIMS])).toEqual([
      'invalid-auth@project.yml:7:17 `targets.dev.auth.proxy.header` must be an HTTP header name (letters, digits and -), found `x user`',
    ]);
  });

  it("proxy: the issuer is compared, never fetched: a host name is fine (Pomerium's), a '#' is not", async () => {
    const withIssuer = (issuer: string) => ['proxy:', '  header: x-pomerium-jwt-assertion', `  issuer: "${issuer}"`, '  audience: planning.acme.test', '  jwks_url: https://planning.acme.test/.well-known/pomerium/jwks.json', ...CLAIMS];
    expect(await problems(withIssuer('authenticate.acme.test'))).toEqual([]);
    expect(await problems(withIssuer('https://p.test/#x'))).toEqual([
      'invalid-auth@project.yml:8:17 `targets.dev.auth.proxy.issuer`: must not contain `#` (it separates the issuer from the subject in user ids)',
    ]);
  });

  it('proxy: only asymmetric signing algorithms', async () => {
    expect(await problems([...PROXY, '  algorithms: [RS256, none, HS256]', ...CLAIMS])).toEqual([
      "invalid-auth@project.yml:11:29 `targets.dev.auth.proxy.algorithms`: 'none' is not an accepted signing algorithm (use one of RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA, Ed25519; none and HS* are never accepted)",
      "invalid-auth@project.yml:11:35 `targets.dev.auth.proxy.algorithms`: 'HS256' is not an accepted signing algorithm (use one of RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA, Ed25519; none and HS* are never accepted)",
    ]);
  });

  it.each(['0s', '12', '1.5h', '-1h', '12 hours', '1w', '3651d', "''"])('a duration %s is refused', async (found) => {
    const shown = found === "''" ? '' : found;
    expect(await problems([...OIDC, ...CLAIMS, `session: { lifetime: 12h, idle_timeout: ${found} }`])).toEqual([
      `invalid-auth@project.yml:16:47 \`targets.dev.auth.session.idle_timeout\` must be a duration greater than zero and at most ten years: a whole number and a unit: s, m, h or d (e.g. 30s, 15m, 12h, 90d); found \`${shown}\``,
    ]);
  });

  it('personal_tokens.max_lifetime is a duration too', async () => {
    expect(await problems([...OIDC, ...CLAIMS, 'personal_tokens:', '  max_lifetime: forever'])).toEqual([
      '`targets.dev.auth.personal_tokens.max_lifetime` must be a duration greater than zero and at most ten years: a whole number and a unit: s, m, h or d (e.g. 30s, 15m, 12h, 90d); found `forever`',
    ].map((m) => `invalid-auth@project.yml:17:23 ${m}`));
    expect(await problems([...OIDC, ...CLAIMS, 'personal_tokens:', '  max_lifetime: 12h'])).toEqual([
      'invalid-auth@project.yml:17:23 `targets.dev.auth.personal_tokens.max_lifetime`: must be at least one day (1d): personal tokens live whole days',
    ]);
  });

  it('the schema: unknown keys, a missing role claim, auth on a remote target must be a mapping', async () => {
    expect(await problems([...OIDC, '  client_secrets: x', ...CLAIMS])).toEqual([
      'unknown-key@project.yml:11:9 unknown key `client_secrets` in `targets.dev.auth.oidc`; allowed keys: `issuer`, `client_id`, `client_secret`, `redirect_url`, `scopes`',
    ]);
    expect(await problems([...OIDC, 'claims: { attributes: { region: region } }'])).toEqual([
      'missing-key@project.yml:11:15 missing required key `role` in `targets.dev.auth.claims`',
    ]);
    const diags = await diagnose({ 'project.yml': projectWith([], 'postgres').replace('    auth:\n', '    auth: oidc\n') });
    expect(diags.map((d) => `${d.code}@${d.loc?.line}:${d.loc?.col} ${d.message}`)).toEqual(['invalid-value@5:11 `targets.dev.auth` must be a mapping, found the string "oidc"']);
  });
});
