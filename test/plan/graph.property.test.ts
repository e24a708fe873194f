import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { criticalPath, findCycle, levelsOf, topologicalOrder } from '../../lib/plan/index.js';

// A random DAG: node i may depend only on nodes j < i, so it is acyclic by construction.
const dag = fc.integer({ min: 1, max: 40 }).chain((n) =>
  fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: n * 3 }).map((pairs) => {
    const ids = Array.from({ length: n }, (_, i) => `n${i}`);
    const deps = new Map(ids.map((id) => [id, new Set<string>()]));
    for (const [a, b] of pairs) if (a !== b) deps.get(ids[Math.max(a, b)])?.add(ids[Math.min(a, b)]);
    // Shuffle the listing order so the algorithms cannot rely on it.
    const listed = [...ids].sort((x, y) => (hash(x) % 7) - (hash(y) % 7) || x.localeCompare(y));
    return { ids: listed, depsOf: (id: string) => [...(deps.get(id) ?? [])] };
  }),
);

function hash(s: string): number {
  return [...s].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
}

describe('graph algorithms on random DAGs', () => {
  it('order lists every node once and respects every edge', () => {
    fc.assert(
      fc.property(dag, ({ ids, depsOf }) => {
        const order = topologicalOrder(ids, depsOf);
        expect([...order].sort()).toEqual([...ids].sort());
        const position = new Map(order.map((id, i) => [id, i]));
        for (const id of ids)
          for (const dep of depsOf(id)) expect(position.get(dep)).toBeLessThan(position.get(id) ?? -1);
      }),
    );
  });

  it('finds no cycle in a DAG', () => {
    fc.assert(fc.property(dag, ({ ids, depsOf }) => findCycle(ids, depsOf) === undefined));
  });

  it('finds a real cycle as soon as one back edge is added', () => {
    fc.assert(
      fc.property(dag, fc.nat(), ({ ids, depsOf }, pick) => {
        const order = topologicalOrder(ids, depsOf);
        const withDeps = order.filter((id) => depsOf(id).length > 0);
        fc.pre(withDeps.length > 0);
        const late = withDeps[pick % withDeps.length];
        const early = depsOf(late)[0];
        const back = (id: string) => (id === early ? [...depsOf(id), late] : depsOf(id));
        const cycle = findCycle(ids, back);
        expect(cycle).toBeDefined();
        const path = cycle ?? [];
        expect(path[0]).toBe(path[path.length - 1]);
        for (let i = 0; i + 1 < path.length; i++) expect(back(path[i])).toContain(path[i + 1]);
      }),
    );
  });

  it('places each node one level below its deepest dependency', () => {
    fc.assert(
      fc.property(dag, ({ ids, depsOf }) => {
        const levels = levelsOf(topologicalOrder(ids, depsOf), depsOf);
        const level = new Map(levels.flatMap((l, i) => l.map((id) => [id, i] as const)));
        for (const id of ids) {
          const deps = depsOf(id);
          expect(level.get(id)).toBe(deps.length ? Math.max(...deps.map((d) => level.get(d) ?? 0)) + 1 : 0);
        }
      }),
    );
  });

  it('gives a critical path that is a dependency chain as long as the number of levels', () => {
    fc.assert(
      fc.property(dag, ({ ids, depsOf }) => {
        const order = topologicalOrder(ids, depsOf);
        const path = criticalPath(order, depsOf);
        expect(path.length).toBe(levelsOf(order, depsOf).length);
        for (let i = 1; i < path.length; i++) expect(depsOf(path[i])).toContain(path[i - 1]);
      }),
    );
  });

  it('is deterministic: the same graph gives the same order', () => {
    fc.assert(
      fc.property(dag, ({ ids, depsOf }) => {
        expect(topologicalOrder(ids, depsOf)).toEqual(topologicalOrder(ids, depsOf));
      }),
    );
  });
});
