import { beforeAll, describe, expect, it } from 'vitest';
import { type NoRole, actorFromClaims, describeNoRole } from '../../../src/auth/claims.js';
import type { ClaimsMapping, Project } from '../../../src/ir/types.js';
import { loadProject } from '../../../src/project/load-project.js';
import { BASE, writeProject } from '../project/helpers.js';

const ISSUER = 'https://login.acme.test';
const loc = { file: 'project.yml', line: 1, col: 1 };
const MAPPED: ClaimsMapping = {
  name: 'name',
  email: 'email',
  role: { claim: 'groups', map: [{ value: 'planning-admins', role: 'finance' }, { value: 'planners', role: 'planner' }] },
  attributes: { region: 'https://acme.test/region' },
  loc,
};
const BY_NAME: ClaimsMapping = { name: 'name', email: 'email', role: { claim: 'roles' }, attributes: { region: 'region' }, loc };

let project: Project;
beforeAll(async () => {
  const r = await loadProject(writeProject(BASE));
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  project = r.value;
});

const ana = { sub: '00u1', name: 'Ana Lopez', email: 'ana@acme.test' };
function problemOf(mapping: ClaimsMapping, claims: unknown): NoRole {
  const r = actorFromClaims(project, mapping, claims, ISSUER);
  if (r.ok) throw new Error(`expected a problem, got ${JSON.stringify(r.actor)}`);
  return r.problem;
}

describe('actorFromClaims: who acts', () => {
  it('maps groups in YAML order (first listed value the user holds wins) and reads the attribute claim', () => {
    const r = actorFromClaims(project, MAPPED, { ...ana, groups: ['planners', 'planning-admins'], 'https://acme.test/region': 'EMEA' }, ISSUER);
    expect(r).toEqual({
      ok: true,
      actor: { user: 'https://login.acme.test#00u1', role: 'finance', attributes: {} },
      identity: { issuer: ISSUER, subject: '00u1', name: 'Ana Lopez', email: 'ana@acme.test' },
    });
  });

  it('gives the planner its region; an attribute the role does not declare is dropped', () => {
    const r = actorFromClaims(project, MAPPED, { ...ana, groups: 'planners', 'https://acme.test/region': 'EMEA' }, ISSUER);
    expect(r.ok && r.actor).toEqual({ user: 'https://login.acme.test#00u1', role: 'planner', attributes: { region: 'EMEA' } });
  });

  it('without a map, the first role project.yml declares that the claim holds wins, in whatever order the provider lists them', () => {
    for (const roles of [['admin', 42, 'planner', 'finance'], ['finance', 'admin', 'planner']]) {
      const r = actorFromClaims(project, BY_NAME, { ...ana, roles, region: 'AMER' }, ISSUER);
      expect(r.ok && r.actor.role, JSON.stringify(roles)).toBe('planner');
    }
  });

  it('an e-mail address the provider says it did not verify is not shown', () => {
    const unverified = actorFromClaims(project, MAPPED, { ...ana, email_verified: false, groups: ['planning-admins'] }, ISSUER);
    expect(unverified.ok && unverified.identity).toEqual({ issuer: ISSUER, subject: '00u1', name: 'Ana Lopez' });
    const verified = actorFromClaims(project, MAPPED, { ...ana, email_verified: true, groups: ['planning-admins'] }, ISSUER);
    expect(verified.ok && verified.identity.email).toBe('ana@acme.test');
  });

  it('leaves out a name or e-mail that is not usable text (they are shown, never compared)', () => {
    for (const bad of [42, ['Ana'], { first: 'Ana' }, '', 'x'.repeat(300), 'A\u0000na', '\ud800', 'Ana\nAdmin', 'Ana\u202eniamdA', 'Ana\u2028x', 'A\u0085na'])
      expect(actorFromClaims(project, MAPPED, { sub: 's', name: bad, email: bad, groups: ['planning-admins'] }, ISSUER)).toMatchObject({
        ok: true,
        identity: { issuer: ISSUER, subject: 's' },
      });
    const r = actorFromClaims(project, MAPPED, { sub: 's', name: 42, groups: ['planning-admins'] }, ISSUER);
    expect(r.ok && r.identity).toEqual({ issuer: ISSUER, subject: 's' });
  });

  it('keeps unicode names and subjects exactly', () => {
    const r = actorFromClaims(project, MAPPED, { sub: 'ünï-😀', name: 'Zoë 山田', groups: ['planning-admins'] }, ISSUER);
    expect(r.ok && [r.actor.user, r.identity.name]).toEqual(['https://login.acme.test#ünï-😀', 'Zoë 山田']);
  });
});

