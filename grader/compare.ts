/**
 * The one comparison helper of the project: shape first, then the worst element.
 * The grader's checks and the test suite both use it.
 */
import type { Tolerance } from './tolerances';

/** What compare() needs of an array: its shape and row-major values. */
export interface ArrayValue {
  shape: readonly number[];
  data: ArrayLike<number>;
}

export interface Comparison {
  ok: boolean;
  /** Why it failed, in one sentence with the numbers; empty when ok. */
  message: string;
  shapeMatches: boolean;
  /** Row-major index of the worst element, as a multi-index, when shapes match. */
  worstIndex?: number[];
  got?: number;
  expected?: number;
  /** The worst |got - expected| / (abs + rel * |expected|); <= 1 passes. */
  worstRatio?: number;
  /** How many elements are outside the tolerance. */
  mismatches?: number;
  nonFinite?: number;
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

export function unravelIndex(flat: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    index[axis] = flat % shape[axis];
    flat = Math.floor(flat / shape[axis]);
  }
  return index;
}

/** A number as a reader wants it: short, but exact enough to see the difference. */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (Object.is(value, -0)) return '-0';
  return Number(value.toPrecision(12)).toString();
}

/** Compares got with expected under tol; the message names shape, worst index and tolerance. */
export function compareArrays(got: ArrayValue, expected: ArrayValue, tol: Tolerance): Comparison {
  const sameShape =
    got.shape.length === expected.shape.length &&
    got.shape.every((dim, i) => dim === expected.shape[i]);
  if (!sameShape) {
    return {
      ok: false,
      shapeMatches: false,
      message: `shape ${formatShape(got.shape)}, expected ${formatShape(expected.shape)}`,
    };
  }
  let worst = -1;
  let worstRatio = 0;
  let mismatches = 0;
  let nonFinite = 0;
  for (let i = 0; i < expected.data.length; i++) {
    const g = got.data[i];
    const e = expected.data[i];
    if (!Number.isFinite(g)) nonFinite++;
    let ratio: number;
    if (g === e || (Number.isNaN(g) && Number.isNaN(e))) ratio = 0;
    else if (!Number.isFinite(g) || !Number.isFinite(e)) ratio = Infinity;
    else ratio = Math.abs(g - e) / (tol.abs + tol.rel * Math.abs(e));
    if (ratio > 1) mismatches++;
    if (ratio > worstRatio || worst < 0) {
      worstRatio = ratio;
      worst = i;
    }
  }
  const result: Comparison = {
    ok: mismatches === 0,
    shapeMatches: true,
    message: '',
    worstRatio,
    mismatches,
    nonFinite,
  };
  if (worst >= 0) {
    result.worstIndex = unravelIndex(worst, expected.shape);
    result.got = got.data[worst];
    result.expected = expected.data[worst];
  }
  if (!result.ok) {
    const where = `[${result.worstIndex!.join(', ')}]`;
    result.message =
      `${mismatches} of ${expected.data.length} elements differ; worst at ${where}: ` +
      `got ${formatNumber(result.got!)}, expected ${formatNumber(result.expected!)} ` +
      `(tolerance ${tol.abs} + ${tol.rel} * |expected|)` +
      (nonFinite > 0 ? `; ${nonFinite} elements are NaN or Infinity` : '');
  }
  return result;
}
