import type { Reporter } from '../diagnostics/reporter.js';
import type { Model, SourceLocation } from '../ir/types.js';

/**
 * Orders models upstream first (a model comes after every model in its `dependsOn.models`),
 * keeping declaration order where the graph allows. A cycle is reported once as `model-cycle`
 * with the path `a -> b -> c -> a`, located where the model that closes the cycle references
 * the first one (`refLoc(from, to)`, else that model's own location). Models in a cycle are
 * still returned (in declaration order) so that later stages can keep going.
 */
export function orderModels(models: Model[], report: Reporter, refLoc?: (from: string, to: string) => SourceLocation | undefined): Model[] {
  const byName = new Map(models.map((m) => [m.name, m]));
  const state = new Map<string, 'visiting' | 'done'>();
  const ordered: Model[] = [];
  const stack: string[] = [];
  const visit = (m: Model): void => {
    state.set(m.name, 'visiting');
    stack.push(m.name);
    for (const up of m.dependsOn.models) {
      const next = byName.get(up);
      if (!next) continue;
      const s = state.get(up);
      if (s === 'visiting') {
        const cycle = [...stack.slice(stack.indexOf(up)), up];
        const loc = refLoc?.(m.name, up) ?? m.loc;
        report.error('model-cycle', { cycle }, loc);
      } else if (s === undefined) visit(next);
    }
    stack.pop();
    state.set(m.name, 'done');
    ordered.push(m);
  };
  for (const m of models) if (!state.has(m.name)) visit(m);
  return ordered;
}

/** Every model upstream of `name` (transitively), nearest first; `name` itself excluded. */
export function upstreamModels(models: Model[], name: string): string[] {
  const byName = new Map(models.map((m) => [m.name, m]));
  const seen = new Set<string>();
  const queue = [...(byName.get(name)?.dependsOn.models ?? [])];
  while (queue.length > 0) {
    const n = queue.shift();
    if (n === undefined || seen.has(n) || n === name) continue;
    seen.add(n);
    queue.push(...(byName.get(n)?.dependsOn.models ?? []));
  }
  return [...seen];
}

/** Every model downstream of `name` (transitively); `name` itself excluded. */
export function downstreamModels(models: Model[], name: string): string[] {
  const seen = new Set<string>();
  let frontier = [name];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const m of models) {
      if (!seen.has(m.name) && m.name !== name && m.dependsOn.models.some((u) => frontier.includes(u))) {
        seen.add(m.name);
        next.push(m.name);
      }
    }
    frontier = next;
  }
  return [...seen];
}
