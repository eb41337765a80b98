/**
 * dnn_misc.ts: the building blocks of the networks.
 *
 * This file and dnn_cnn_2.ts are the only files you edit and submit.
 *
 * Every module has `forward` and `backward`. For a module computing `out = f(X)`,
 * `backward(X, grad)` receives `grad` = dLoss/d(out) (same shape as out) and returns
 * dLoss/dX (same shape as X). Modules with parameters keep them in `params` and store the
 * gradient of the loss with respect to each parameter in `gradient`, under the same key.
 *
 * Your part (Q3.2): linear_layer.forward, linear_layer.backward, relu.forward, relu.backward and
 * dropout.backward. Use the functions of `np` (see np.ts); do not change anything else.
 */
import * as np from './np';
import { col2im_indices, im2col_indices, patch_geometry } from './dnn_im2col';

/** Thrown by the handout's unfinished functions. */
export class NotImplementedError extends Error {
  constructor(what: string) {
    super(`${what} is not implemented yet`);
    this.name = 'NotImplementedError';
  }
}

/** A module with trainable parameters; `gradient` has the same keys and shapes as `params`. */
export interface Parameterized {
  params: Record<string, np.NDArray>;
  gradient: Record<string, np.NDArray>;
}

/**
 * A fully connected layer: `forward(X) = X W + b`.
 *
 * X: [N, input_D], W: [input_D, output_D], b: [1, output_D], output: [N, output_D].
 */
export class linear_layer implements Parameterized {
  params: { W: np.NDArray; b: np.NDArray };
  gradient: { W: np.NDArray; b: np.NDArray };

  constructor(input_D: number, output_D: number) {
    this.params = {
      W: np.random.normal(0, 0.1, [input_D, output_D]),
      b: np.random.normal(0, 0.1, [1, output_D]),
    };
    this.gradient = {
      W: np.zeros([input_D, output_D]),
      b: np.zeros([1, output_D]),
    };
  }

  /**
   * X: [N, input_D]. Returns X W + b: [N, output_D] (b is added to every row).
   */
  forward(X: np.NDArray): np.NDArray {
    // TODO (Q3.2): implement linear_layer.forward.
    // np.matmul multiplies matrices; np.add broadcasts b [1, output_D] over the rows.
    throw new NotImplementedError('linear_layer.forward');
  }

  /**
   * X: [N, input_D], the input of the forward pass; grad: [N, output_D] = dLoss/d(output).
   * Stores gradient.W = dLoss/dW [input_D, output_D] and gradient.b = dLoss/db [1, output_D]
   * (the batch's contributions are summed, not averaged), and returns dLoss/dX [N, input_D].
   */
  backward(X: np.NDArray, grad: np.NDArray): np.NDArray {
    // TODO (Q3.2): implement linear_layer.backward.
    // dW = X^T grad, db = column sums of grad kept as [1, output_D] (np.sum with keepdims),
    // dX = grad W^T. X.T is the transpose of X.
    throw new NotImplementedError('linear_layer.backward');
  }
}

/** The rectifier, element-wise: `forward(X) = max(0, X)`, for any shape of X. */
export class relu {
  /** Returns max(0, X), same shape as X. */
  forward(X: np.NDArray): np.NDArray {
    // TODO (Q3.2): implement relu.forward.
    // np.maximum compares element-wise and broadcasts a number.
    throw new NotImplementedError('relu.forward');
  }

  /** Returns grad where X > 0 and 0 elsewhere (also at X = 0). */
  backward(X: np.NDArray, grad: np.NDArray): np.NDArray {
    // TODO (Q3.2): implement relu.backward.
    // np.greater gives a 0/1 mask.
    throw new NotImplementedError('relu.backward');
  }
}

/**
 * Inverted dropout with rate r: in training each element is kept with probability 1 - r and
 * scaled by 1 / (1 - r); at test time the input passes unchanged.
 */
export class dropout {
  readonly r: number;
  mask: np.NDArray | null = null;

  constructor(r: number) {
    if (!(r >= 0 && r < 1)) {
      throw new Error(`dropout: the rate must be in [0, 1), got ${r}`);
    }
    this.r = r;
  }

