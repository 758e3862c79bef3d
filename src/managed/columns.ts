import type { SystemType } from '../dialects/dialect.js';
import type { ColumnType } from '../ir/types.js';

export type { SystemType };

/** One column of a managed table: a user column's type, or a system type. */
export interface ManagedColumn {
  name: string;
  type: ColumnType | { kind: 'system'; type: SystemType };
  nullable: boolean;
  description: string;
}

/** A shared managed table in the inputs schema (`_wb_*`), created by the plan like any other. */
export interface MetaTable {
  name: string;
  columns: ManagedColumn[];
  /** Unique key of the table (a primary key where the dialect has them); absent = none. */
  primaryKey?: string[];
  description: string;
  /** Views read its rows (merge views per scenario, `<t>__pending`): a read-only copy of the views, such as the BI snapshot, needs them. */
  readByViews?: true;
}

/** A system column. */
export function systemColumn(name: string, type: SystemType, nullable: boolean, description: string): ManagedColumn {
  return { name, type: { kind: 'system', type }, nullable, description };
}
