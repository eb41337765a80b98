/**
 * reference/np.ts against numpy, from fixtures written by tools/numpy/make_fixtures.py (run it
 * with Python and numpy only to change them; this test never needs Python).
 *
 * test/fixtures/numpy/random.json: numpy's legacy global generator, call by call.
 *   {
 *     generator, numpy_version, about: string,
 *     sequences: [{ name: string, calls: Call[] }]   // replayed in order on np.random
 *   }
 *   Call =
 *     | { op: 'seed', seed }                                    // np.random.seed(seed)
 *     | { op: 'normal', loc, scale, shape: number[], out: number[] }
 *     | { op: 'uniform', low, high, shape: number[], out: number[] }
 *     | { op: 'random_sample', shape: number[], out: number[] }
 *     | { op: 'permutation', n, out: number[] }                 // out: integers
 *     | { op: 'permutation_summary', n, head: number[50], tail: number[50],
 *         weighted_sum: sum(i * p[i]), hash31: h = (h * 31 + p[i]) mod 1e9+7 over i }
 *     | { op: 'dropout_mask', r, shape, out }                   // (uniform(0, 1, shape) >= r) / (1 - r)
 *   `out` is flat, row-major; every float is numpy's exact double (Python repr in JSON).
 *
 * test/fixtures/numpy/ops.json: numpy's results for the operations of np.ts.
 *   {
 *     generator, numpy_version, about: string,
 *     inputs: [{ shape: number[], data: number[] }],           // shared by several cases
 *     cases: [{ op, name, args: Arg[], kwargs: {...}, out: { shape, data } }]
 *   }
 *   Arg = number (a scalar) | { input: index into inputs } | { list: number[] } (take's indices)
 *   kwargs: axis, keepdims (reductions); axis (argmax); axes (transpose); signed_zero_ties.
 *
 * What "equal" means (the TOLERANCES table below is the one place this is decided):
 * - the generator: bit for bit (Object.is), since seeded runs must draw numpy's numbers;
 * - element-wise arithmetic and comparisons, transpose, pad, take, where, argmax, max: exactly
 *   (Object.is, so the sign of a zero counts), as IEEE arithmetic determines them;
 * - a maximum of -0 and +0: numpy's sign depends on its SIMD kernels (it returns the second
 *   operand on this machine, while its documentation describes the first), so only the value;
 * - sum, mean, matmul: numpy adds pairwise or through BLAS in another order, so each element
 *   within 1e-12 of the sum of the magnitudes of its terms;
 * - exp, log: neither numpy's SIMD kernels nor V8 are correctly rounded; within 2 ulp.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as np from '../reference/np';

const FIXTURES = path.join(__dirname, 'fixtures', 'numpy');

function readFixture<T>(name: string): T {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8')) as T;
}

// ---------------------------------------------------------------------------------------------
// Comparison: shape first, then the worst element with got, expected and tolerance.

type Tolerance =
  | { kind: 'bitwise' } // Object.is: same double, same sign of zero
  | { kind: 'value' } // ===: -0 equals +0
  | { kind: 'relative'; rtol: number } // |got - want| <= rtol * |want|
  | { kind: 'terms'; rtol: number }; // |got - want| <= rtol * (sum of |terms| of that element)

const TOLERANCES = {
  generator: { kind: 'bitwise' },
  exact: { kind: 'bitwise' },
  signedZeroTies: { kind: 'value' },
  summation: { kind: 'terms', rtol: 1e-12 },
  elementaryFunction: { kind: 'relative', rtol: 2 ** -51 }, // 2 ulp
} as const satisfies Record<string, Tolerance>;

/** The distance in units in the last place between two finite doubles of the same sign. */
function ulpsApart(a: number, b: number): number {
  const view = new DataView(new ArrayBuffer(16));
  view.setFloat64(0, a);
  view.setFloat64(8, b);
  const diff = view.getBigInt64(0) - view.getBigInt64(8);
  return Number(diff < 0n ? -diff : diff);
}