describe('actorFromClaims: hostile claims', () => {
  const roleClaims: [string, unknown][] = [
    ['missing', undefined],
    ['a number', 7],
    ['an object', { planners: true }],
    ['nested lists', [['planners']]],
    ['objects in a list', [{ value: 'planners' }]],
    ['an empty string', ''],
    ['an empty list', []],
    ['null', null],
    ['a boolean', true],
    ['case that differs', ['PLANNERS']],
    ['a value with spaces', [' planners']],
    ['a look-alike (Cyrillic а)', ['plаnners']],
    ['a huge list without a match', Array.from({ length: 100_000 }, (_, i) => `group-${i}`)],
  ];
  it.each(roleClaims)('role claim that is %s → no role', (_what, groups) => {
    const claims: Record<string, unknown> = { ...ana };
    if (groups !== undefined) claims.groups = groups;
    expect(problemOf(MAPPED, claims).code).toBe('no_role');
  });

  it('a huge list with a match at its end still finds it', () => {
    const groups = [...Array.from({ length: 100_000 }, (_, i) => `group-${i}`), 'planners'];
    expect(actorFromClaims(project, MAPPED, { ...ana, groups, 'https://acme.test/region': 'EMEA' }, ISSUER).ok).toBe(true);
  });

  it('never reads inherited properties: __proto__, constructor, toString as claims', () => {
    const proto: ClaimsMapping = { ...BY_NAME, role: { claim: '__proto__' }, attributes: { region: 'constructor' } };
    expect(problemOf(proto, { ...ana }).code).toBe('no_role');
    expect(problemOf({ ...BY_NAME, role: { claim: 'toString' } }, { ...ana }).code).toBe('no_role');
    const parsed: unknown = JSON.parse('{"sub":"s","__proto__":["planner"],"constructor":"EMEA"}');
    const r = actorFromClaims(project, proto, parsed, ISSUER);
    expect(r.ok && r.actor).toEqual({ user: `${ISSUER}#s`, role: 'planner', attributes: { region: 'EMEA' } });
    expect(problemOf(BY_NAME, JSON.parse('{"sub":"s","roles":["hasOwnProperty","__proto__"]}')).code).toBe('no_role');
  });

  const subjects: [string, unknown][] = [
    ['missing', undefined],
    ['a number', 12345],
    ['a list', ['00u1']],
    ['an object', { id: '00u1' }],
    ['empty', ''],
    ['longer than 255 characters', 's'.repeat(256)],
    ['holding a NUL', 'a\u0000b'],
    ['holding a lone surrogate', 'a\udc00'],
  ];
  it.each(subjects)('sub that is %s → no subject', (_what, sub) => {
    const claims: Record<string, unknown> = { groups: ['planning-admins'] };
    if (sub !== undefined) claims.sub = sub;
    expect(problemOf(MAPPED, claims).code).toBe('no_subject');
  });

  it.each([undefined, null, 'sub', 42, ['planners'], []])('claims that are not an object (%j) → no subject', (claims) => {
    expect(problemOf(MAPPED, claims).code).toBe('no_subject');
  });

  const regions: [string, unknown][] = [
    ['missing', undefined],
    ['empty', ''],
    ['a number', 44],
    ['a list of one text', ['EMEA']],
    ['an object', { name: 'EMEA' }],
  ];
  it.each(regions)('a planner whose region claim is %s → the missing attribute, naming the table', (_what, region) => {
    const claims: Record<string, unknown> = { ...ana, groups: ['planners'] };
    if (region !== undefined) claims['https://acme.test/region'] = region;
    expect(problemOf(MAPPED, claims)).toMatchObject({ code: 'missing_attribute', role: 'planner', attribute: 'region', tables: ['forecast'] });
  });

  it('an attribute holding a NUL is refused by the identity rule', () => {
    expect(problemOf(MAPPED, { ...ana, groups: ['planners'], 'https://acme.test/region': 'EM\u0000EA' })).toMatchObject({ code: 'bad_identity' });
  });
});

