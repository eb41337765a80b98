/**
 * The reference modules (reference/dnn_misc.ts) against a direct numpy implementation of
 * HOMEWORK.md, from test/fixtures/numpy/modules.json, written by tools/numpy/make_fixtures.py
 * (run it with Python and numpy only to change the fixture; this test never needs Python).
 * The conv_layer and max_pool expectations come from plain loops over windows, not from im2col,
 * so they check the im2col code rather than repeat it.
 *
 * modules.json (every array is { shape: number[], data: number[] }, data flat and row-major,
 * every float numpy's exact double):
 *   {
 *     generator, numpy_version, about: string,
 *     linear_layer: [{ name, seed, X, W, b, grad, forward, backward, grad_W, grad_b }],
 *       // seed(seed); X = normal(0, 1, [N, D]); then linear_layer(D, M) draws W and b.
 *       // The first case is the acceptance case (seed 123, N=5, D=3, M=2).
 *     relu: [{ name, X, grad, forward, backward }],           // X holds 0 and -0.0
 *     dropout: [{ name, seed, rate, X, grad, mask, forward_train, backward,
 *                 next_random_sample }],                      // seed(seed) right before forward
 *     softmax_cross_entropy: [{ name, X, Y, forward: number, backward }],   // Y: [N, 1] labels
 *     max_pool: [{ name, max_len, stride, X, grad, forward, backward }],
 *     conv_layer: [{ name, seed, num_input, num_output, filter_len, stride, X, W, b, grad,
 *                    forward, backward, grad_W, grad_b }]     // seed(seed) right before the
 *   }                                                         // constructor draws W then b
 *
 * What "equal" means (the TOLERANCES table is the one place this is decided):
 * - parameters drawn after a seed, dropout masks: bit for bit (numpy's generator);
 * - relu, max_pool forward: the same values (a -0 and a +0 count as equal: HOMEWORK.md fixes
 *   the value of relu's output and gradient, not the sign of a zero);
 * - anything that sums (matmul, convolution, softmax, pooled gradients): within 1e-12 of the
 *   largest magnitude in the expected array, as the order of the additions may differ.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as np from '../reference/np';
import {
  conv_layer,
  dropout,
  linear_layer,
  max_pool,
  relu,
  softmax_cross_entropy,
} from '../reference/dnn_misc';

interface Encoded {
  shape: number[];
  data: number[];
}

interface ModulesFixture {
  numpy_version: string;
  linear_layer: {
    name: string;
    seed: number;
    X: Encoded;
    W: Encoded;
    b: Encoded;
    grad: Encoded;
    forward: Encoded;
    backward: Encoded;
    grad_W: Encoded;
    grad_b: Encoded;
  }[];
  relu: { name: string; X: Encoded; grad: Encoded; forward: Encoded; backward: Encoded }[];
  dropout: {
    name: string;
    seed: number;
    rate: number;
    X: Encoded;
    grad: Encoded;
    mask: Encoded;
    forward_train: Encoded;
    backward: Encoded;
    next_random_sample: number;
  }[];
  softmax_cross_entropy: {
    name: string;
    X: Encoded;
    Y: Encoded;
    forward: number;
    backward: Encoded;
  }[];
  max_pool: {
    name: string;
    max_len: number;
    stride: number;
    X: Encoded;
    grad: Encoded;
    forward: Encoded;
    backward: Encoded;
  }[];
  conv_layer: {
    name: string;
    seed: number;
    num_input: number;
    num_output: number;
    filter_len: number;
    stride: number;
    X: Encoded;
    W: Encoded;
    b: Encoded;
    grad: Encoded;
    forward: Encoded;
    backward: Encoded;
    grad_W: Encoded;
    grad_b: Encoded;
  }[];
}

const fixture = JSON.parse(
  fs.readFileSync(path.join(__dirname, 'fixtures', 'numpy', 'modules.json'), 'utf8'),
) as ModulesFixture;

const arr = (e: Encoded): np.NDArray => new np.NDArray(Float64Array.from(e.data), e.shape);

// ---------------------------------------------------------------------------------------------
// Comparison: shape first, then the worst element with got, expected and tolerance.

type Tolerance =
  | { kind: 'bitwise' } // Object.is
  | { kind: 'value' } // ===: -0 equals +0
  | { kind: 'normwise'; rtol: number }; // |got - want| <= rtol * max |want|

const TOLERANCES = {
  generator: { kind: 'bitwise' },
  exact: { kind: 'value' },
  summation: { kind: 'normwise', rtol: 1e-12 },
} as const satisfies Record<string, Tolerance>;

function expectMatch(
  what: string,
  got: np.NDArray | null | undefined,
  want: Encoded,
  tol: Tolerance,
): void {
  if (!(got instanceof np.NDArray)) throw new Error(`${what}: got ${String(got)}, not an NDArray`);
  if (got.shape.length !== want.shape.length || got.shape.some((d, i) => d !== want.shape[i])) {
    throw new Error(
      `${what}: shape [${got.shape.join(', ')}], expected [${want.shape.join(', ')}]`,
    );
  }
  const scale = want.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  let bad = 0;
  let worst = -1;
  let worstErr = -1;
  for (let i = 0; i < want.data.length; i++) {
    const g = got.data[i];
    const w = want.data[i];
    const err = g === w ? 0 : Number.isFinite(g - w) ? Math.abs(g - w) : Infinity;
    const ok =
      tol.kind === 'bitwise'
        ? Object.is(g, w)
        : tol.kind === 'value'
          ? g === w
          : err <= tol.rtol * scale;
    if (!ok) {
      bad++;
      if (err > worstErr || worst < 0) {
        worstErr = err;
        worst = i;
      }
    }
  }
  if (bad > 0) {
    throw new Error(
      `${what}: ${bad} of ${want.data.length} values differ; worst at flat index ${worst}: ` +
        `got ${got.data[worst]}, expected ${want.data[worst]}, tolerance ${JSON.stringify(tol)}` +
        (tol.kind === 'normwise' ? ` x max |expected| ${scale}` : ''),
    );
  }
}

/** softmax_cross_entropy.forward may return a number or a one-element NDArray. */
function scalarOf(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value instanceof np.NDArray && value.size === 1) return value.data[0];
  throw new Error(`expected a number or a one-element NDArray, got ${String(value)}`);
}

