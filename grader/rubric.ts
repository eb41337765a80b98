/**
 * The rubric of HOMEWORK.md (100 points) and the types every part of the grader reports in.
 */

export type ItemStatus =
  | 'passed' // full points
  | 'partial' // some points
  | 'failed' // no points: the work is there but wrong
  | 'not-implemented' // no points: a handout stub still throws
  | 'missing' // no points: the file is not in the submission
  | 'error'; // no points: the code crashed, timed out or could not be run

/** One finding inside an item: what was checked and what was seen. */
export interface Finding {
  /** A short stable name, e.g. `transposed-weight-gradient` or `schema`. */
  code: string;
  ok: boolean;
  /** One sentence a student understands: what was expected, what was found, what to do. */
  message: string;
}

/** One line of the rubric, as graded. */
export interface RubricItem {
  /** e.g. `Q3.2 linear_layer.forward`, `Q3.3`, `Q3.9`. */
  id: string;
  title: string;
  points: number;
  maxPoints: number;
  status: ItemStatus;
  findings: Finding[];
  durationMs?: number;
}

export const Q32_FUNCTIONS = [
  'linear_layer.forward',
  'linear_layer.backward',
  'relu.forward',
  'relu.backward',
  'dropout.backward',
] as const;

export type Q32Function = (typeof Q32_FUNCTIONS)[number];

export const POINTS = {
  q32PerFunction: 10,
  runOutputFile: 4,
  q39: 22,
} as const;

/** Rounds a score to a quarter point, so sums print cleanly. */
export function roundPoints(points: number): number {
  return Math.round(points * 4) / 4;
}

/** The item status for a score out of maxPoints. */
export function statusFor(points: number, maxPoints: number): ItemStatus {
  if (points >= maxPoints) return 'passed';
  return points > 0 ? 'partial' : 'failed';
}
