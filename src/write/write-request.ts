import type { InputTable } from '../project/types.js';
import type { ParsedRow } from './row-schema.js';
import type { Actor, WriteError, WriteResult } from './types.js';
import type { Canonical } from './wire-values.js';

/** A validated request waiting in a table's queue. */
export interface PreparedRequest {
  /** `reset` (issue 5): remove a scenario's override of the keys, so they follow the parent again. */
  op: 'upsert' | 'delete' | 'reset';
  input: InputTable;
  scenario: string;
  actor: Actor;
  comment: string | null;
  requestId: string | null;
  /** sha256 of the canonical request, when it has a request id. */
  payloadHash: string | null;
  dryRun: boolean;
  rows: ParsedRow[];
  /** Canonical key tuple of each row. */
  keys: Canonical[][];
  /**
   * Scenario writes (issue 5): each key's row as seen through the scenario's parent chain
   * (read before the transaction), keyed by `stateKey(scenario, key)`; a delete in a scenario
   * of a scenario hides a key that only an ancestor has.
   */
  inherited?: Map<string, CurrentRow>;
}

/** The current state of one (scenario, key), as read in the write transaction or left by an earlier request of the group. */
export interface CurrentRow {
  version: number;
  deleted: boolean;
  /** Canonical user values in `input.columns` order. */
  values: Canonical[];
  /** `|a|b|` of the columns set on the row (null when none). */
  setColumns: string | null;
  updatedBy: string;
  updatedAtMs: number;
}

/** Map key of a (scenario, key tuple). */
export function stateKey(scenario: string, key: Canonical[]): string {
  return JSON.stringify([scenario, ...key]);
}

/** Build a failure value. */
export function failure(code: WriteError['code'], message: string, details: WriteError['details'] = []): { ok: false; error: WriteError } {
  return { ok: false, error: { code, message, details } };
}

/** A rejected result. */
export type Rejected = Extract<WriteResult, { ok: false }>;