// ---------------------------------------------------------------------------------------------

describe(`dnn_misc modules against numpy ${fixture.numpy_version} (modules.json)`, () => {
  describe('linear_layer', () => {
    for (const c of fixture.linear_layer) {
      const [n, d] = c.X.shape;
      const m = c.W.shape[1];

      test(`${c.name}: linear_layer(${d}, ${m}) after seed(${c.seed}) and X = normal(0, 1, [${n}, ${d}]) draws numpy's W then b`, () => {
        np.random.seed(c.seed);
        expectMatch('X', np.random.normal(0, 1, [n, d]), c.X, TOLERANCES.generator);
        const layer = new linear_layer(d, m);
        expectMatch('params.W', layer.params.W, c.W, TOLERANCES.generator);
        expectMatch('params.b', layer.params.b, c.b, TOLERANCES.generator);
      });

      test(`${c.name}: forward X [${n}, ${d}] -> [${n}, ${m}] and backward with given W, b`, () => {
        const layer = new linear_layer(d, m);
        layer.params.W = arr(c.W);
        layer.params.b = arr(c.b);
        const X = arr(c.X);
        expectMatch('forward', layer.forward(X), c.forward, TOLERANCES.summation);
        expectMatch('backward', layer.backward(X, arr(c.grad)), c.backward, TOLERANCES.summation);
        expectMatch('gradient.W', layer.gradient.W, c.grad_W, TOLERANCES.summation);
        expectMatch('gradient.b', layer.gradient.b, c.grad_b, TOLERANCES.summation);
      });
    }
  });

  describe('relu', () => {
    for (const c of fixture.relu) {
      test(`${c.name}: forward max(0, X) and backward grad where X > 0 (0 at 0 and -0.0)`, () => {
        const layer = new relu();
        const X = arr(c.X);
        expectMatch('forward', layer.forward(X), c.forward, TOLERANCES.exact);
        expectMatch('backward', layer.backward(X, arr(c.grad)), c.backward, TOLERANCES.exact);
      });
    }
  });

  describe('dropout', () => {
    for (const c of fixture.dropout) {
      test(`${c.name}: training forward draws numpy's mask, backward multiplies by it`, () => {
        const layer = new dropout(c.rate);
        const X = arr(c.X);
        np.random.seed(c.seed);
        const out = layer.forward(X, true);
        const next = np.random.random_sample().data[0]; // exactly X.size uniforms were drawn
        expectMatch('forward(X, true)', out, c.forward_train, TOLERANCES.generator);
        expectMatch('mask', layer.mask, c.mask, TOLERANCES.generator);
        expectMatch('backward', layer.backward(X, arr(c.grad)), c.backward, TOLERANCES.generator);
        expect(Object.is(next, c.next_random_sample)).toBe(true);
      });

      test(`${c.name}: test-time forward returns X, a mask of ones, and draws nothing`, () => {
        const layer = new dropout(c.rate);
        const X = arr(c.X);
        np.random.seed(c.seed);
        const firstDraw = np.random.random_sample().data[0];
        np.random.seed(c.seed);
        expectMatch('forward(X, false)', layer.forward(X, false), c.X, TOLERANCES.generator);
        expectMatch(
          'mask',
          layer.mask,
          { shape: c.X.shape, data: c.X.data.map(() => 1) },
          TOLERANCES.generator,
        );
        expectMatch('backward', layer.backward(X, arr(c.grad)), c.grad, TOLERANCES.generator);
        expect(Object.is(np.random.random_sample().data[0], firstDraw)).toBe(true);
      });
    }
  });

  describe('softmax_cross_entropy', () => {
    for (const c of fixture.softmax_cross_entropy) {
      test(`${c.name}: forward mean -log softmax(X)[y] and backward -(onehot - softmax) / N`, () => {
        const layer = new softmax_cross_entropy();
        const X = arr(c.X);
        const Y = arr(c.Y);
        const loss = scalarOf(layer.forward(X, Y) as unknown);
        const lossTol = TOLERANCES.summation.rtol * Math.max(Math.abs(c.forward), 1e-300);
        if (!(Math.abs(loss - c.forward) <= lossTol)) {
          throw new Error(`forward: got ${loss}, expected ${c.forward}, tolerance ${lossTol}`);
        }
        expectMatch('backward', layer.backward(X, Y), c.backward, TOLERANCES.summation);
      });
    }
  });

  describe('max_pool', () => {
    for (const c of fixture.max_pool) {
      test(`${c.name}: forward window maxima, backward to the first maximum of each window`, () => {
        const layer = new max_pool(c.max_len, c.stride);
        const X = arr(c.X);
        expectMatch('forward', layer.forward(X), c.forward, TOLERANCES.exact);
        expectMatch('backward', layer.backward(X, arr(c.grad)), c.backward, TOLERANCES.summation);
      });
    }
  });

  describe('conv_layer', () => {
    for (const c of fixture.conv_layer) {
      const ctor = `conv_layer(${c.num_input}, ${c.num_output}, ${c.filter_len}, ${c.stride})`;

      test(`${c.name}: ${ctor} after seed(${c.seed}) draws numpy's W then b`, () => {
        np.random.seed(c.seed);
        const layer = new conv_layer(c.num_input, c.num_output, c.filter_len, c.stride);
        expectMatch('params.W', layer.params.W, c.W, TOLERANCES.generator);
        expectMatch('params.b', layer.params.b, c.b, TOLERANCES.generator);
      });

      test(`${c.name}: forward and backward match a direct convolution`, () => {
        const layer = new conv_layer(c.num_input, c.num_output, c.filter_len, c.stride);
        layer.params.W = arr(c.W);
        layer.params.b = arr(c.b);
        const X = arr(c.X);
        expectMatch('forward', layer.forward(X), c.forward, TOLERANCES.summation);
        expectMatch('backward', layer.backward(X, arr(c.grad)), c.backward, TOLERANCES.summation);
        expectMatch('gradient.W', layer.gradient.W, c.grad_W, TOLERANCES.summation);
        expectMatch('gradient.b', layer.gradient.b, c.grad_b, TOLERANCES.summation);
      });
    }
  });
});
