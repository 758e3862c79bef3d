import type { Actor } from '../auth/actor.js';
import { checkPermission } from '../auth/permissions.js';
import type { Model, Project, Relation } from '../ir/types.js';
import { inputsOfModel } from './model-filter.js';

/** Which input columns a model shows in place of (or beside) its base relation's columns. */
export interface ModelInputUse {
  input: string;
  /** input column → base column it is joined on. */
  on: Record<string, string>;
  /** The input's columns the model shows. */
  columns: string[];
  /** `override`: each listed column replaces the base column of the same name where the input set it (`_overridden` names them per row). */
  overrides: boolean;
}

/** A model as the planner pages describe it. */
export interface ModelInfo {
  name: string;
  description?: string;
  kind: Model['body']['kind'];
  /** The base relation (`crm.accounts`, or a model's name); absent for SQL models. */
  from?: string;
  /** Every input table the model reads, directly or through upstream models. */
  inputs: string[];
  /** How a structured model uses its direct inputs (none for SQL models). */
  uses: ModelInputUse[];
  /** An input it reads has scenarios: the model can be read per scenario. */
  scenarios: boolean;
}

function relationName(r: Relation): string {
  return r.kind === 'source' ? `${r.source}.${r.table}` : r.model;
}

function usesOf(model: Model): ModelInputUse[] {
  const b = model.body;
  if (b.kind === 'enrich') return b.joins.map((j) => ({ input: j.input, on: j.on, columns: j.columns, overrides: false }));
  if (b.kind === 'override') return [{ input: b.input, on: b.on, columns: b.columns, overrides: true }];
  if (b.kind === 'append') return [{ input: b.input, on: {}, columns: b.columns, overrides: false }];
  return [];
}

/** The models `actor` may read (read on every input each includes, as a model read requires; absent actor = administrator), in declaration order. */
export function listModels(project: Project, actor: Actor | undefined): ModelInfo[] {
  return project.models.flatMap((m) => {
    const inputs = inputsOfModel(project, m);
    if (inputs.some((i) => checkPermission(i, actor, 'read'))) return [];
    return [{
      name: m.name,
      ...(m.description !== undefined ? { description: m.description.trim() } : {}),
      kind: m.body.kind,
      ...(m.body.kind !== 'sql' ? { from: relationName(m.body.from) } : {}),
      inputs: inputs.map((i) => i.name),
      uses: usesOf(m),
      scenarios: inputs.some((i) => i.scenarios),
    }];
  });
}
