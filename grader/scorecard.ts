/**
 * The graded submission as the reports see it: every rubric item, the homework's claims about the
 * output files, the intake problems and the total. The text and Gradescope reports render it.
 */
import { Finding, RubricItem, roundPoints } from './rubric';

export interface Scorecard {
  submission: { name: string; source: string };
  items: RubricItem[];
  total: number;
  maxTotal: number;
  /** The claims of HOMEWORK.md checked on the output files (also inside their items). */
  claims: Finding[];
  /** Intake problems and other notes for the instructor, one sentence each. */
  problems: string[];
  durationMs: number;
}

/** The points of all items and their maximum, rounded to a quarter point. */
export function totalOf(items: readonly RubricItem[]): { total: number; maxTotal: number } {
  let total = 0;
  let maxTotal = 0;
  for (const item of items) {
    total += item.points;
    maxTotal += item.maxPoints;
  }

  return { total: roundPoints(total), maxTotal: roundPoints(maxTotal) };
}
