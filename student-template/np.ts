/**
 * np.ts: the handout's small numpy.
 *
 * Only what the homework needs: float64 arrays in row-major order, broadcasting element-wise
 * arithmetic, matmul, reductions over an axis, and numpy's legacy random generator
 * (`np.random.seed`, `normal`, `uniform`, `permutation`), which draws exactly the numbers numpy
 * draws after the same seed.
 *
 * Use it as you would use numpy:
 *
 *   import * as np from './np';
 *   np.random.seed(123);
 *   const W = np.random.normal(0, 0.1, [784, 1000]);
 *   const out = np.add(np.matmul(X, W), b); // [N, 1000]
 *
 * This file is part of the handout and may not be modified.
 */

export type Shape = readonly number[];

/** A float64 n-dimensional array stored contiguously in row-major order. */
export class NDArray {
  readonly data: Float64Array;
  readonly shape: number[];

  constructor(data: Float64Array, shape: Shape) {
    const size = shapeSize(shape);
    if (data.length !== size) {
      throw new Error(
        `NDArray: data has ${data.length} elements but shape [${shape.join(', ')}] needs ${size}`,
      );
    }
    this.data = data;
    this.shape = [...shape];
  }

  get size(): number {
    return this.data.length;
  }

  get ndim(): number {
    return this.shape.length;
  }

  /** The transpose (all axes reversed), as numpy's `X.T`. A new array. */
  get T(): NDArray {
    return transpose(this);
  }

  /** The same data seen with a new shape; one entry may be -1. Shares the data, as numpy's view. */
  reshape(...shape: number[] | [Shape]): NDArray {
    const wanted = (Array.isArray(shape[0]) ? shape[0] : shape) as number[];
    return new NDArray(this.data, resolveShape(wanted, this.size));
  }

  /** A deep copy. */
  copy(): NDArray {
    return new NDArray(Float64Array.from(this.data), this.shape);
  }

  /** The element at a full index, e.g. `X.get(i, j)`. */
  get(...index: number[]): number {
    return this.data[flatIndex(this.shape, index)];
  }

  /** Sets the element at a full index: `X.set(value, i, j)`. */
  set(value: number, ...index: number[]): void {
    this.data[flatIndex(this.shape, index)] = value;
  }

  /** Nested plain arrays, as numpy's `tolist()`. */
  tolist(): NestedNumbers {
    return toNested(this.data, this.shape, 0, 0) as NestedNumbers;
  }

  toString(): string {
    return `array(${JSON.stringify(this.tolist())}, shape=[${this.shape.join(', ')}])`;
  }
}

export type NestedNumbers = number | NestedNumbers[];
export type ArrayLike = NDArray | number;

// ---------------------------------------------------------------------------------------------
// Creation

export function shapeSize(shape: Shape): number {
  let size = 1;
  for (const dim of shape) {
    if (!Number.isInteger(dim) || dim < 0) {
      throw new Error(`shape [${shape.join(', ')}] has an invalid dimension ${dim}`);
    }
    size *= dim;
  }
  return size;
}

/** An array from nested lists (or a flat list with a shape). */
export function array(values: NestedNumbers | NDArray, shape?: Shape): NDArray {
  if (values instanceof NDArray) return values.copy();
  if (typeof values === 'number') return new NDArray(Float64Array.of(values), shape ?? []);
  const inferred: number[] = [];
  let level: NestedNumbers = values;
  while (Array.isArray(level)) {
    inferred.push(level.length);
    level = level[0];
    if (level === undefined) break;
  }
  const flat = new Float64Array(shapeSize(inferred));
  let offset = 0;
  const fill = (node: NestedNumbers, depth: number): void => {
    if (depth === inferred.length) {
      if (typeof node !== 'number') throw new Error('np.array: ragged nested list');
      flat[offset++] = node;
      return;
    }
    if (!Array.isArray(node) || node.length !== inferred[depth]) {
      throw new Error('np.array: ragged nested list');
    }
    for (const child of node) fill(child, depth + 1);
  };
  fill(values, 0);
  const result = new NDArray(flat, inferred);
  return shape ? result.reshape([...shape]) : result;
}

export function zeros(shape: Shape): NDArray {
  return new NDArray(new Float64Array(shapeSize(shape)), shape);
}

export function ones(shape: Shape): NDArray {
  return full(shape, 1);
}

export function full(shape: Shape, value: number): NDArray {
  return new NDArray(new Float64Array(shapeSize(shape)).fill(value), shape);
}

export function zeros_like(a: NDArray): NDArray {
  return zeros(a.shape);
}

