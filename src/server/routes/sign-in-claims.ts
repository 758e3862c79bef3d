import type { ClaimsMapping, Project } from '../../ir/types.js';
import type { Actor } from '../../auth/actor.js';
import { type Identity, userIdOf } from '../../auth/identity.js';
import { attributesNeeded } from '../../auth/tokens.js';

/** Stand-in for src/auth/claims.ts until it lands: the same signature and result shape. */
export type ClaimsOutcome =
  | { ok: true; actor: Actor & { role: string; attributes: Record<string, string> }; identity: Identity }
  | { ok: false; problem: { lines: string[] } };

export function actorFromClaims(project: Project, mapping: ClaimsMapping, claims: Record<string, unknown>, issuer: string): ClaimsOutcome {
  const sub = claims.sub;
  if (typeof sub !== 'string' || sub === '') return { ok: false, problem: { lines: ["Your identity provider did not say who you are (no 'sub')."] } };
  const raw = claims[mapping.role.claim];
  const held = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw.filter((v): v is string => typeof v === 'string') : [];
  const role = mapping.role.map ? mapping.role.map.find((e) => held.includes(e.value))?.role : held.find((v) => Object.hasOwn(project.roles, v));
  if (role === undefined) return { ok: false, problem: { lines: [`You have no role in this planning project: the claim '${mapping.role.claim}' held ${held.join(', ') || 'nothing'}.`] } };
  const attributes: Record<string, string> = {};
  for (const [a, claim] of Object.entries(mapping.attributes)) if (typeof claims[claim] === 'string' && claims[claim] !== '') attributes[a] = claims[claim];
  for (const { attribute, tables } of attributesNeeded(project, role))
    if (!(attribute in attributes)) return { ok: false, problem: { lines: [`Your role ${role} needs the attribute '${attribute}' (the row filter of ${tables.join(', ')}).`] } };
  const name = typeof claims[mapping.name] === 'string' ? (claims[mapping.name] as string) : undefined;
  const email = typeof claims[mapping.email] === 'string' ? (claims[mapping.email] as string) : undefined;
  const identity: Identity = { issuer, subject: sub, ...(name ? { name } : {}), ...(email ? { email } : {}) };
  return { ok: true, actor: { user: userIdOf(identity), role, attributes }, identity };
}

export const describeNoRole = (problem: { lines: string[] }): string[] => problem.lines;
