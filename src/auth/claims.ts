import type { ClaimsMapping, Project } from '../ir/types.js';
import { textProblem } from '../rules/column-rules.js';
import type { Actor } from './actor.js';
import { type Identity, userIdOf } from './identity.js';
import { attributesNeeded, identityProblem } from './tokens.js';

/** At most this many claim values are shown in a problem; each is cut to `SHOWN_CHARS` characters. */
const SHOWN_VALUES = 20;
const SHOWN_CHARS = 80;
/** Longest subject accepted (OpenID Connect Core §2: at most 255 ASCII characters). */
const MAX_SUBJECT = 255;
/** Name and e-mail longer than this are not kept (they are shown, never compared). */
const MAX_DISPLAY = 256;

/** Who the identity provider says the user is, as far as it could be read (for the problem page). */
export interface SignedInAs {
  subject?: string;
  name?: string;
  email?: string;
  issuer: string;
}

/** What a claim held, shown bounded: up to 20 values, each cut, plus how many were left off. */
export interface ClaimSeen {
  claim: string;
  /** False when the claim was not sent at all. */
  present: boolean;
  /** Each value as shown: a quoted string, or what else it was (`42 (a number)`, `(an object)`). */
  values: string[];
  /** Values not shown. */
  more: number;
}

/**
 * Why a signed-in identity gets no actor, in enough detail for a page that helps the user and their
 * administrator: who they are signed in as, which claim was read and what it held, and what would
 * have worked.
 */
export type NoRole =
  | { code: 'no_subject'; signedInAs: SignedInAs; seen: ClaimSeen }
  | { code: 'no_role'; signedInAs: SignedInAs; seen: ClaimSeen; accepted: { value: string; role: string }[]; mapped: boolean }
  | { code: 'missing_attribute'; signedInAs: SignedInAs; role: string; attribute: string; seen: ClaimSeen; tables: string[] }
  | { code: 'bad_identity'; signedInAs: SignedInAs; message: string };

/** The result of `actorFromClaims`. */
export type ClaimsOutcome =
  | { ok: true; actor: Actor & { role: string; attributes: Record<string, string> }; identity: Identity }
  | { ok: false; problem: NoRole };

/** `claims[name]` when the claims object itself has it (never a value inherited from Object.prototype). */
function own(claims: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(claims, name) ? claims[name] : undefined;
}

/** Control, line-separator and bidirectional-override characters: they would break or disguise a line of text. */
const UNSHOWABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** A display text (name, e-mail): a well-formed string of bounded length without control characters, else nothing. */
function displayText(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '' || value.length > MAX_DISPLAY || textProblem(value)) return undefined;
  return new RegExp(UNSHOWABLE.source).test(value) ? undefined : value;
}