export function ones_like(a: NDArray): NDArray {
  return ones(a.shape);
}

/** `[start, start + 1, ..., stop - 1]` as a 1-D array. */
export function arange(start: number, stop?: number): NDArray {
  const [from, to] = stop === undefined ? [0, start] : [start, stop];
  const n = Math.max(0, Math.ceil(to - from));
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = from + i;
  return new NDArray(out, [n]);
}

// ---------------------------------------------------------------------------------------------
// Shape helpers

function resolveShape(wanted: readonly number[], size: number): number[] {
  const shape = [...wanted];
  const free = shape.indexOf(-1);
  if (free >= 0) {
    const known = shape.reduce((p, d, i) => (i === free ? p : p * d), 1);
    shape[free] = known === 0 ? 0 : size / known;
  }
  if (shapeSize(shape) !== size) {
    throw new Error(`cannot reshape an array of size ${size} into shape [${wanted.join(', ')}]`);
  }
  return shape;
}

function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let step = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    strides[axis] = step;
    step *= shape[axis];
  }
  return strides;
}

function flatIndex(shape: Shape, index: number[]): number {
  if (index.length !== shape.length) {
    throw new Error(`index of ${index.length} numbers for an array of ${shape.length} dimensions`);
  }
  let flat = 0;
  for (let axis = 0; axis < shape.length; axis++) {
    let i = index[axis];
    if (i < 0) i += shape[axis];
    if (!Number.isInteger(i) || i < 0 || i >= shape[axis]) {
      throw new Error(
        `index ${index[axis]} is out of bounds for axis ${axis} of size ${shape[axis]}`,
      );
    }
    flat = flat * shape[axis] + i;
  }
  return flat;
}

function toNested(data: Float64Array, shape: Shape, axis: number, offset: number): NestedNumbers {
  if (axis === shape.length) return data[offset];
  const inner = shapeSize(shape.slice(axis + 1));
  const out: NestedNumbers[] = [];
  for (let i = 0; i < shape[axis]; i++)
    out.push(toNested(data, shape, axis + 1, offset + i * inner));
  return out;
}

function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function asArray(a: ArrayLike): NDArray {
  return typeof a === 'number' ? new NDArray(Float64Array.of(a), []) : a;
}

