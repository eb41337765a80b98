/**
 * Every tolerance the grader and the tests use, in one place.
 *
 * A student's result passes when, element by element, |got - expected| <= abs + rel * |expected|
 * (numpy's `allclose` rule). The value tolerances are loose enough for any summation order or
 * loop structure in float64, and tight enough that every mistake the grader names is caught.
 */
export interface Tolerance {
  rel: number;
  abs: number;
}

/** Module outputs against the reference's on the same inputs. */
export const VALUE: Tolerance = { rel: 1e-9, abs: 1e-12 };

/** Backward passes against central finite differences of the reference forward. */
export const GRADIENT_CHECK: Tolerance = { rel: 1e-6, abs: 1e-8 };

/** Q3.9: forward scores and the first training steps against the reference's from one seed. */
export const NETWORK_VALUE: Tolerance = { rel: 1e-7, abs: 1e-10 };

/** Step of the central finite differences. */
export const FINITE_DIFFERENCE_STEP = 1e-6;

/**
 * Accuracy curves (Q3.3-Q3.10): an epoch's accuracy may differ from the reference curve by at
 * most this much before the file is called implausible (runs differ through summation order and
 * the machine's libm; a few hundredths is already a different training).
 */
export const CURVE_BAND = 0.03;

/** `--rerun`: submitted accuracies against the ones the student's own code produces. */
export const RERUN_MATCH = 0.005;

/**
 * The claims of HOMEWORK.md ("What the homework tells students they will see") on the output
 * files, made into numbers. Accuracies are counts over 6,000 training and 2,000 validation images,
 * so a difference of 0.0005 is one validation image. See grader/outputs.ts for how they are used.
 */
export const CLAIMS = {
  /** Q3.6 "about 0.03 below Q3.3": the final validation accuracy is lower by min..max. */
  q36ValDrop: { min: 0.005, max: 0.06 },
  /** Q3.8 "above 0.94 after epoch 1": both first-epoch accuracies are strictly above this. */
  q38FirstEpochAbove: 0.94,
  /** Q3.10 "slightly above Q3.8": the final validation accuracy is higher by > min, <= max. */
  q310ValGain: { min: 0, max: 0.03 },
} as const;
