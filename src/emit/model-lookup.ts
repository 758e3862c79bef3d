import type { Model, Project } from '../ir/types.js';

/** Per models array: name → model (rebuilt if the array's length changed). */
const INDEX = new WeakMap<readonly Model[], { length: number; byName: Map<string, Model> }>();

/**
 * The project's model named `name`, through an index built once per `project.models` array
 * (a linear search per `ref()` made rendering N models O(N²)).
 */
export function findModel(project: Pick<Project, 'models'>, name: string): Model | undefined {
  let index = INDEX.get(project.models);
  if (!index || index.length !== project.models.length) {
    index = { length: project.models.length, byName: new Map() };
    // the first model of a name wins, as with Array.find
    for (const m of project.models) if (!index.byName.has(m.name)) index.byName.set(m.name, m);
    INDEX.set(project.models, index);
  }
  return index.byName.get(name);
}
