import type { InputTable } from '../ir/types.js';
import type { Actor } from './actor.js';
import type { WriteError } from '../rules/outcome.js';

/** What an actor wants to do with an input table. */
export type Permission = 'read' | 'write' | 'delete' | 'approve';

/** True when the actor is an administrator (no role: CLI, warehouse credentials). */
export function isAdmin(actor: Actor | undefined): boolean {
  return actor === undefined || actor.role === undefined;
}

/** `forbidden` when the actor's role may not `what` on `input`; undefined when allowed. */
export function checkPermission(input: InputTable, actor: Actor | undefined, what: Permission): WriteError | undefined {
  if (isAdmin(actor)) return undefined;
  const role = actor!.role!;
  const grant = Object.hasOwn(input.permissions, role) ? input.permissions[role] : undefined;
  if (grant?.[what]) return undefined;
  return {
    code: 'forbidden',
    message: `role '${role}' may not ${what} ${input.name}${grant ? '' : ' (the table grants it nothing)'}`,
    details: [],
  };
}
