/**
 * How arrays cross between the grader and the child process: JSON with `{shape, data}`, where
 * the numbers JSON cannot hold are strings ("NaN", "Infinity", "-Infinity", "-0").
 *
 * This file is copied into every sandbox work dir beside the probe harness; it imports nothing.
 */

export type WireNumber = number | 'NaN' | 'Infinity' | '-Infinity' | '-0';

export interface WireArray {
  shape: number[];
  data: WireNumber[];
}

export function encodeNumber(value: number): WireNumber {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (Object.is(value, -0)) return '-0';
  return value;
}

export function decodeNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  switch (value) {
    case 'NaN':
      return NaN;
    case 'Infinity':
      return Infinity;
    case '-Infinity':
      return -Infinity;
    case '-0':
      return -0;
    default:
      throw new Error(`not a number: ${JSON.stringify(value)}`);
  }
}

export function encodeArray(shape: readonly number[], data: ArrayLike<number>): WireArray {
  const out: WireNumber[] = new Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = encodeNumber(data[i]);
  return { shape: [...shape], data: out };
}

/** Decodes and validates an array that came from the other side; throws on anything malformed. */
export function decodeArray(value: unknown): { shape: number[]; data: Float64Array } {
  if (typeof value !== 'object' || value === null) throw new Error('expected {shape, data}');
  const { shape, data } = value as { shape?: unknown; data?: unknown };
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new Error('shape must be a list of non-negative integers');
  }
  if (!Array.isArray(data)) throw new Error('data must be a list');
  const size = shape.reduce((p: number, d: number) => p * d, 1);
  if (size !== data.length) {
    throw new Error(`data has ${data.length} numbers, shape [${shape.join(', ')}] needs ${size}`);
  }
  return { shape: shape as number[], data: Float64Array.from(data, decodeNumber) };
}
