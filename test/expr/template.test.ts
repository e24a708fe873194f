import { describe, expect, it } from 'vitest';
import {
  compileExpression,
  createEnvironment,
  evaluateExpression,
  interpolate,
  needsRun,
  toCel,
} from '../../lib/expr/index.js';

const scope = {
  registry: 'r.example',
  matrix: { node: 20 },
  item: { name: 'api' },
  services: [{ name: 'api' }],
  env: {},
  profile: 'dev',
};

describe('interpolate', () => {
  it('substitutes what is known at plan time', () => {
    expect(interpolate('${{ registry }}/${{ item.name }}:v${{ matrix.node }}', scope).value).toBe(
      'r.example/api:v20',
    );
  });

  it('gives the value itself when the string is one expression', () => {
    expect(interpolate('${{ services }}', scope).value).toEqual([{ name: 'api' }]);
  });

  it('keeps run-time expressions (github.*, hashFiles) for the run', () => {
    const result = interpolate('${{ item.name }}:${{ github.sha }}-${{ hashFiles("a") }}', scope);
    expect(result.value).toBe('api:${{ github.sha }}-${{ hashFiles("a") }}');
    expect(result.deferred.map((e) => e.source)).toEqual(['github.sha', 'hashFiles("a")']);
  });
});

describe('compileExpression', () => {
  it('records the matrix dimensions an expression reads', () => {
    expect([...compileExpression('matrix.os + string(matrix.node)').matrixKeys]).toEqual(['os', 'node']);
  });

  it('names the unknown variable and suggests the close one', () => {
    expect(() => compileExpression('regstry')).toThrow('Unknown variable: regstry; did you mean registry?');
  });

  it('treats github and hashFiles as run-time only', () => {
    expect(needsRun(compileExpression("github.ref == 'refs/heads/main'"))).toBe(true);
    expect(needsRun(compileExpression("hashFiles('x') != ''"))).toBe(true);
    expect(needsRun(compileExpression('profile == "prod"'))).toBe(false);
  });

  it('evaluates hashFiles with the implementation it is given', () => {
    const env = createEnvironment((patterns) => `hash(${patterns.join('|')})`);
    expect(evaluateExpression(compileExpression("hashFiles('a', 'b')"), {}, env)).toBe('hash(a|b)');
  });
});

describe('toCel', () => {
  it('turns whole numbers into CEL ints and keeps a __proto__ key as data', () => {
    const parsed = JSON.parse('{"n": 2, "x": 1.5, "__proto__": {"polluted": true}, "list": [3]}');
    const converted = toCel(parsed) as Record<string, unknown>;
    expect(converted.n).toBe(2n);
    expect(converted.x).toBe(1.5);
    expect(converted.list).toEqual([3n]);
    expect(Object.getPrototypeOf(converted)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(converted, '__proto__')?.value).toEqual({ polluted: true });
    expect((converted as { polluted?: boolean }).polluted).toBeUndefined();
  });
});
