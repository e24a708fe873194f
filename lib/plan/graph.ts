// Graph algorithms over string ids. `depsOf(id)` lists the ids `id` depends on (its incoming edges).

export type DepsOf = (id: string) => readonly string[];

/** A dependency cycle as a path that starts and ends on the same id, or undefined when acyclic. */
export function findCycle(ids: readonly string[], depsOf: DepsOf): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    state.set(id, 'open');
    stack.push(id);
    for (const dep of depsOf(id)) {
      const s = state.get(dep);
      if (s === 'open') return [...stack.slice(stack.indexOf(dep)), dep];
      if (s === undefined) {
        const found = visit(dep);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of ids) {
    if (state.has(id)) continue;
    const found = visit(id);
    // Reported in dependency direction: a → b means a depends on b.
    if (found) return found;
  }
  return undefined;
}

/** Kahn's algorithm; among ready ids the one listed first in `ids` goes first, so the order is stable. */
export function topologicalOrder(ids: readonly string[], depsOf: DepsOf): string[] {
  const index = new Map(ids.map((id, i) => [id, i]));
  const waiting = new Map(ids.map((id) => [id, depsOf(id).length]));
  const dependents = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const id of ids) for (const dep of depsOf(id)) dependents.get(dep)?.push(id);
  const ready = new MinHeap((a: string, b: string) => (index.get(a) ?? 0) - (index.get(b) ?? 0));
  for (const id of ids) if (waiting.get(id) === 0) ready.push(id);
  const order: string[] = [];
  while (ready.size > 0) {
    const id = ready.pop();
    order.push(id);
    for (const next of dependents.get(id) ?? []) {
      const left = (waiting.get(next) ?? 0) - 1;
      waiting.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  return order;
}

/** Level of each id: 0 without dependencies, else one more than its deepest dependency. */
export function levelsOf(order: readonly string[], depsOf: DepsOf): string[][] {
  const level = new Map<string, number>();
  const levels: string[][] = [];
  for (const id of order) {
    const l = depsOf(id).reduce((max, dep) => Math.max(max, (level.get(dep) ?? -1) + 1), 0);
    level.set(id, l);
    if (levels[l]) levels[l].push(id);
    else levels[l] = [id];
  }
  return levels;
}

/** The heaviest dependency chain (by `weight`, one per id by default); the first found wins ties. */
export function criticalPath(
  order: readonly string[],
  depsOf: DepsOf,
  weight: (id: string) => number = () => 1,
): string[] {
  const best = new Map<string, { total: number; via?: string }>();
  let end: string | undefined;
  for (const id of order) {
    let via: string | undefined;
    let before = 0;
    for (const dep of depsOf(id)) {
      const total = best.get(dep)?.total ?? 0;
      if (total > before) {
        before = total;
        via = dep;
      }
    }
    const total = before + weight(id);
    best.set(id, { total, via });
    if (end === undefined || total > (best.get(end)?.total ?? 0)) end = id;
  }
  const path: string[] = [];
  for (let id = end; id !== undefined; id = best.get(id)?.via) path.unshift(id);
  return path;
}

class MinHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => number) {}

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    const a = this.items;
    a.push(item);
    for (let i = a.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (this.less(a[i], a[parent]) >= 0) break;
      [a[i], a[parent]] = [a[parent], a[i]];
      i = parent;
    }
  }

  pop(): T {
    const a = this.items;
    const top = a[0];
    const last = a.pop() as T;
    if (a.length > 0) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l], a[m]) < 0) m = l;
        if (r < a.length && this.less(a[r], a[m]) < 0) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }
}