/** The shape two operands broadcast to, by numpy's rules. */
export function broadcastShapes(a: Shape, b: Shape): number[] {
  const ndim = Math.max(a.length, b.length);
  const out = new Array<number>(ndim);
  for (let i = 0; i < ndim; i++) {
    const da = a[a.length - ndim + i] ?? 1;
    const db = b[b.length - ndim + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(
        `operands could not be broadcast together with shapes [${a.join(', ')}] [${b.join(', ')}]`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Strides of `shape` seen as `target` (0 along broadcast axes). */
function broadcastStrides(shape: Shape, target: Shape): number[] {
  const own = stridesOf(shape);
  const out = new Array<number>(target.length).fill(0);
  for (let i = 0; i < shape.length; i++) {
    const t = target.length - shape.length + i;
    out[t] = shape[i] === 1 ? 0 : own[i];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Element-wise operations

/** The element-wise binary operations, applied by one monomorphic function so V8 inlines it. */
const enum Op {
  Add,
  Subtract,
  Multiply,
  Divide,
  Maximum,
  Minimum,
  Greater,
  GreaterEqual,
  Less,
  LessEqual,
  Equal,
  Right,
}

function apply(op: Op, x: number, y: number): number {
  switch (op) {
    case Op.Add:
      return x + y;
    case Op.Subtract:
      return x - y;
    case Op.Multiply:
      return x * y;
    case Op.Divide:
      return x / y;
    case Op.Maximum:
      return x >= y || x !== x ? x : y; // NaN wins, as in numpy
    case Op.Minimum:
      return x <= y || x !== x ? x : y;
    case Op.Greater:
      return x > y ? 1 : 0;
    case Op.GreaterEqual:
      return x >= y ? 1 : 0;
    case Op.Less:
      return x < y ? 1 : 0;
    case Op.LessEqual:
      return x <= y ? 1 : 0;
    case Op.Equal:
      return x === y ? 1 : 0;
    case Op.Right:
      return y;
  }
}

function binary(a: ArrayLike, b: ArrayLike, op: Op): NDArray {
  const left = asArray(a);
  const right = asArray(b);
  const x = left.data;
  const y = right.data;

  if (sameShape(left.shape, right.shape)) {
    const out = new Float64Array(x.length);
    for (let i = 0; i < out.length; i++) out[i] = apply(op, x[i], y[i]);
    return new NDArray(out, left.shape);
  }
  if (y.length === 1 && right.ndim <= left.ndim) {
    const scalar = y[0];
    const out = new Float64Array(x.length);
    for (let i = 0; i < out.length; i++) out[i] = apply(op, x[i], scalar);
    return new NDArray(out, left.shape);
  }
  if (x.length === 1 && left.ndim <= right.ndim) {
    const scalar = x[0];
    const out = new Float64Array(y.length);
    for (let i = 0; i < out.length; i++) out[i] = apply(op, scalar, y[i]);
    return new NDArray(out, right.shape);
  }

  const shape = broadcastShapes(left.shape, right.shape);
  const ndim = shape.length;
  const sa = broadcastStrides(left.shape, shape);
  const sb = broadcastStrides(right.shape, shape);
  const out = new Float64Array(shapeSize(shape));
  if (out.length === 0) return new NDArray(out, shape);
  // Walk the output in row-major order; the innermost axis runs in a tight loop.
  const inner = shape[ndim - 1];
  const ia = sa[ndim - 1];
  const ib = sb[ndim - 1];
  const counter = new Array<number>(ndim).fill(0);
  let offA = 0;
  let offB = 0;
  for (let o = 0; o < out.length; o += inner) {
    if (ib === 0) {
      const v = y[offB];
      for (let k = 0; k < inner; k++) out[o + k] = apply(op, x[offA + k * ia], v);
    } else {
      for (let k = 0; k < inner; k++) out[o + k] = apply(op, x[offA + k * ia], y[offB + k * ib]);
    }
    for (let axis = ndim - 2; axis >= 0; axis--) {
      counter[axis]++;
      offA += sa[axis];
      offB += sb[axis];
      if (counter[axis] < shape[axis]) break;
      offA -= sa[axis] * shape[axis];
      offB -= sb[axis] * shape[axis];
      counter[axis] = 0;
    }
  }
  return new NDArray(out, shape);
}

function unary(a: NDArray, op: (x: number) => number): NDArray {
  const x = a.data;
  const out = new Float64Array(x.length);
  for (let i = 0; i < out.length; i++) out[i] = op(x[i]);
  return new NDArray(out, a.shape);
}

export const add = (a: ArrayLike, b: ArrayLike): NDArray => binary(a, b, Op.Add);
export const subtract = (a: ArrayLike, b: ArrayLike): NDArray => binary(a, b, Op.Subtract);
export const multiply = (a: ArrayLike, b: ArrayLike): NDArray => binary(a, b, Op.Multiply);
export const divide = (a: ArrayLike, b: ArrayLike): NDArray => binary(a, b, Op.Divide);
/** numpy's maximum: NaN wins; between -0 and 0 either may be returned (they compare equal). */
export const maximum = (a: ArrayLike, b: ArrayLike): NDArray => binary(a, b, Op.Maximum);
export const minimum = (a: ArrayLike, b: ArrayLike): NDArray => binary(a, b, Op.Minimum);
/** Comparisons give 1 for true and 0 for false, so they can be used as masks. */
export const greater = (a: ArrayLike, b: ArrayLike): NDArray => binary(a, b, Op.Greater);
export const greater_equal = (a: ArrayLike, b: ArrayLike): NDArray => binary(a, b, Op.GreaterEqual);
export const less = (a: ArrayLike, b: ArrayLike): NDArray => binary(a, b, Op.Less);
export const less_equal = (a: ArrayLike, b: ArrayLike): NDArray => binary(a, b, Op.LessEqual);
export const equal = (a: ArrayLike, b: ArrayLike): NDArray => binary(a, b, Op.Equal);

export const exp = (a: NDArray): NDArray => unary(a, Math.exp);
export const log = (a: NDArray): NDArray => unary(a, Math.log);
export const sqrt = (a: NDArray): NDArray => unary(a, Math.sqrt);
export const abs = (a: NDArray): NDArray => unary(a, Math.abs);
export const negative = (a: NDArray): NDArray => unary(a, (x) => -x);

/** `cond ? a : b` element-wise (cond non-zero picks a), with broadcasting of all three. */
export function where(cond: NDArray, a: ArrayLike, b: ArrayLike): NDArray {
  const shape = broadcastShapes(broadcastShapes(cond.shape, asArray(a).shape), asArray(b).shape);
  const spread = (x: ArrayLike): Float64Array => binary(zeros(shape), x, Op.Right).data;
  const c = spread(cond);
  const x = spread(a);
  const y = spread(b);
  const out = new Float64Array(c.length);
  for (let i = 0; i < out.length; i++) out[i] = c[i] !== 0 ? x[i] : y[i];
  return new NDArray(out, shape);
}

// ---------------------------------------------------------------------------------------------
// Linear algebra

/**
 * Matrix product of two 2-D arrays, `a` [n, k] times `b` [k, m] = [n, m].
 * Each output element is the sum over k in increasing order.
 */
export function matmul(a: NDArray, b: NDArray): NDArray {
  if (a.ndim !== 2 || b.ndim !== 2 || a.shape[1] !== b.shape[0]) {
    throw new Error(
      `matmul: shapes [${a.shape.join(', ')}] and [${b.shape.join(', ')}] are not aligned ` +
        `(expected [n, k] and [k, m])`,
    );
  }
  const [rows, inner] = a.shape;
  const cols = b.shape[1];
  const out = new Float64Array(rows * cols);
  matmulInto(a.data, b.data, out, rows, inner, cols);
  return new NDArray(out, [rows, cols]);
}

/**
 * `out[rows, cols] = x[rows, inner] @ y[inner, cols]`; `out` must be zero on entry.
 *
 * Every output element is accumulated over k = 0, 1, ... in increasing order, whichever loop
 * order is used, so the result does not depend on the shapes' path through this function.
 */
function matmulInto(
  x: Float64Array,
  y: Float64Array,
  out: Float64Array,
  rows: number,
  inner: number,
  cols: number,
): void {
  // Inputs are often sparse (MNIST pixels, relu outputs, pooled gradients). A zero factor times
  // a finite row of y adds +0, which leaves a sum that started at +0 unchanged, so it is skipped;
  // a row holding Inf or NaN is still multiplied, so 0 * Inf still gives NaN as in numpy.
  const finiteRows = new FiniteRows(y, cols);
  if (cols < 32 && inner >= 64) {
    // Few output columns, long sums: dot products against the rows of y^T, four at a time.
    const yT = new Float64Array(cols * inner); // [cols, inner]
    for (let k = 0; k < inner; k++) {
      for (let j = 0; j < cols; j++) yT[j * inner + k] = y[k * cols + j];
    }
    for (let i = 0; i < rows; i++) {
      const xRow = i * inner;
      let j = 0;
      for (; j + 4 <= cols; j += 4) {
        const r0 = j * inner;
        const r1 = r0 + inner;
        const r2 = r1 + inner;
        const r3 = r2 + inner;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let k = 0; k < inner; k++) {
          const v = x[xRow + k];
          if (v === 0 && finiteRows.isFinite(k)) continue; // adds exactly +0 to every sum
          s0 += v * yT[r0 + k];
          s1 += v * yT[r1 + k];
          s2 += v * yT[r2 + k];
          s3 += v * yT[r3 + k];
        }
        out[i * cols + j] = s0;
        out[i * cols + j + 1] = s1;
        out[i * cols + j + 2] = s2;
        out[i * cols + j + 3] = s3;
      }
      for (; j < cols; j++) {
        const r = j * inner;
        let s = 0;
        for (let k = 0; k < inner; k++) s += x[xRow + k] * yT[r + k];
        out[i * cols + j] = s;
      }
    }
    return;
  }
  // Rows in blocks whose output fits in cache; each row of y is read once per block. Four rows
  // of y are folded in per pass, ((out + a0) + a1) + ..., the same order as one at a time.
  const rowBlock = Math.max(1, Math.floor(16384 / Math.max(cols, 1)));
  const skippable = (i: number, k: number): boolean =>
    x[i * inner + k] === 0 && finiteRows.isFinite(k);
  for (let i0 = 0; i0 < rows; i0 += rowBlock) {
    const i1 = Math.min(rows, i0 + rowBlock);
    let k = 0;
    for (; k + 4 <= inner; k += 4) {
      const y0 = k * cols;
      const y1 = y0 + cols;
      const y2 = y1 + cols;
      const y3 = y2 + cols;
      for (let i = i0; i < i1; i++) {
        const xRow = i * inner + k;
        const s0 = x[xRow];
        const s1 = x[xRow + 1];
        const s2 = x[xRow + 2];
        const s3 = x[xRow + 3];
        if (
          s0 === 0 &&
          s1 === 0 &&
          s2 === 0 &&
          s3 === 0 &&
          skippable(i, k) &&
          skippable(i, k + 1) &&
          skippable(i, k + 2) &&
          skippable(i, k + 3)
        ) {
          continue;
        }
        axpy4(out, i * cols, cols, s0, s1, s2, s3, y, y0, y1, y2, y3);
      }
    }
    for (; k < inner; k++) {
      const yRow = k * cols;
      for (let i = i0; i < i1; i++) {
        if (skippable(i, k)) continue;
        const scale = x[i * inner + k];
        const outRow = i * cols;
        for (let j = 0; j < cols; j++) out[outRow + j] += scale * y[yRow + j];
      }
    }
  }
}

/** out[o .. o + n) = (((out + s0 y0) + s1 y1) + s2 y2) + s3 y3, with yK the rows at offsets yK. */
function axpy4(
  out: Float64Array,
  o: number,
  n: number,
  s0: number,
  s1: number,
  s2: number,
  s3: number,
  y: Float64Array,
  y0: number,
  y1: number,
  y2: number,
  y3: number,
): void {
  for (let j = 0; j < n; j++) {
    out[o + j] = out[o + j] + s0 * y[y0 + j] + s1 * y[y1 + j] + s2 * y[y2 + j] + s3 * y[y3 + j];
  }
}

/** Whether each row of a row-major matrix is all finite, computed lazily once per row. */
class FiniteRows {
  private readonly known: Int8Array;

  constructor(
    private readonly values: Float64Array,
    private readonly cols: number,
  ) {
    this.known = new Int8Array(cols === 0 ? 0 : values.length / cols);
  }

  isFinite(row: number): boolean {
    let state = this.known[row];
    if (state === 0) {
      state = 1;
      const start = row * this.cols;
      for (let j = start; j < start + this.cols; j++) {
        if (this.values[j] - this.values[j] !== 0) {
          state = 2;
          break;
        }
      }
      this.known[row] = state;
    }
    return state === 1;
  }
}

export const dot = matmul;

/** Permute the axes (all reversed by default), as numpy's `transpose`. A new array. */
export function transpose(a: NDArray, axes?: readonly number[]): NDArray {
  const ndim = a.ndim;
  const order = axes ? [...axes] : [...a.shape.keys()].reverse();
  if (order.length !== ndim || [...order].sort((x, y) => x - y).some((v, i) => v !== i)) {
    throw new Error(`transpose: axes [${order.join(', ')}] do not match an array of ${ndim} dims`);
  }
  const shape = order.map((axis) => a.shape[axis]);
  const src = a.data;
  const out = new Float64Array(src.length);
  if (ndim === 2 && order[0] === 1) {
    // In 32 x 32 tiles, so that both the reads and the writes stay in cache.
    const [rows, cols] = a.shape;
    for (let i0 = 0; i0 < rows; i0 += 32) {
      const i1 = Math.min(rows, i0 + 32);
      for (let j0 = 0; j0 < cols; j0 += 32) {
        const j1 = Math.min(cols, j0 + 32);
        for (let i = i0; i < i1; i++) {
          for (let j = j0; j < j1; j++) out[j * rows + i] = src[i * cols + j];
        }
      }
    }
    return new NDArray(out, shape);
  }
  const own = stridesOf(a.shape);
  const strides = order.map((axis) => own[axis]);
  if (ndim === 4) {
    const [d0, d1, d2, d3] = shape;
    const [s0, s1, s2, s3] = strides;
    let o = 0;
    for (let i0 = 0; i0 < d0; i0++) {
      for (let i1 = 0; i1 < d1; i1++) {
        for (let i2 = 0; i2 < d2; i2++) {
          const base = i0 * s0 + i1 * s1 + i2 * s2;
          for (let i3 = 0; i3 < d3; i3++) out[o++] = src[base + i3 * s3];
        }
      }
    }
    return new NDArray(out, shape);
  }
  const counter = new Array<number>(ndim).fill(0);
  let offset = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = src[offset];
    for (let axis = ndim - 1; axis >= 0; axis--) {
      counter[axis]++;
      offset += strides[axis];
      if (counter[axis] < shape[axis]) break;
      offset -= strides[axis] * shape[axis];
      counter[axis] = 0;
    }
  }
  return new NDArray(out, shape);
}

// ---------------------------------------------------------------------------------------------
// Reductions

type Reducer = { init: number; step: (acc: number, x: number) => number };

function reduce(a: NDArray, axis: number | undefined, keepdims: boolean, r: Reducer): NDArray {
  if (axis === undefined) {
    let acc = r.init;
    for (let i = 0; i < a.data.length; i++) acc = r.step(acc, a.data[i]);
    return keepdims
      ? new NDArray(
          Float64Array.of(acc),
          a.shape.map(() => 1),
        )
      : array(acc);
  }
  const ax = normalizeAxis(axis, a.ndim);
  const outer = shapeSize(a.shape.slice(0, ax));
  const len = a.shape[ax];
  const inner = shapeSize(a.shape.slice(ax + 1));
  const out = new Float64Array(outer * inner).fill(r.init);
  const x = a.data;
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < len; k++) {
      const base = (o * len + k) * inner;
      for (let i = 0; i < inner; i++) out[o * inner + i] = r.step(out[o * inner + i], x[base + i]);
    }
  }
  const shape = keepdims
    ? a.shape.map((d, i) => (i === ax ? 1 : d))
    : a.shape.filter((_, i) => i !== ax);
  return new NDArray(out, shape);
}

function normalizeAxis(axis: number, ndim: number): number {
  const ax = axis < 0 ? axis + ndim : axis;
  if (!Number.isInteger(ax) || ax < 0 || ax >= ndim) {
    throw new Error(`axis ${axis} is out of bounds for an array of ${ndim} dimensions`);
  }
  return ax;
}

/** Sum over `axis` (all elements when omitted); `keepdims` keeps the axis with length 1. */
export function sum(a: NDArray, axis?: number, keepdims = false): NDArray {
  return reduce(a, axis, keepdims, { init: 0, step: (acc, x) => acc + x });
}

export function max(a: NDArray, axis?: number, keepdims = false): NDArray {
  return reduce(a, axis, keepdims, {
    init: -Infinity,
    step: (acc, x) => (x > acc || x !== x ? x : acc),
  });
}

export function mean(a: NDArray, axis?: number, keepdims = false): NDArray {
  const count = axis === undefined ? a.size : a.shape[normalizeAxis(axis, a.ndim)];
  return divide(sum(a, axis, keepdims), count);
}

/** Index of the first maximum along `axis` (over the flattened array when omitted). */
export function argmax(a: NDArray, axis?: number): NDArray {
  if (axis === undefined) return argmax(a.reshape(-1), 0);
  const ax = normalizeAxis(axis, a.ndim);
  const outer = shapeSize(a.shape.slice(0, ax));
  const len = a.shape[ax];
  const inner = shapeSize(a.shape.slice(ax + 1));
  const out = new Float64Array(outer * inner);
  const x = a.data;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let best = -Infinity;
      let at = 0;
      for (let k = 0; k < len; k++) {
        const v = x[(o * len + k) * inner + i];
        if (v !== v) {
          at = k; // numpy: the first NaN is the maximum
          break;
        }
        if (v > best || k === 0) {
          best = v;
          at = k;
        }
      }
      out[o * inner + i] = at;
    }
  }
  return new NDArray(
    out,
    a.shape.filter((_, i) => i !== ax),
  );
}

