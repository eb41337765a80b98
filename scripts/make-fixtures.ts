/**
 * Writes fixtures/modules.json: inputs, the reference's outputs, and central finite-difference
 * gradients of the reference forward, for the five functions students write (Q3.2).
 *
 *   npm run make-fixtures          (rewrites the file)
 *
 * The test suite checks that the committed file equals what this script produces, and that the
 * reference itself agrees with numpy (test/numpy-modules.test.ts), so the fixtures are as good
 * as numpy's answers.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as np from '../reference/np';
import { dropout, linear_layer, relu } from '../reference/dnn_misc';
import { encodeArray, WireArray } from '../grader/child/grader_wire';
import { FINITE_DIFFERENCE_STEP } from '../grader/tolerances';
import type { Q32Function } from '../grader/rubric';

export type Tier = 'core' | 'edge';

export interface FixtureCall {
  inputs: Record<string, WireArray>;
  expected: Record<string, WireArray>;
  /** Finite-difference gradients of the reference forward (backward functions only). */
  numerical?: Record<string, WireArray>;
}

export interface FixtureCase {
  id: string;
  fn: Q32Function;
  /** core: a function failing it scores 0; edge: it costs the function's edge points. */
  tier: Tier;
  /** What the case is about, in words a student reads. */
  label: string;
  seed: number;
  ctor: number[];
  params?: Record<string, WireArray>;
  calls: FixtureCall[];
}

export interface ModuleFixtures {
  description: string;
  cases: FixtureCase[];
}

const wire = (a: np.NDArray): WireArray => encodeArray(a.shape, a.data);

/** dL/dv for L = f() by central differences, perturbing v's elements in place. */
function numericalGradient(f: () => number, v: np.NDArray): np.NDArray {
  const h = FINITE_DIFFERENCE_STEP;
  const out = np.zeros(v.shape);
  for (let i = 0; i < v.size; i++) {
    const saved = v.data[i];
    v.data[i] = saved + h;
    const plus = f();
    v.data[i] = saved - h;
    const minus = f();
    v.data[i] = saved;
    out.data[i] = (plus - minus) / (2 * h);
  }
  return out;
}

/** L = sum(out * G), whose gradient with respect to out is G. */
const weightedSum = (out: np.NDArray, G: np.NDArray): number => np.sum(np.multiply(out, G)).data[0];

/** Normal values with some exact zeros, negative zeros and tiny values at the relu kink. */
function withKinks(shape: number[]): np.NDArray {
  const X = np.random.normal(0, 1, shape);
  const specials = [0, -0, 0, 1e-300, -1e-300];
  for (let i = 0; i < specials.length && i * 3 < X.size; i++) X.data[i * 3] = specials[i];
  return X;
}

function linearCase(
  fn: Q32Function,
  tier: Tier,
  label: string,
  seed: number,
  batches: number[],
  D: number,
  M: number,
): FixtureCase {
  np.random.seed(seed);
  const layer = new linear_layer(D, M);
  const params = { W: wire(layer.params.W), b: wire(layer.params.b) };
  const calls = batches.map((N): FixtureCall => {
    const X = np.random.normal(0, 1, [N, D]);
    if (fn === 'linear_layer.forward') {
      return { inputs: { X: wire(X) }, expected: { out: wire(layer.forward(X)) } };
    }
    const grad = np.random.normal(0, 1, [N, M]);
    layer.forward(X);
    const dX = layer.backward(X, grad);
    const loss = (): number => weightedSum(layer.forward(X), grad);
    return {
      inputs: { X: wire(X), grad: wire(grad) },
      expected: { dX: wire(dX), dW: wire(layer.gradient.W), db: wire(layer.gradient.b) },
      numerical: {
        dX: wire(numericalGradient(loss, X)),
        dW: wire(numericalGradient(loss, layer.params.W)),
        db: wire(numericalGradient(loss, layer.params.b)),
      },
    };
  });
  const id = `${fn}/${label.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`;
  return { id, fn, tier, label, seed, ctor: [D, M], params, calls };
}

function reluCase(
  fn: Q32Function,
  tier: Tier,
  label: string,
  seed: number,
  shapes: number[][],
  kinks = false,
): FixtureCase {
  np.random.seed(seed);
  const layer = new relu();
  const calls = shapes.map((shape): FixtureCall => {
    const X = kinks ? withKinks(shape) : np.random.normal(0, 1, shape);
    if (fn === 'relu.forward') {
      return { inputs: { X: wire(X) }, expected: { out: wire(layer.forward(X)) } };
    }
    const grad = np.random.normal(0, 1, shape);
    const dX = layer.backward(X, grad);
    // Finite differences are meaningless within a step of the kink: those entries use the
    // derivative the homework defines (0 at X <= 0), which the value fixture checks exactly.
    const numerical = numericalGradient(() => weightedSum(layer.forward(X), grad), X);
    for (let i = 0; i < X.size; i++) {
      if (Math.abs(X.data[i]) <= FINITE_DIFFERENCE_STEP) numerical.data[i] = dX.data[i];
    }
    return {
      inputs: { X: wire(X), grad: wire(grad) },
      expected: { dX: wire(dX) },
      numerical: { dX: wire(numerical) },
    };
  });
  const id = `${fn}/${label.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`;
  return { id, fn, tier, label, seed, ctor: [], calls };
}

