/**
 * assignment3_dnn_check.ts: a quick self-check of your five Q3.2 functions in dnn_misc.ts.
 *
 * Run: npx tsx assignment3_dnn_check.ts        (--help for the options)
 *
 * Every function gets a small case whose answer is worked out by hand in the comments below.
 * The backward passes are also compared with numerical gradients of the forward pass of the same
 * module: for a fixed random G and the loss L(x) = sum(forward(x) * G), element i of dL/dx is
 * about (L(x + h e_i) - L(x - h e_i)) / 2h, with h = 1e-6 (central differences, float64).
 *
 * Two numbers agree when |got - expected| / max(1e-8, |got| + |expected|) is within the
 * tolerance, element by element. Passing here is a good sign, not a grade: the grader runs more
 * cases.
 *
 * This file is part of the handout and may not be modified.
 */
import * as np from './np';
import { NotImplementedError, dropout, linear_layer, relu } from './dnn_misc';

/** Largest relative error accepted: exact small numbers by hand, and numerical gradients. */
const TOLERANCE = { handCase: 1e-9, gradient: 1e-6 } as const;

/** The step h of the central differences. */
const STEP = 1e-6;

/** Below this, |got| + |expected| counts as this (so that two tiny numbers agree). */
const RELATIVE_FLOOR = 1e-8;

/** A check did not pass; the message says where, with the numbers. */
class CheckFailure extends Error {}

/** One line per comparison with its worst relative error; printed with --verbose. */
let comparisonNotes: string[] = [];

// ---------------------------------------------------------------------------------------------
// Comparing arrays

function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

function unravel(flat: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    index[axis] = flat % shape[axis];
    flat = Math.floor(flat / shape[axis]);
  }
  return index;
}

/** What a function returned, for a message: "undefined", "an array of shape [2, 3]", ... */
function describe(value: unknown): string {
  if (value instanceof np.NDArray) return `an array of shape ${formatShape(value.shape)}`;
  if (value === undefined) return 'undefined (a missing return?)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a plain JavaScript array (build arrays with np)';
  return typeof value === 'object'
    ? 'an object that is not an np array'
    : `the ${typeof value} ${String(value)}`;
}

/** Throws a CheckFailure unless `value` is an np array of the given shape. */
function expectArray(what: string, value: unknown, shape: readonly number[]): np.NDArray {
  const shapeText = formatShape(shape);
  if (!(value instanceof np.NDArray)) {
    throw new CheckFailure(
      `${what}: expected an array of shape ${shapeText}, got ${describe(value)}`,
    );
  }
  if (formatShape(value.shape) !== shapeText) {
    throw new CheckFailure(`${what}: shape ${formatShape(value.shape)}, expected ${shapeText}`);
  }
  return value;
}

/** |a - b| / max(1e-8, |a| + |b|); equal numbers (also infinities) give 0, NaN gives Infinity. */
function relativeError(a: number, b: number): number {
  if (a === b) return 0;
  const error = Math.abs(a - b) / Math.max(RELATIVE_FLOOR, Math.abs(a) + Math.abs(b));
  return Number.isNaN(error) ? Infinity : error;
}

