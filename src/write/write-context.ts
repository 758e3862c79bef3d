import type { Adapter } from '../adapters/adapter.js';
import type { Project } from '../ir/types.js';
import type { SqlNames } from '../managed/sql-names.js';

/** What every part of the write path needs: the project, its names on the target, and the read connection. */
export interface WriteContext {
  project: Project;
  targetName: string;
  names: SqlNames;
  /** Separate connection for validation lookups and reads (never inside a write transaction). */
  reader: Adapter;
  /** Largest batch accepted (more → `payload_too_large`). */
  maxBatchRows: number;
}