/**
 * Why `got` differs from the expected values, or null when it does not. `scale` gives the sum
 * of the magnitudes of each element's terms, for the 'terms' tolerance.
 */
function mismatch(
  got: { shape: readonly number[]; data: ArrayLike<number> },
  want: { shape: readonly number[]; data: readonly number[] },
  tol: Tolerance,
  scale?: ArrayLike<number>,
): string | null {
  if (got.shape.length !== want.shape.length || got.shape.some((d, i) => d !== want.shape[i])) {
    return `shape [${got.shape.join(', ')}], expected [${want.shape.join(', ')}]`;
  }
  if (got.data.length !== want.data.length) {
    return `${got.data.length} values, expected ${want.data.length}`;
  }
  let bad = 0;
  let worst = -1;
  let worstExcess = -Infinity;
  for (let i = 0; i < want.data.length; i++) {
    const g = got.data[i];
    const w = want.data[i];
    let ok: boolean;
    let excess: number;
    if (tol.kind === 'bitwise' || tol.kind === 'value') {
      ok = tol.kind === 'bitwise' ? Object.is(g, w) : g === w || (g !== g && w !== w);
      excess = ok ? 0 : Number.isFinite(g - w) ? Math.abs(g - w) : Infinity;
    } else {
      const bound = tol.rtol * (tol.kind === 'terms' && scale ? scale[i] : Math.abs(w));
      const err = Math.abs(g - w);
      ok = err <= bound;
      excess = err / bound;
    }
    if (!ok) {
      bad++;
      if (excess > worstExcess) {
        worstExcess = excess;
        worst = i;
      }
    }
  }
  if (bad === 0) return null;
  const g = got.data[worst];
  const w = want.data[worst];
  const ulps = Number.isFinite(g) && Number.isFinite(w) && Math.sign(g) === Math.sign(w);
  return (
    `${bad} of ${want.data.length} values differ; worst at flat index ${worst}: got ${g}, ` +
    `expected ${w}${ulps ? ` (${ulpsApart(g, w)} ulp apart)` : ''}, tolerance ${JSON.stringify(tol)}`
  );
}

function expectMatch(
  got: { shape: readonly number[]; data: ArrayLike<number> },
  want: { shape: readonly number[]; data: readonly number[] },
  tol: Tolerance,
  scale?: ArrayLike<number>,
): void {
  const problem = mismatch(got, want, tol, scale);
  if (problem !== null) throw new Error(problem);
}

// ---------------------------------------------------------------------------------------------
// random.json

type Call =
  | { op: 'seed'; seed: number }
  | { op: 'normal'; loc: number; scale: number; shape: number[]; out: number[] }
  | { op: 'uniform'; low: number; high: number; shape: number[]; out: number[] }
  | { op: 'random_sample'; shape: number[]; out: number[] }
  | { op: 'permutation'; n: number; out: number[] }
  | {
      op: 'permutation_summary';
      n: number;
      head: number[];
      tail: number[];
      weighted_sum: number;
      hash31: number;
    }
  | { op: 'dropout_mask'; r: number; shape: number[]; out: number[] };

interface RandomFixture {
  numpy_version: string;
  sequences: { name: string; calls: Call[] }[];
}

function describeCall(call: Call): string {
  switch (call.op) {
    case 'seed':
      return `seed(${call.seed})`;
    case 'normal':
      return `normal(${call.loc}, ${call.scale}, [${call.shape.join(', ')}])`;
    case 'uniform':
      return `uniform(${call.low}, ${call.high}, [${call.shape.join(', ')}])`;
    case 'random_sample':
      return `random_sample([${call.shape.join(', ')}])`;
    case 'permutation':
    case 'permutation_summary':
      return `permutation(${call.n})`;
    case 'dropout_mask':
      return `dropout mask (uniform(0, 1, [${call.shape.join(', ')}]) >= ${call.r}) / (1 - ${call.r})`;
  }
}