  /** Draws a fresh mask when is_train is true; keeps it in `this.mask` for backward. */
  forward(X: np.NDArray, is_train: boolean): np.NDArray {
    if (is_train) {
      const keep = np.greater_equal(np.random.uniform(0, 1, X.shape), this.r);
      this.mask = np.multiply(keep, 1 / (1 - this.r));
    } else {
      this.mask = np.ones(X.shape);
    }
    return np.multiply(X, this.mask);
  }

  /** Returns dLoss/dX for the mask of the last forward pass. */
  backward(X: np.NDArray, grad: np.NDArray): np.NDArray {
    // TODO (Q3.2): implement dropout.backward.
    // the forward pass multiplied X by this.mask, element by element.
    throw new NotImplementedError('dropout.backward');
  }
}

/**
 * A 2-D convolution with zero padding (filter_len - 1) / 2, computed with im2col.
 *
 * X: [N, num_input, H, W]; W: [num_output, num_input, filter_len, filter_len];
 * b: [num_output, 1]; output: [N, num_output, outH, outW].
 */
export class conv_layer implements Parameterized {
  params: { W: np.NDArray; b: np.NDArray };
  gradient: { W: np.NDArray; b: np.NDArray };
  readonly stride: number;
  readonly padding: number;
  private X_col: np.NDArray | null = null;

  constructor(num_input: number, num_output: number, filter_len: number, stride: number) {
    this.params = {
      W: np.random.normal(0, 0.1, [num_output, num_input, filter_len, filter_len]),
      b: np.random.normal(0, 0.1, [num_output, 1]),
    };
    this.gradient = {
      W: np.zeros([num_output, num_input, filter_len, filter_len]),
      b: np.zeros([num_output, 1]),
    };
    this.stride = stride;
    this.padding = Math.trunc((filter_len - 1) / 2);
  }

  forward(X: np.NDArray): np.NDArray {
    const [filters, , fieldHeight, fieldWidth] = this.params.W.shape;
    const g = patch_geometry(X.shape, fieldHeight, fieldWidth, this.padding, this.stride);

    this.X_col = im2col_indices(X, fieldHeight, fieldWidth, this.padding, this.stride);
    // X_col: [C*kH*kW, outH*outW*N]
    const W_col = this.params.W.reshape(filters, -1); // [F, C*kH*kW]
    const out = np.add(np.matmul(W_col, this.X_col), this.params.b); // [F, outH*outW*N]

    // [F, outH, outW, N] -> [N, F, outH, outW]
    return np.transpose(out.reshape(filters, g.outHeight, g.outWidth, g.batch), [3, 0, 1, 2]);
  }

  backward(X: np.NDArray, grad: np.NDArray): np.NDArray {
    if (this.X_col === null) throw new Error('conv_layer.backward: call forward first');
    const [filters, , fieldHeight, fieldWidth] = this.params.W.shape;

    // grad: [N, F, outH, outW] -> [F, outH*outW*N], the layout of the forward's columns
    const gradCols = np.transpose(grad, [1, 2, 3, 0]).reshape(filters, -1);
    this.gradient.b = np.sum(gradCols, 1, true); // [F, 1]
    this.gradient.W = np.matmul(gradCols, this.X_col.T).reshape(this.params.W.shape);

    const W_col = this.params.W.reshape(filters, -1); // [F, C*kH*kW]
    const dX_col = np.matmul(W_col.T, gradCols); // [C*kH*kW, outH*outW*N]
    return col2im_indices(dX_col, X.shape, fieldHeight, fieldWidth, this.padding, this.stride);
  }
}

/**
 * Max pooling over max_len x max_len windows with the given stride, no padding.
 * The gradient of a window goes to its first maximum in row-major order.
 */
export class max_pool {
  readonly max_len: number;
  readonly stride: number;
  private argmax_cols: np.NDArray | null = null;

  constructor(max_len: number, stride: number) {
    this.max_len = max_len;
    this.stride = stride;
  }

