/**
 * The common mistakes of Q3.2, each recognised by recomputing what the mistaken code would
 * return on the same inputs and comparing with what the student's code returned.
 *
 * A mistake names one output of one function. It is only reported when the student's output
 * fails the value check and matches the mistaken variant, so a correct submission can never be
 * told it made one.
 */
import * as np from '../../reference/np';
import type { Q32Function } from '../rubric';

/** The decoded inputs and outputs of one call. */
export interface CallValues {
  inputs: Record<string, np.NDArray>;
  expected: Record<string, np.NDArray>;
  /** The reference dropout rate, for dropout cases. */
  rate?: number;
  /** The expected outputs of the previous call on the same instance, if any. */
  previous?: Record<string, np.NDArray>;
}

export interface Mistake {
  code: string;
  fn: Q32Function;
  output: string;
  /** The sentence a student reads: what the code does and what it should do. */
  explain: string;
  /** What the mistaken code returns; null when it does not apply to these inputs. */
  variant(v: CallValues): np.NDArray | null;
  /** Optional custom match, for mistakes that are a pattern rather than one value. */
  matches?(got: np.NDArray, v: CallValues): boolean;
}

export const MISTAKES: Mistake[] = [
  // linear_layer.forward
  {
    code: 'bias-not-added',
    fn: 'linear_layer.forward',
    output: 'out',
    explain:
      'The output is X W without the bias: add params.b to every row (np.add broadcasts it).',
    variant: ({ inputs }) => np.matmul(inputs.X, inputs.W),
  },
  {
    code: 'bias-subtracted',
    fn: 'linear_layer.forward',
    output: 'out',
    explain: 'The output is X W - b: the bias is added, not subtracted.',
    variant: ({ inputs }) => np.subtract(np.matmul(inputs.X, inputs.W), inputs.b),
  },
  // linear_layer.backward
  {
    code: 'transposed-weight-gradient',
    fn: 'linear_layer.backward',
    output: 'dW',
    explain:
      'gradient.W is transposed: it holds grad^T X [output_D, input_D]; dLoss/dW = X^T grad ' +
      'has the shape of W, [input_D, output_D].',
    variant: ({ inputs }) => np.matmul(inputs.grad.T, inputs.X),
  },
  {
    code: 'weight-gradient-averaged',
    fn: 'linear_layer.backward',
    output: 'dW',
    explain:
      'gradient.W is divided by the batch size: the loss already averages over the batch, so ' +
      'dLoss/dW = X^T grad is a plain sum over the examples.',
    variant: ({ inputs }) => np.divide(np.matmul(inputs.X.T, inputs.grad), inputs.X.shape[0]),
  },
  {
    code: 'bias-gradient-averaged',
    fn: 'linear_layer.backward',
    output: 'db',
    explain:
      'gradient.b is the mean of grad over the batch; it must be the sum (np.sum over axis 0).',
    variant: ({ inputs }) => np.mean(inputs.grad, 0, true),
  },
  {
    code: 'bias-gradient-shape-m',
    fn: 'linear_layer.backward',
    output: 'db',
    explain:
      'gradient.b has the right values but shape [output_D]; it must have the shape of b, ' +
      '[1, output_D] (np.sum(grad, 0, true) keeps the axis).',
    variant: ({ inputs }) => np.sum(inputs.grad, 0),
  },
  {
    code: 'bias-gradient-not-summed',
    fn: 'linear_layer.backward',
    output: 'db',
    explain:
      'gradient.b is grad itself, one row per example; sum it over the batch into [1, output_D].',
    variant: ({ inputs }) => inputs.grad,
  },
  {
    code: 'input-gradient-transposed',
    fn: 'linear_layer.backward',
    output: 'dX',
    explain:
      'The returned gradient is transposed: dLoss/dX = grad W^T has the shape of X, [N, input_D].',
    variant: ({ inputs }) => np.matmul(inputs.W, inputs.grad.T),
  },
  {
    code: 'gradient-accumulated',
    fn: 'linear_layer.backward',
    output: 'dW',
    explain:
      'gradient.W adds to the value of the previous call: each backward must overwrite the ' +
      'gradient (=, not +=), or every minibatch carries the gradients of all earlier ones.',
    variant: ({ expected, previous }) => (previous ? np.add(previous.dW, expected.dW) : null),
  },
  {
    code: 'bias-gradient-accumulated',
    fn: 'linear_layer.backward',
    output: 'db',
    explain: 'gradient.b adds to the value of the previous call: each backward must overwrite it.',
    variant: ({ expected, previous }) => (previous ? np.add(previous.db, expected.db) : null),
  },
  {
    code: 'gradient-not-stored',
    fn: 'linear_layer.backward',
    output: 'dW',
    explain: 'gradient.W is still all zeros: store X^T grad in this.gradient.W.',
    variant: ({ expected }) => np.zeros(expected.dW.shape),
  },
  {
    code: 'bias-gradient-not-stored',
    fn: 'linear_layer.backward',
    output: 'db',
    explain: 'gradient.b is still all zeros: store the column sums of grad in this.gradient.b.',
    variant: ({ expected }) => np.zeros(expected.db.shape),
  },
  // relu.forward
  {
    code: 'relu-identity',
    fn: 'relu.forward',
    output: 'out',
    explain: 'The output equals the input: negative entries must become 0 (np.maximum(X, 0)).',
    variant: ({ inputs }) => inputs.X,
  },
  {
    code: 'relu-abs',
    fn: 'relu.forward',
    output: 'out',
    explain: 'The output is |X|: negative entries must become 0, not positive.',
    variant: ({ inputs }) => np.abs(inputs.X),
  },
  {
    code: 'relu-min',
    fn: 'relu.forward',
    output: 'out',
    explain: 'The output is min(0, X): the rectifier keeps the positive part, max(0, X).',
    variant: ({ inputs }) => np.minimum(inputs.X, 0),
  },
  // relu.backward
  {
    code: 'relu-backward-lets-negatives-through',
    fn: 'relu.backward',
    output: 'dX',
    explain:
      'The gradient passes where X < 0: relu is flat there, so dLoss/dX must be 0 wherever ' +
      'X <= 0 (multiply grad by the mask X > 0).',
    variant: ({ inputs }) => inputs.grad,
  },
  {
    code: 'relu-backward-lets-negatives-through',
    fn: 'relu.backward',
    output: 'dX',
    explain:
      'The gradient passes wherever X != 0, negative entries included: relu is flat for X < 0, ' +
      'so dLoss/dX must be 0 wherever X <= 0 (multiply grad by the mask X > 0).',
    variant: ({ inputs }) => np.multiply(inputs.grad, np.subtract(1, np.equal(inputs.X, 0))),
  },
  {
    code: 'relu-backward-at-kink',
    fn: 'relu.backward',
    output: 'dX',
    explain:
      'The gradient passes where X == 0: the homework defines it as 0 there (mask X > 0, not X >= 0).',
    variant: ({ inputs }) => np.multiply(inputs.grad, np.greater_equal(inputs.X, 0)),
  },
  {
    code: 'relu-backward-times-input',
    fn: 'relu.backward',
    output: 'dX',
    explain:
      'The gradient is multiplied by X (or by relu(X)); it must be multiplied by the 0/1 mask ' +
      'X > 0.',
    variant: ({ inputs }) => np.multiply(inputs.grad, np.maximum(inputs.X, 0)),
  },
  {
    code: 'relu-backward-times-input-raw',
    fn: 'relu.backward',
    output: 'dX',
    explain: 'The gradient is multiplied by X; it must be multiplied by the 0/1 mask X > 0.',
    variant: ({ inputs }) => np.multiply(inputs.grad, inputs.X),
  },
  // dropout.backward
  {
    code: 'dropout-missing-scale',
    fn: 'dropout.backward',
    output: 'dX',
    explain:
      'The kept entries are not scaled by 1 / (1 - r): the forward multiplied by the mask, ' +
      'which already holds that factor, so backward must multiply grad by the same mask.',
    variant: ({ inputs, expected, rate }) =>
      rate === undefined || rate === 0
        ? null
        : np.multiply(inputs.grad, np.greater(expected.mask, 0)),
  },
  {
    code: 'dropout-scaled-twice',
    fn: 'dropout.backward',
    output: 'dX',
    explain:
      'The kept entries are scaled by 1 / (1 - r) twice: this.mask already holds the factor.',
    variant: ({ inputs, expected, rate }) =>
      rate === undefined || rate === 0
        ? null
        : np.divide(np.multiply(inputs.grad, expected.mask), 1 - rate),
  },
  {
    code: 'dropout-scale-without-mask',
    fn: 'dropout.backward',
    output: 'dX',
    explain:
      'Every entry is scaled by 1 / (1 - r), but the dropped units are not zeroed: multiply grad ' +
      'by this.mask, which is 0 where the forward dropped a unit.',
    variant: ({ inputs, rate }) =>
      rate === undefined || rate === 0 ? null : np.divide(inputs.grad, 1 - rate),
  },
  {
    code: 'dropout-ignores-mask',
    fn: 'dropout.backward',
    output: 'dX',
    explain:
      'The gradient is returned unchanged: multiply it by this.mask, the mask of the forward pass.',
    variant: ({ inputs, rate }) => (rate === 0 ? null : inputs.grad),
  },
  {
    code: 'dropout-fresh-mask',
    fn: 'dropout.backward',
    output: 'dX',
    explain:
      'backward draws a new random mask: it must reuse this.mask from the forward pass, or the ' +
      'gradient flows through units that were dropped.',
    variant: () => null,
    matches: (got, { inputs, expected, rate }) => {
      if (rate === undefined || rate === 0 || got.size !== inputs.grad.size) return false;
      let differs = false;
      let dropped = 0;
      for (let i = 0; i < got.size; i++) {
        const kept = inputs.grad.data[i] / (1 - rate);
        const g = got.data[i];
        const isKept = Math.abs(g - kept) <= 1e-12 * Math.max(1, Math.abs(kept));
        if (g !== 0 && !isKept) return false;
        if (g === 0 && inputs.grad.data[i] !== 0) dropped++;
        if ((g !== 0) !== (expected.mask.data[i] !== 0)) differs = true;
      }
      return differs && dropped > 0;
    },
  },
];

/** The mistake whose variant matches `got`, if any. */
export function diagnose(
  fn: Q32Function,
  output: string,
  got: np.NDArray,
  values: CallValues,
  close: (got: np.NDArray, variant: np.NDArray) => boolean,
): Mistake | undefined {
  for (const mistake of MISTAKES) {
    if (mistake.fn !== fn || mistake.output !== output) continue;
    try {
      if (mistake.matches?.(got, values)) return mistake;
      const variant = mistake.variant(values);
      if (variant && close(got, variant)) return mistake;
    } catch {
      // The variant does not apply to these shapes.
    }
  }
  return undefined;
}