/** Shape first, then the worst element; throws a CheckFailure naming it when over `tolerance`. */
function compare(what: string, got: unknown, expected: np.NDArray, tolerance: number): void {
  const actual = expectArray(what, got, expected.shape);

  let worst = 0;
  let worstError = -1;
  for (let i = 0; i < expected.size; i++) {
    const error = relativeError(actual.data[i], expected.data[i]);
    if (error > worstError) {
      worst = i;
      worstError = error;
    }
  }
  comparisonNotes.push(`${what}: worst relative error ${worstError.toExponential(2)}`);

  if (worstError > tolerance) {
    throw new CheckFailure(
      `${what}: worst element ${formatShape(unravel(worst, expected.shape))}: ` +
        `got ${actual.data[worst]}, expected ${expected.data[worst]} ` +
        `(relative error ${worstError.toExponential(2)}, tolerance ${tolerance})`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Numerical gradients

function copy(x: np.NDArray): np.NDArray {
  return new np.NDArray(Float64Array.from(x.data), x.shape);
}

/** sum(output * G): the scalar loss whose gradient with respect to the output is G. */
function weightedSum(what: string, output: unknown, G: np.NDArray): number {
  const out = expectArray(what, output, G.shape);
  let total = 0;
  for (let i = 0; i < G.size; i++) total += out.data[i] * G.data[i];
  return total;
}

/** dL/dx by central differences; `loss` gets a fresh copy of x at every call. */
function numericalGradient(loss: (x: np.NDArray) => number, x: np.NDArray): np.NDArray {
  const gradient = np.zeros(x.shape);
  for (let i = 0; i < x.size; i++) {
    const plus = copy(x);
    plus.data[i] += STEP;
    const minus = copy(x);
    minus.data[i] -= STEP;
    gradient.data[i] = (loss(plus) - loss(minus)) / (2 * STEP);
  }
  return gradient;
}

/** x moved 0.1 further from 0, so that no element sits on relu's kink. */
function awayFromZero(x: np.NDArray): np.NDArray {
  const out = copy(x);
  for (let i = 0; i < out.size; i++) out.data[i] += out.data[i] < 0 ? -0.1 : 0.1;
  return out;
}

// ---------------------------------------------------------------------------------------------
// The checks, one per function

/**
 * A linear layer 3 -> 2 with
 *   W = [[1,  0],      b = [[0.5, -1]]
 *        [0,  1],
 *        [1, -1]]
 */
function smallLinearLayer(): linear_layer {
  np.random.seed(0);
  const layer = new linear_layer(3, 2);
  layer.params.W = np.array([
    [1, 0],
    [0, 1],
    [1, -1],
  ]);
  layer.params.b = np.array([[0.5, -1]]);
  return layer;
}

function checkLinearForward(): void {
  // X W + b, row by row:
  //   [1,  2, 3] W = [1*1 + 2*0 + 3*1, 1*0 + 2*1 + 3*(-1)] = [4, -1], + b = [4.5, -2]
  //   [0, -1, 2] W = [0*1 - 1*0 + 2*1, 0*0 - 1*1 + 2*(-1)] = [2, -3], + b = [2.5, -4]
  const X = np.array([
    [1, 2, 3],
    [0, -1, 2],
  ]);
  const expected = np.array([
    [4.5, -2],
    [2.5, -4],
  ]);
  compare('hand case, output', smallLinearLayer().forward(X), expected, TOLERANCE.handCase);
}

function checkLinearBackward(): void {
  // X as in checkLinearForward, grad = [[1, -1], [2, 0]]:
  //   dX = grad W^T, W^T = [[1, 0, 1], [0, 1, -1]]:
  //     [1, -1] W^T = [1, -1, 1 + 1] = [1, -1, 2];  [2, 0] W^T = [2, 0, 2]
  //   gradient.W = X^T grad, X^T = [[1, 0], [2, -1], [3, 2]]:
  //     [1, 0] grad = [1, -1];  [2, -1] grad = [2 - 2, -2 + 0] = [0, -2];  [3, 2] grad = [7, -3]
  //   gradient.b = column sums of grad, kept as one row: [[1 + 2, -1 + 0]] = [[3, -1]]
  const layer = smallLinearLayer();
  const X = np.array([
    [1, 2, 3],
    [0, -1, 2],
  ]);
  const grad = np.array([
    [1, -1],
    [2, 0],
  ]);
  const dX = layer.backward(X, grad);
  compare(
    'hand case, returned dX',
    dX,
    np.array([
      [1, -1, 2],
      [2, 0, 2],
    ]),
    TOLERANCE.handCase,
  );
  const dW = np.array([
    [1, -1],
    [0, -2],
    [7, -3],
  ]);
  compare('hand case, gradient.W', layer.gradient.W, dW, TOLERANCE.handCase);
  compare('hand case, gradient.b', layer.gradient.b, np.array([[3, -1]]), TOLERANCE.handCase);

  // Numerical gradients of linear_layer.forward: X [5, 4], W [4, 3], b [1, 3], seed 1.
  np.random.seed(1);
  const random = new linear_layer(4, 3);
  const X2 = np.random.normal(0, 1, [5, 4]);
  const G = np.random.normal(0, 1, [5, 3]);
  const loss = (x: np.NDArray): number =>
    weightedSum('numerical check, linear_layer.forward output', random.forward(x), G);
  const withParam = (key: 'W' | 'b', value: np.NDArray): number => {
    const saved = random.params[key];
    random.params[key] = value;
    try {
      return loss(copy(X2));
    } finally {
      random.params[key] = saved;
    }
  };
  const numericX = numericalGradient(loss, X2);
  const numericW = numericalGradient((W) => withParam('W', W), random.params.W);
  const numericB = numericalGradient((b) => withParam('b', b), random.params.b);

  const dX2 = random.backward(copy(X2), copy(G));
  compare('numerical check, returned dX', dX2, numericX, TOLERANCE.gradient);
  compare('numerical check, gradient.W', random.gradient.W, numericW, TOLERANCE.gradient);
  compare('numerical check, gradient.b', random.gradient.b, numericB, TOLERANCE.gradient);
}

function checkReluForward(): void {
  // max(0, x) element by element, for an input of any shape (here [1, 2, 3]).
  const X = np.array([
    [
      [-2, -0.5, 0],
      [0.5, 3, -1],
    ],
  ]);
  const expected = np.array([
    [
      [0, 0, 0],
      [0.5, 3, 0],
    ],
  ]);
  compare('hand case, output', new relu().forward(X), expected, TOLERANCE.handCase);
}

function checkReluBackward(): void {
  // grad where X > 0, else 0 (also where X = 0):
  //   X    = [[-1, 0, 2], [ 3, -0.5, 0.25]]
  //   grad = [[ 5, 6, 7], [-8,  9,   10  ]]  ->  [[0, 0, 7], [-8, 0, 10]]
  const X = np.array([
    [-1, 0, 2],
    [3, -0.5, 0.25],
  ]);
  const grad = np.array([
    [5, 6, 7],
    [-8, 9, 10],
  ]);
  const expected = np.array([
    [0, 0, 7],
    [-8, 0, 10],
  ]);
  compare('hand case, returned dX', new relu().backward(X, grad), expected, TOLERANCE.handCase);

  // Numerical gradients of relu.forward: X [2, 2, 3] (0.1 or more away from 0), seed 2.
  np.random.seed(2);
  const layer = new relu();
  const X2 = awayFromZero(np.random.normal(0, 1, [2, 2, 3]));
  const G = np.random.normal(0, 1, [2, 2, 3]);
  const numeric = numericalGradient(
    (x) => weightedSum('numerical check, relu.forward output', layer.forward(x), G),
    X2,
  );
  compare(
    'numerical check, returned dX',
    layer.backward(copy(X2), copy(G)),
    numeric,
    TOLERANCE.gradient,
  );
}

function checkDropoutBackward(): void {
  // The mask forward(X, true) could draw with r = 0.5: kept elements scaled by 1 / (1 - 0.5) = 2.
  //   grad = [[0.5, 1, -1], [2, -3, 0.25]]
  //   mask = [[2,   0,  2], [0,  2, 2   ]]  ->  grad * mask = [[1, 0, -2], [0, -6, 0.5]]
  const layer = new dropout(0.5);
  layer.mask = np.array([
    [2, 0, 2],
    [0, 2, 2],
  ]);
  const X = np.array([
    [1, -2, 3],
    [4, 5, -6],
  ]);
  const grad = np.array([
    [0.5, 1, -1],
    [2, -3, 0.25],
  ]);
  const expected = np.array([
    [1, 0, -2],
    [0, -6, 0.5],
  ]);
  compare('hand case, returned dX', layer.backward(X, grad), expected, TOLERANCE.handCase);

  // Numerical gradients of dropout.forward in training, r = 0.4, X [3, 4]. Seeding np.random
  // with 5 before every forward pass gives the same mask each time, so the loss is a function
  // of X alone; the last forward leaves that mask in place for backward.
  np.random.seed(4);
  const random = new dropout(0.4);
  const X2 = np.random.normal(0, 1, [3, 4]);
  const G = np.random.normal(0, 1, [3, 4]);
  const loss = (x: np.NDArray): number => {
    np.random.seed(5);
    return weightedSum('numerical check, dropout.forward output', random.forward(x, true), G);
  };
  const numeric = numericalGradient(loss, X2);
  loss(copy(X2));
  compare(
    'numerical check, returned dX',
    random.backward(copy(X2), copy(G)),
    numeric,
    TOLERANCE.gradient,
  );
}

const CHECKS: readonly { name: string; run: () => void }[] = [
  { name: 'linear_layer.forward', run: checkLinearForward },
  { name: 'linear_layer.backward', run: checkLinearBackward },
  { name: 'relu.forward', run: checkReluForward },
  { name: 'relu.backward', run: checkReluBackward },
  { name: 'dropout.backward', run: checkDropoutBackward },
];

// ---------------------------------------------------------------------------------------------
// Running them

type Status = 'PASS' | 'FAIL' | 'NOT IMPLEMENTED' | 'NOT CHECKED' | 'ERROR';

interface Outcome {
  status: Status;
  detail: string;
  notes: string[];
}

/** The name in a NotImplementedError's message "<name> is not implemented yet". */
function unimplementedName(error: NotImplementedError): string {
  return /^(.*) is not implemented yet$/.exec(error.message)?.[1] ?? error.message;
}

/** An unexpected error in one line: its kind, message and where in dnn_misc.ts it happened. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return `threw ${String(error)}`;
  const frame = error.stack?.split('\n').find((line) => line.includes('dnn_misc.ts'));
  const where = /(dnn_misc\.ts:\d+:\d+)/.exec(frame ?? '')?.[1];
  return `${error.name}: ${error.message}${where ? ` (at ${where})` : ''}`;
}

function runCheck(check: { name: string; run: () => void }): Outcome {
  comparisonNotes = [];
  const outcome = (status: Status, detail = ''): Outcome => ({
    status,
    detail,
    notes: comparisonNotes,
  });
  try {
    check.run();
    return outcome('PASS');
  } catch (error) {
    if (error instanceof CheckFailure) return outcome('FAIL', error.message);
    if (error instanceof NotImplementedError) {
      const missing = unimplementedName(error);
      if (missing === check.name) return outcome('NOT IMPLEMENTED');
      return outcome(
        'NOT CHECKED',
        `hand case passed; the numerical check needs ${missing}, which is not implemented yet`,
      );
    }
    return outcome('ERROR', describeError(error));
  }
}

const USAGE = `usage: npx tsx assignment3_dnn_check.ts [--verbose]

Checks linear_layer.forward, linear_layer.backward, relu.forward, relu.backward and
dropout.backward of dnn_misc.ts on small cases worked out by hand and, for the backward passes,
against numerical gradients. Prints one line per function: PASS, FAIL (with the worst element),
NOT IMPLEMENTED, NOT CHECKED (a function it needs is not implemented yet) or ERROR (it threw).
Exits with 0 when all five pass, 1 otherwise.

  -v, --verbose   also print the worst relative error of every comparison
  -h, --help      print this help`;

function main(argv: readonly string[]): number {
  let verbose = false;
  for (const arg of argv) {
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      return 0;
    } else if (arg === '--verbose' || arg === '-v') {
      verbose = true;
    } else {
      process.stderr.write(`assignment3_dnn_check.ts: unknown option "${arg}" (see --help)\n`);
      return 2;
    }
  }

  const width = Math.max(...CHECKS.map((check) => check.name.length)) + 2;
  let passed = 0;
  for (const check of CHECKS) {
    const { status, detail, notes } = runCheck(check);
    if (status === 'PASS') passed++;
    console.log(`${check.name.padEnd(width)}${status}${detail ? `  ${detail}` : ''}`);
    if (verbose) for (const note of notes) console.log(`${' '.repeat(width)}  ${note}`);
  }
  console.log(`${passed} of ${CHECKS.length} functions pass.`);
  return passed === CHECKS.length ? 0 : 1;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