describe('describeNoRole: the text of the problem page', () => {
  it('names who is signed in, the claim and its values, and what gives which role', () => {
    expect(describeNoRole(problemOf(MAPPED, { ...ana, groups: ['everyone', 'sales'] }))).toEqual([
      `You have no role in this planning project: the claim 'groups' held "everyone", "sales", and none of it gives a role.`,
      'You are signed in as Ana Lopez <ana@acme.test> (subject "00u1", issuer https://login.acme.test).',
      `A role comes from the claim 'groups' holding one of: "planning-admins" gives the role finance; "planners" gives the role planner.`,
      'Ask your administrator to give you one of these in the identity provider, or to map yours in project.yml (auth.claims.role).',
    ]);
  });

  it('says when the claim was not sent, and lists declared roles without a map', () => {
    const lines = describeNoRole(problemOf(BY_NAME, { sub: '00u1' }));
    expect(lines[0]).toBe(`You have no role in this planning project: your identity provider did not send the claim 'roles', and none of it gives a role.`);
    expect(lines[1]).toBe('You are signed in as (subject "00u1", issuer https://login.acme.test).');
    expect(lines[2]).toBe(`A role comes from the claim 'roles' holding a role's name: "planner", "finance".`);
  });

  it('bounds what it shows: 20 values, each cut to 80 characters, control characters escaped', () => {
    const groups = [`${'x'.repeat(500)}`, 'line\nbreak<script>', 7, { a: 1 }, ...Array.from({ length: 1000 }, (_, i) => `g${i}`)];
    const problem = problemOf(MAPPED, { ...ana, groups });
    expect(problem.code === 'no_role' && problem.seen.values.length).toBe(20);
    const first = describeNoRole(problem)[0]!;
    expect(first).toContain(`"${'x'.repeat(80)}"…, "line\\nbreak<script>", 7 (a number), (an object), "g0"`);
    expect(first).toContain('"g15" and 984 more, and none of it gives a role.');
    expect(first.length).toBeLessThan(2000);
    expect(first).not.toContain('\n');
  });

  it('escapes line breaks and bidirectional overrides in what it shows', () => {
    const lines = describeNoRole(problemOf(MAPPED, { sub: 'a\u202eb\nc', groups: ['x\u2028y', 'p\u202e\u2066q', 'e\u0085'] }));
    expect(lines[0]).toContain('"x\\u2028y", "p\\u202e\\u2066q", "e\\u0085"');
    expect(lines[1]).toBe('You are signed in as (subject "a\\u202eb\\nc", issuer https://login.acme.test).');
    expect(lines.join('')).not.toMatch(/[\u0000-\u001f\u0085\u2028\u202e\u2066]/);
  });

  it('names the missing attribute, its claim and the tables whose row filter needs it', () => {
    expect(describeNoRole(problemOf(MAPPED, { ...ana, groups: ['planners'], 'https://acme.test/region': ['EMEA'] }))).toEqual([
      `Your role planner needs the attribute 'region' (the row filter of forecast), and the claim 'https://acme.test/region' held (a list), which is not a non-empty text.`,
      'You are signed in as Ana Lopez <ana@acme.test> (subject "00u1", issuer https://login.acme.test).',
      'Without it you would see no rows of forecast.',
      `Ask your administrator to set 'https://acme.test/region' for you in the identity provider (project.yml: auth.claims.attributes.region).`,
    ]);
  });

  it('says when the subject is missing', () => {
    expect(describeNoRole(problemOf(MAPPED, { name: 'Ana', sub: 12 })).slice(0, 3)).toEqual([
      `Your identity provider did not say who you are: the claim 'sub' must be a non-empty text of at most 255 characters.`,
      'You are signed in as Ana (issuer https://login.acme.test).',
      `The claim 'sub' held 12 (a number).`,
    ]);
  });
});