/** A string cut to `SHOWN_CHARS` characters (whole code points), quoted and escaped as JSON (control and bidi characters too). */
function shownString(text: string): string {
  const points = [...text.slice(0, SHOWN_CHARS * 2)];
  const cut = points.length > SHOWN_CHARS || text.length > SHOWN_CHARS * 2;
  const escaped = JSON.stringify(points.slice(0, SHOWN_CHARS).join('')).replace(UNSHOWABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escaped + (cut ? '…' : '');
}

/** One claim value as shown in a problem. */
function shownValue(value: unknown): string {
  if (typeof value === 'string') return shownString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return `${String(value)} (a ${typeof value === 'number' ? 'number' : 'true/false value'})`;
  if (value === null) return 'null';
  if (Array.isArray(value)) return '(a list)';
  return '(an object)';
}

/** What a claim held, bounded for display; a list's values one by one unless `whole` (a claim that must be one text). */
function seenOf(claims: Record<string, unknown>, claim: string, whole = false): ClaimSeen {
  if (!Object.hasOwn(claims, claim)) return { claim, present: false, values: [], more: 0 };
  const value = claims[claim];
  const all = Array.isArray(value) && !whole ? value : [value];
  return { claim, present: true, values: all.slice(0, SHOWN_VALUES).map(shownValue), more: Math.max(0, all.length - SHOWN_VALUES) };
}

/** The strings of a claim that is a string or a list (other values in a list are ignored). */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/**
 * The one rule that turns an identity provider's claims (an id token with userinfo, or a proxy's
 * signed assertion) into who acts. The claims are untrusted in shape: any value may be missing,
 * a number, a list or an object. The user is `<issuer>#<sub>`; the role comes from
 * `mapping.role.claim` (a string or a list of strings) — with a `map`, the first entry in YAML
 * order whose value the claim holds; without, the first role declared in project.yml that the claim holds; each
 * attribute is the string its claim holds (kept only when the role declares the attribute). The
 * role's row filters must find every attribute they read.
 */
export function actorFromClaims(project: Project, mapping: ClaimsMapping, claims: unknown, issuer: string): ClaimsOutcome {
  const bag: Record<string, unknown> = typeof claims === 'object' && claims !== null && !Array.isArray(claims) ? (claims as Record<string, unknown>) : {};
  const signedInAs: SignedInAs = { issuer };
  const name = displayText(own(bag, mapping.name));
  // an address the provider says it did not verify is not shown as the person's
  const email = own(bag, 'email_verified') === false ? undefined : displayText(own(bag, mapping.email));
  if (name !== undefined) signedInAs.name = name;
  if (email !== undefined) signedInAs.email = email;
  const sub = own(bag, 'sub');
  if (typeof sub !== 'string' || sub === '' || sub.length > MAX_SUBJECT || textProblem(sub))
    return { ok: false, problem: { code: 'no_subject', signedInAs, seen: seenOf(bag, 'sub', true) } };
  signedInAs.subject = sub;

  const held = stringsOf(own(bag, mapping.role.claim));
  const heldSet = new Set(held);
  const accepted = mapping.role.map ?? Object.keys(project.roles).map((role) => ({ value: role, role }));
  // in the order project.yml lists them (the map's, or the roles'), never in the order the provider sent the values
  const role = mapping.role.map
    ? mapping.role.map.find((entry) => heldSet.has(entry.value))?.role
    : Object.keys(project.roles).find((name) => heldSet.has(name));
  if (role === undefined || !Object.hasOwn(project.roles, role))
    return {
      ok: false,
      problem: { code: 'no_role', signedInAs, seen: seenOf(bag, mapping.role.claim), accepted, mapped: mapping.role.map !== undefined },
    };

  const declared = project.roles[role]!.attributes;
  const attributes: Record<string, string> = {};
  for (const [attribute, claim] of Object.entries(mapping.attributes)) {
    const value = own(bag, claim);
    if (declared.includes(attribute) && typeof value === 'string' && value !== '') attributes[attribute] = value;
  }
  for (const { attribute, tables } of attributesNeeded(project, role))
    if (!Object.hasOwn(attributes, attribute)) {
      const claim = Object.hasOwn(mapping.attributes, attribute) ? mapping.attributes[attribute]! : attribute;
      return { ok: false, problem: { code: 'missing_attribute', signedInAs, role, attribute, seen: seenOf(bag, claim, true), tables } };
    }

  const identity: Identity = { issuer, subject: sub, ...(name !== undefined ? { name } : {}), ...(email !== undefined ? { email } : {}) };
  const user = userIdOf(identity);
  const problem = identityProblem(project, user, role, attributes);
  if (problem) return { ok: false, problem: { code: 'bad_identity', signedInAs, message: problem.message } };
  return { ok: true, actor: { user, role, attributes }, identity };
}

/** How a user is named on the problem page: `Ana Lopez <ana@acme.com> (subject 00u1, issuer https://…)`. */
function who(s: SignedInAs): string {
  const person = [s.name, s.email !== undefined ? `<${s.email}>` : undefined].filter((p) => p !== undefined).join(' ');
  const ids = [s.subject !== undefined ? `subject ${shownString(s.subject)}` : undefined, `issuer ${s.issuer}`].filter((p) => p !== undefined).join(', ');
  return person === '' ? `(${ids})` : `${person} (${ids})`;
}

/** What a claim held, in words. */
function held(seen: ClaimSeen): string {
  if (!seen.present) return `your identity provider did not send the claim '${seen.claim}'`;
  if (seen.values.length === 0) return `the claim '${seen.claim}' was an empty list`;
  const more = seen.more > 0 ? ` and ${seen.more} more` : '';
  return `the claim '${seen.claim}' held ${seen.values.join(', ')}${more}`;
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * A problem as plain-text lines: the first says what is wrong, the next who the user is signed in
 * as, what the claim held and what would work. The sign-in pages render it (escaped) as HTML; the
 * API sends the first line as its message.
 */
export function describeNoRole(problem: NoRole): string[] {
  const signedIn = `You are signed in as ${who(problem.signedInAs)}.`;
  switch (problem.code) {
    case 'no_subject':
      return [
        'Your identity provider did not say who you are: the claim \'sub\' must be a non-empty text of at most 255 characters.',
        signedIn,
        `${capitalized(held(problem.seen))}.`,
        'Ask your administrator to check the identity provider (or proxy) in front of writeback.',
      ];
    case 'no_role': {
      const shown = problem.accepted.slice(0, SHOWN_VALUES).map((a) => (problem.mapped ? `${shownString(a.value)} gives the role ${a.role}` : shownString(a.value)));
      const more = problem.accepted.length > SHOWN_VALUES ? ` and ${problem.accepted.length - SHOWN_VALUES} more` : '';
      return [
        `You have no role in this planning project: ${held(problem.seen)}, and none of it gives a role.`,
        signedIn,
        shown.length === 0
          ? 'The project declares no roles.'
          : problem.mapped
            ? `A role comes from the claim '${problem.seen.claim}' holding one of: ${shown.join('; ')}${more}.`
            : `A role comes from the claim '${problem.seen.claim}' holding a role's name: ${shown.join(', ')}${more}.`,
        `Ask your administrator to give you one of these in the identity provider, or to map yours in project.yml (auth.claims.role).`,
      ];
    }
    case 'missing_attribute':
      return [
        `Your role ${problem.role} needs the attribute '${problem.attribute}' (the row filter of ${problem.tables.join(', ')}), and ${held(problem.seen)}${problem.seen.present ? ', which is not a non-empty text' : ''}.`,
        signedIn,
        `Without it you would see no rows of ${problem.tables.join(', ')}.`,
        `Ask your administrator to set '${problem.seen.claim}' for you in the identity provider (project.yml: auth.claims.attributes.${problem.attribute}).`,
      ];
    case 'bad_identity':
      return [`Your identity cannot be used here: ${problem.message}.`, signedIn];
  }
}