/** Runs one call on np.random; returns what to compare, or null for seed(). */
function replay(call: Call): { got: np.NDArray; want: { shape: number[]; data: number[] } } | null {
  switch (call.op) {
    case 'seed':
      np.random.seed(call.seed);
      return null;
    case 'normal':
      return {
        got: np.random.normal(call.loc, call.scale, call.shape),
        want: { shape: call.shape, data: call.out },
      };
    case 'uniform':
      return {
        got: np.random.uniform(call.low, call.high, call.shape),
        want: { shape: call.shape, data: call.out },
      };
    case 'random_sample':
      return {
        got: np.random.random_sample(call.shape),
        want: { shape: call.shape, data: call.out },
      };
    case 'permutation':
      return { got: np.random.permutation(call.n), want: { shape: [call.n], data: call.out } };
    case 'permutation_summary': {
      const p = np.random.permutation(call.n).data;
      let weighted = 0;
      let hash = 0;
      for (let i = 0; i < p.length; i++) {
        weighted += i * p[i]; // < 2**53 for n = 10000: exact
        hash = (hash * 31 + p[i]) % 1000000007;
      }
      const keep = call.head.length;
      const summary = [...p.subarray(0, keep), ...p.subarray(p.length - keep), weighted, hash];
      return {
        got: np.array(summary),
        want: {
          shape: [summary.length],
          data: [...call.head, ...call.tail, call.weighted_sum, call.hash31],
        },
      };
    }
    case 'dropout_mask': {
      const keep = np.greater_equal(np.random.uniform(0, 1, call.shape), call.r);
      return { got: np.divide(keep, 1 - call.r), want: { shape: call.shape, data: call.out } };
    }
  }
}

const randomFixture = readFixture<RandomFixture>('random.json');

describe(`np.random against numpy ${randomFixture.numpy_version} (random.json)`, () => {
  test('seed(123): the first normal(0, 1) is -1.0856306033005612, as HOMEWORK.md states', () => {
    np.random.seed(123);
    expect(Object.is(np.random.normal(0, 1, [1]).data[0], -1.0856306033005612)).toBe(true);
  });

  for (const sequence of randomFixture.sequences) {
    describe(sequence.name, () => {
      // One replay of the whole sequence; each call is then its own test.
      const results: ({ got: np.NDArray; want: { shape: number[]; data: number[] } } | null)[] = [];
      beforeAll(() => {
        for (const call of sequence.calls) results.push(replay(call));
      });

      sequence.calls.forEach((call, index) => {
        if (call.op === 'seed') return;
        const label =
          call.op === 'permutation_summary'
            ? `call ${index}: ${describeCall(call)}: first/last ${call.head.length}, sum i*p[i], hash`
            : `call ${index}: ${describeCall(call)}`;
        test(`${label} is bit-identical`, () => {
          const result = results[index];
          if (result === null) throw new Error(`call ${index} returned nothing`);
          expectMatch(result.got, result.want, TOLERANCES.generator);
        });
      });
    });
  }
});

// ---------------------------------------------------------------------------------------------
// ops.json

interface Encoded {
  shape: number[];
  data: number[];
}

type Arg = number | { input: number } | { list: number[] };

interface OpCase {
  op: string;
  name: string;
  args: Arg[];
  kwargs: { axis?: number; keepdims?: boolean; axes?: number[]; signed_zero_ties?: boolean };
  out: Encoded;
}

interface OpsFixture {
  numpy_version: string;
  inputs: Encoded[];
  cases: OpCase[];
}

const opsFixture = readFixture<OpsFixture>('ops.json');

function argValue(arg: Arg): np.NDArray | number | number[] {
  if (typeof arg === 'number') return arg;
  if ('list' in arg) return arg.list;
  const input = opsFixture.inputs[arg.input];
  return new np.NDArray(Float64Array.from(input.data), input.shape);
}