// ---------------------------------------------------------------------------------------------
// Indexing

/** Rows (entries along axis 0) at the given indices, as numpy's `a[indices]`. */
export function take(a: NDArray, indices: ArrayLike | readonly number[]): NDArray {
  const idx =
    typeof indices === 'number'
      ? [indices]
      : indices instanceof NDArray
        ? Array.from(indices.data)
        : indices;
  const rowSize = shapeSize(a.shape.slice(1));
  const out = new Float64Array(idx.length * rowSize);
  for (let r = 0; r < idx.length; r++) {
    const i = idx[r] < 0 ? idx[r] + a.shape[0] : idx[r];
    if (!Number.isInteger(i) || i < 0 || i >= a.shape[0]) {
      throw new Error(`index ${idx[r]} is out of bounds for axis 0 with size ${a.shape[0]}`);
    }
    out.set(a.data.subarray(i * rowSize, (i + 1) * rowSize), r * rowSize);
  }
  return new NDArray(out, [idx.length, ...a.shape.slice(1)]);
}

/** Zero padding of the last two axes by `pad` on every side, as `np.pad(..., 'constant')`. */
export function pad2d(a: NDArray, pad: number): NDArray {
  if (pad === 0) return a.copy();
  const lead = a.shape.slice(0, -2);
  const [h, w] = a.shape.slice(-2);
  const ph = h + 2 * pad;
  const pw = w + 2 * pad;
  const planes = shapeSize(lead);
  const out = new Float64Array(planes * ph * pw);
  for (let p = 0; p < planes; p++) {
    for (let i = 0; i < h; i++) {
      out.set(a.data.subarray((p * h + i) * w, (p * h + i + 1) * w), (p * ph + i + pad) * pw + pad);
    }
  }
  return new NDArray(out, [...lead, ph, pw]);
}