  forward(X: np.NDArray): np.NDArray {
    const [batch, channels, height, width] = X.shape;
    const g = patch_geometry(X.shape, this.max_len, this.max_len, 0, this.stride);

    // Every channel of every example pools on its own: [N*C, 1, H, W].
    const planes = X.reshape(batch * channels, 1, height, width);
    const cols = im2col_indices(planes, this.max_len, this.max_len, 0, this.stride);
    // cols: [max_len*max_len, outH*outW*N*C]
    this.argmax_cols = np.argmax(cols, 0); // [outH*outW*N*C]

    const windows = cols.shape[1];
    const out = new Float64Array(windows);
    for (let col = 0; col < windows; col++) {
      out[col] = cols.data[this.argmax_cols.data[col] * windows + col];
    }
    // [outH, outW, N, C] -> [N, C, outH, outW]
    const pooled = new np.NDArray(out, [g.outHeight, g.outWidth, batch, channels]);
    return np.transpose(pooled, [2, 3, 0, 1]);
  }

  backward(X: np.NDArray, grad: np.NDArray): np.NDArray {
    if (this.argmax_cols === null) throw new Error('max_pool.backward: call forward first');
    const [batch, channels, height, width] = X.shape;

    const gradFlat = np.transpose(grad, [2, 3, 0, 1]); // [outH, outW, N, C], column order
    const windows = gradFlat.size;
    const dCols = np.zeros([this.max_len * this.max_len, windows]);
    for (let col = 0; col < windows; col++) {
      dCols.data[this.argmax_cols.data[col] * windows + col] = gradFlat.data[col];
    }
    const planeShape = [batch * channels, 1, height, width];
    return col2im_indices(dCols, planeShape, this.max_len, this.max_len, 0, this.stride).reshape(
      X.shape,
    );
  }
}

/** [N, ...] to [N, prod(...)] and back. */
export class flatten_layer {
  private size: number[] | null = null;

  forward(X: np.NDArray): np.NDArray {
    this.size = X.shape;
    return X.reshape(X.shape[0], -1);
  }

  backward(X: np.NDArray, grad: np.NDArray): np.NDArray {
    return grad.reshape(this.size ?? X.shape);
  }
}

/**
 * Softmax followed by the cross-entropy loss, averaged over the batch.
 * X: [N, K] scores; Y: [N, 1] integer labels in [0, K).
 */
export class softmax_cross_entropy {
  private expand_Y: np.NDArray | null = null;
  private prob: np.NDArray | null = null;

  forward(X: np.NDArray, Y: np.NDArray): number {
    const [batch, classes] = X.shape;
    const onehot = np.zeros([batch, classes]);
    for (let n = 0; n < batch; n++) {
      const label = Y.data[n];
      if (!Number.isInteger(label) || label < 0 || label >= classes) {
        throw new Error(
          `softmax_cross_entropy: label ${label} of row ${n} is not in [0, ${classes})`,
        );
      }
      onehot.data[n * classes + label] = 1;
    }
    this.expand_Y = onehot;

    const calib_logit = np.subtract(X, np.max(X, 1, true)); // [N, K]
    const sum_exp = np.sum(np.exp(calib_logit), 1, true); // [N, 1]
    this.prob = np.divide(np.exp(calib_logit), sum_exp);
    const logLikelihood = np.multiply(onehot, np.subtract(calib_logit, np.log(sum_exp)));
    return -np.sum(logLikelihood).data[0] / batch;
  }

  backward(X: np.NDArray, Y: np.NDArray): np.NDArray {
    if (this.expand_Y === null || this.prob === null) {
      throw new Error('softmax_cross_entropy.backward: call forward first');
    }
    void Y;
    return np.divide(np.negative(np.subtract(this.expand_Y, this.prob)), X.shape[0]);
  }
}

/** A zero velocity buffer for every parameter of the model, keyed `<module>_<param>`. */
export function add_momentum(model: Record<string, unknown>): Record<string, np.NDArray> {
  const momentum: Record<string, np.NDArray> = {};
  for (const [moduleName, module] of Object.entries(model)) {
    if (!hasParams(module)) continue;
    for (const key of Object.keys(module.params)) {
      momentum[`${moduleName}_${key}`] = np.zeros(module.gradient[key].shape);
    }
  }
  return momentum;
}

/** Whether a module has trainable parameters. */
export function hasParams(module: unknown): module is Parameterized {
  return (
    typeof module === 'object' &&
    module !== null &&
    'params' in module &&
    'gradient' in module &&
    typeof (module as Parameterized).params === 'object'
  );
}