const array = (value: np.NDArray | number | number[]): np.NDArray => {
  if (!(value instanceof np.NDArray)) throw new Error('expected an array argument');
  return value;
};
const operand = (value: np.NDArray | number | number[]): np.ArrayLike => {
  if (Array.isArray(value)) throw new Error('expected an array or a number');
  return value;
};

const BINARY: Record<string, (a: np.ArrayLike, b: np.ArrayLike) => np.NDArray> = {
  add: np.add,
  subtract: np.subtract,
  multiply: np.multiply,
  divide: np.divide,
  maximum: np.maximum,
  greater: np.greater,
  greater_equal: np.greater_equal,
};

/** Sum of |terms| per output element of a sum/mean reduction (the rounding scale). */
function reductionScale(a: np.NDArray, axis: number | undefined, keepdims: boolean, mean: boolean) {
  const scale = np.sum(np.abs(a), axis, keepdims);
  return mean
    ? np.divide(scale, axis === undefined ? a.size : a.shape[(axis + a.ndim) % a.ndim])
    : scale;
}

/** Runs one case on np.ts; returns the result, its tolerance and (for sums) its scale. */
function runOp(c: OpCase): { got: np.NDArray; tol: Tolerance; scale?: ArrayLike<number> } {
  const args = c.args.map(argValue);
  const { axis, keepdims = false } = c.kwargs;
  if (c.op in BINARY) {
    const got = BINARY[c.op](operand(args[0]), operand(args[1]));
    return { got, tol: c.kwargs.signed_zero_ties ? TOLERANCES.signedZeroTies : TOLERANCES.exact };
  }
  switch (c.op) {
    case 'matmul': {
      const [a, b] = [array(args[0]), array(args[1])];
      const scale = np.matmul(np.abs(a), np.abs(b)).data;
      return { got: np.matmul(a, b), tol: TOLERANCES.summation, scale };
    }
    case 'transpose':
      return { got: np.transpose(array(args[0]), c.kwargs.axes), tol: TOLERANCES.exact };
    case 'sum':
    case 'mean': {
      const a = array(args[0]);
      const got = c.op === 'sum' ? np.sum(a, axis, keepdims) : np.mean(a, axis, keepdims);
      const scale = reductionScale(a, axis, keepdims, c.op === 'mean').data;
      return { got, tol: TOLERANCES.summation, scale };
    }
    case 'max':
      return { got: np.max(array(args[0]), axis, keepdims), tol: TOLERANCES.exact };
    case 'argmax':
      return { got: np.argmax(array(args[0]), axis), tol: TOLERANCES.exact };
    case 'exp':
      return { got: np.exp(array(args[0])), tol: TOLERANCES.elementaryFunction };
    case 'log':
      return { got: np.log(array(args[0])), tol: TOLERANCES.elementaryFunction };
    case 'pad2d':
      return { got: np.pad2d(array(args[0]), args[1] as number), tol: TOLERANCES.exact };
    case 'where':
      return {
        got: np.where(array(args[0]), operand(args[1]), operand(args[2])),
        tol: TOLERANCES.exact,
      };
    case 'take':
      return { got: np.take(array(args[0]), args[1] as number[]), tol: TOLERANCES.exact };
    default:
      throw new Error(`ops.json: unknown op '${c.op}' in case '${c.name}'`);
  }
}

describe(`np.ts operations against numpy ${opsFixture.numpy_version} (ops.json)`, () => {
  const byOp = new Map<string, OpCase[]>();
  for (const c of opsFixture.cases) byOp.set(c.op, [...(byOp.get(c.op) ?? []), c]);

  for (const [op, cases] of byOp) {
    describe(op, () => {
      test.each(cases.map((c) => [`${op} ${c.name}`, c] as const))('%s', (_label, c) => {
        const { got, tol, scale } = runOp(c);
        expectMatch(got, c.out, tol, scale);
      });
    });
  }
});