function dropoutCase(
  tier: Tier,
  label: string,
  seed: number,
  r: number,
  shapes: number[][],
): FixtureCase {
  // Inputs come from a generator of their own, so that the global one, seeded with `seed`,
  // draws the masks exactly as in the child, which seeds it the same way.
  const inputs = new np.random.RandomState(seed + 1000);
  const layer = new dropout(r);
  const xs = shapes.map((shape) => ({
    X: inputs.normal(0, 1, shape),
    grad: inputs.normal(0, 1, shape),
  }));
  np.random.seed(seed);
  const calls = xs.map(({ X, grad }): FixtureCall => {
    layer.forward(X, true);
    const mask = layer.mask!;
    const dX = layer.backward(X, grad);
    const numerical = numericalGradient(() => weightedSum(np.multiply(X, mask), grad), X);
    return {
      inputs: { X: wire(X), grad: wire(grad) },
      expected: { dX: wire(dX), mask: wire(mask) },
      numerical: { dX: wire(numerical) },
    };
  });
  const id = `dropout.backward/${label.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`;
  return { id, fn: 'dropout.backward', tier, label, seed, ctor: [r], calls };
}

export function makeModuleFixtures(): ModuleFixtures {
  const cases: FixtureCase[] = [];
  for (const fn of ['linear_layer.forward', 'linear_layer.backward'] as const) {
    cases.push(
      linearCase(fn, 'core', 'batch of 4, D=5, M=3', 11, [4], 5, 3),
      linearCase(fn, 'core', 'batch of 7, D=11, M=6 (odd sizes)', 12, [7], 11, 6),
      linearCase(fn, 'core', 'batch of 3, D=20, M=13', 13, [3], 20, 13),
      linearCase(fn, 'edge', 'batch of 1, D=3, M=2', 14, [1], 3, 2),
      // Two calls on one layer: nothing of the first may leak into the second.
      linearCase(
        fn,
        fn.endsWith('backward') ? 'core' : 'edge',
        'two calls on one layer (batches of 5 and 2)',
        15,
        [5, 2],
        6,
        4,
      ),
    );
  }
  for (const fn of ['relu.forward', 'relu.backward'] as const) {
    cases.push(
      reluCase(fn, 'core', 'shape [4, 6]', 21, [[4, 6]]),
      reluCase(fn, 'core', 'shape [5, 3]', 22, [[5, 3]]),
      reluCase(
        fn,
        'edge',
        'shape [4, 6] with zeros, -0 and +-1e-300 at the kink',
        25,
        [[4, 6]],
        true,
      ),
      reluCase(fn, 'edge', '4-D shape [2, 3, 4, 4]', 23, [[2, 3, 4, 4]]),
      reluCase(fn, 'edge', 'two calls on one module ([3, 4], then [2, 5])', 24, [
        [3, 4],
        [2, 5],
      ]),
    );
  }
  cases.push(
    dropoutCase('core', 'rate 0.5, shape [4, 6]', 31, 0.5, [[4, 6]]),
    dropoutCase('core', 'rate 0.95, shape [8, 10]', 32, 0.95, [[8, 10]]),
    dropoutCase('core', 'rate 0.2, shape [6, 5]', 33, 0.2, [[6, 5]]),
    dropoutCase('edge', '4-D shape [2, 3, 4, 4], rate 0.5', 34, 0.5, [[2, 3, 4, 4]]),
    dropoutCase('edge', 'two forward/backward rounds on one module, rate 0.5', 35, 0.5, [
      [3, 4],
      [3, 4],
    ]),
  );
  return {
    description:
      'Q3.2 value fixtures generated by scripts/make-fixtures.ts from the reference: inputs, ' +
      'expected outputs, and finite-difference gradients of the reference forward.',
    cases,
  };
}

export const MODULE_FIXTURES_FILE = path.join(__dirname, '..', 'fixtures', 'modules.json');

export function renderModuleFixtures(): string {
  return JSON.stringify(makeModuleFixtures()) + '\n';
}

if (require.main === module) {
  fs.mkdirSync(path.dirname(MODULE_FIXTURES_FILE), { recursive: true });
  fs.writeFileSync(MODULE_FIXTURES_FILE, renderModuleFixtures());
  console.log(`wrote ${path.relative(process.cwd(), MODULE_FIXTURES_FILE)}`);
}