/** True when both have the same shape and every |a - b| <= atol + rtol * |b| (numpy's rule). */
export function allclose(a: NDArray, b: NDArray, rtol = 1e-5, atol = 1e-8): boolean {
  if (!sameShape(a.shape, b.shape)) return false;
  for (let i = 0; i < a.size; i++) {
    const x = a.data[i];
    const y = b.data[i];
    if (x === y) continue;
    if (!(Math.abs(x - y) <= atol + rtol * Math.abs(y))) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Random numbers: numpy's legacy global generator (MT19937), bit for bit.

const N = 624;
const M = 397;

class MersenneTwister {
  private readonly mt = new Uint32Array(N);
  private index = N + 1;

  seed(s: number): void {
    const mt = this.mt;
    mt[0] = s >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      // init_genrand: 1812433253 * prev + i in 32-bit arithmetic.
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.index = N;
  }

  nextUint32(): number {
    const mt = this.mt;
    if (this.index >= N) {
      if (this.index === N + 1) this.seed(5489);
      let k = 0;
      for (; k < N - M; k++) {
        const y = (mt[k] & 0x80000000) | (mt[k + 1] & 0x7fffffff);
        mt[k] = mt[k + M] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      for (; k < N - 1; k++) {
        const y = (mt[k] & 0x80000000) | (mt[k + 1] & 0x7fffffff);
        mt[k] = mt[k + (M - N)] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      const y = (mt[N - 1] & 0x80000000) | (mt[0] & 0x7fffffff);
      mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      this.index = 0;
    }
    let y = mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }
}

// ln(x) rounded once: V8's Math.log is off by one ulp for ~3% of inputs, which changed
// numpy's normal() draws.
const LN2_HI = 0.6931471805599453; // 0x3FE62E42FEFA39EF
const LN2_LO = 2.3190468138462996e-17; // 0x3C7ABC9E3B39803F
const SPLIT = 134217729; // 2^27 + 1
let errOut = 0; // low part returned by twoProd / twoSum
function twoProd(a: number, b: number): number {
  const p = a * b;
  const ca = SPLIT * a,
    ah = ca - (ca - a),
    al = a - ah;
  const cb = SPLIT * b,
    bh = cb - (cb - b),
    bl = b - bh;
  errOut = ah * bh - p + ah * bl + al * bh + al * bl;
  return p;
}
function twoSum(a: number, b: number): number {
  const s = a + b,
    bb = s - a;
  errOut = a - (s - bb) + (b - bb);
  return s;
}
// atanh series coefficients 1/(2n+1), n = 1..22, as double-double
const COEF_HI: number[] = [],
  COEF_LO: number[] = [];
for (let n = 3; n <= 45; n += 2) {
  const h = 1 / n;
  const p = twoProd(n, h);
  const pe = errOut;
  COEF_HI.push(h);
  COEF_LO.push(-(p - 1 + pe) / n);
}
const f64 = new Float64Array(1),
  u32 = new Uint32Array(f64.buffer);
function correctlyRoundedLog(x: number): number {
  if (!(x > 0) || x === Infinity) return Math.log(x);
  let k = 0;
  if (x < 2.2250738585072014e-308) {
    x *= 18014398509481984;
    k = -54;
  }
  f64[0] = x;
  const hi = u32[1];
  k += ((hi >>> 20) & 0x7ff) - 1023;
  u32[1] = (hi & 0x000fffff) | 0x3ff00000;
  let m = f64[0]; // [1, 2)
  if (m > Math.SQRT2) {
    m /= 2;
    k += 1;
  }
  // s = (m - 1) / (m + 1): m - 1 is exact; m + 1 = dh + dl exactly
  const num = m - 1;
  const dh = twoSum(m, 1),
    dl = errOut;
  const sh = num / dh;
  const p = twoProd(sh, dh),
    pe = errOut;
  const sl = (num - p - pe - sh * dl) / dh;
  // z = s^2
  const zh0 = twoProd(sh, sh);
  const zl0 = errOut + 2 * sh * sl;
  const zh = twoSum(zh0, zl0),
    zl = errOut;
  // P(z) = 1 + z/3 + z^2/5 + ... by Horner in double-double
  let ph = COEF_HI[COEF_HI.length - 1],
    pl = COEF_LO[COEF_LO.length - 1];
  for (let i = COEF_HI.length - 2; i >= -1; i--) {
    // (ph, pl) *= (zh, zl)
    const mh = twoProd(ph, zh);
    const ml = errOut + ph * zl + pl * zh;
    const ch = i >= 0 ? COEF_HI[i] : 1,
      cl = i >= 0 ? COEF_LO[i] : 0;
    const ah = twoSum(ch, mh);
    const al = errOut + cl + ml;
    ph = twoSum(ah, al);
    pl = errOut;
  }
  // log(m) = 2 s P(z)
  const rh0 = twoProd(sh, ph);
  const rl0 = errOut + sh * pl + sl * ph;
  const rh = 2 * rh0,
    rl = 2 * rl0;
  const kh = twoProd(k, LN2_HI);
  const kl = errOut + k * LN2_LO;
  const a = twoSum(kh, rh);
  const ae = errOut;
  return a + (ae + kl + rl);
}

class LegacyGenerator {
  private readonly twister = new MersenneTwister();
  private hasGauss = false;
  private gauss = 0;

  constructor() {
    this.seed(0);
  }

  /** `np.random.seed(s)` for an integer 0 <= s < 2**32. */
  seed(s: number): void {
    if (!Number.isInteger(s) || s < 0 || s > 0xffffffff) {
      throw new Error(`np.random.seed: seed must be an integer in [0, 2**32 - 1], got ${s}`);
    }
    this.twister.seed(s);
    this.hasGauss = false;
    this.gauss = 0;
  }

  /** One float in [0, 1) with 53 random bits. */
  randomDouble(): number {
    const a = this.twister.nextUint32() >>> 5;
    const b = this.twister.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** One standard normal by the polar method, caching the second value. */
  gaussian(): number {
    if (this.hasGauss) {
      this.hasGauss = false;
      return this.gauss;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2 * this.randomDouble() - 1;
      x2 = 2 * this.randomDouble() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * correctlyRoundedLog(r2)) / r2);
    this.gauss = f * x1;
    this.hasGauss = true;
    return f * x2;
  }

  /** A uniform integer in [0, max], by masking and rejection as numpy's legacy interval. */
  interval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let value: number;
    do {
      value = (this.twister.nextUint32() & mask) >>> 0;
    } while (value > max);
    return value;
  }
}

function sizeOf(shape: Shape | number | undefined): number[] {
  if (shape === undefined) return [];
  return typeof shape === 'number' ? [shape] : [...shape];
}

/**
 * numpy's legacy `RandomState`: a generator of its own, independent of the global one.
 * `new np.random.RandomState(0).permutation(10)` equals numpy's.
 */
export class RandomState {
  private readonly generator = new LegacyGenerator();

  constructor(seed = 0) {
    this.generator.seed(seed);
  }

  /** Restart the sequence, as `np.random.seed(s)` (0 <= s < 2**32). Clears the cached normal. */
  seed(s: number): void {
    this.generator.seed(s);
  }

  /** Floats in [0, 1). */
  random_sample(shape?: Shape | number): NDArray {
    const dims = sizeOf(shape);
    const out = new Float64Array(shapeSize(dims));
    for (let i = 0; i < out.length; i++) out[i] = this.generator.randomDouble();
    return new NDArray(out, dims);
  }

  /** `loc + scale * g` for standard normals g, in row-major order. */
  normal(loc = 0, scale = 1, shape?: Shape | number): NDArray {
    const dims = sizeOf(shape);
    const out = new Float64Array(shapeSize(dims));
    for (let i = 0; i < out.length; i++) out[i] = loc + scale * this.generator.gaussian();
    return new NDArray(out, dims);
  }

  /** `low + (high - low) * u` for uniform u in [0, 1). */
  uniform(low = 0, high = 1, shape?: Shape | number): NDArray {
    const dims = sizeOf(shape);
    const out = new Float64Array(shapeSize(dims));
    const range = high - low;
    for (let i = 0; i < out.length; i++) out[i] = low + range * this.generator.randomDouble();
    return new NDArray(out, dims);
  }

  /** A random ordering of `0 .. n - 1` (numpy's legacy Fisher-Yates shuffle). */
  permutation(n: number): NDArray {
    if (!Number.isInteger(n) || n < 0) {
      throw new Error(`np.random.permutation: n must be a non-negative integer, got ${n}`);
    }
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = i;
    for (let i = n - 1; i >= 1; i--) {
      const j = this.generator.interval(i);
      const tmp = values[i];
      values[i] = values[j];
      values[j] = tmp;
    }
    return new NDArray(values, [n]);
  }
}

const globalState = new RandomState(0);

/** numpy's `np.random`: the functions draw from one global legacy generator. */
export const random = {
  RandomState,
  seed: (s: number): void => globalState.seed(s),
  random_sample: (shape?: Shape | number): NDArray => globalState.random_sample(shape),
  normal: (loc = 0, scale = 1, shape?: Shape | number): NDArray =>
    globalState.normal(loc, scale, shape),
  uniform: (low = 0, high = 1, shape?: Shape | number): NDArray =>
    globalState.uniform(low, high, shape),
  permutation: (n: number): NDArray => globalState.permutation(n),
};
