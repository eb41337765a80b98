/**
 * dnn_cnn_2.ts: a convolutional network with two convolutions (Q3.9, Q3.10).
 *
 * This file and dnn_misc.ts are the only files you edit and submit.
 *
 *   conv 1-25 k5 s1 -> relu -> max-pool 2 s2            [N, 25, 14, 14]
 *   -> conv 25-25 k3 s1 -> relu -> max-pool 2 s2        [N, 25, 7, 7]
 *   -> flatten (25*7*7 = 1225) -> dropout -> linear 1225-10 -> softmax cross-entropy
 *
 * Your part (Q3.9): build_model, forward_pass and backward_pass below. Create the modules in
 * the order listed (C1, nonlinear1, M1, C2, nonlinear2, M2, F1, drop1, L1, loss): the
 * parameters are drawn from np.random in that order, so a different order gives a different
 * (and ungradable) run. Do not change anything else in this file.
 *
 * Writes CNN2_lr<lr>_m<alpha>_w<lambda>_d<dropout_rate>.json.
 */
import * as np from './np';
import {
  NotImplementedError, // thrown by the handout's stubs of the three functions below
  conv_layer,
  dropout,
  flatten_layer,
  linear_layer,
  max_pool,
  relu,
  softmax_cross_entropy,
} from './dnn_misc';
import { Activations, Network, TrainArgs, run_trainer } from './dnn_train';

export interface CNN2Model {
  [name: string]: unknown;
  C1: conv_layer;
  nonlinear1: relu;
  M1: max_pool;
  C2: conv_layer;
  nonlinear2: relu;
  M2: max_pool;
  F1: flatten_layer;
  drop1: dropout;
  L1: linear_layer;
  loss: softmax_cross_entropy;
}

export const network: Network<CNN2Model> = {
  prefix: 'CNN2',
  step: 30,
  defaults: { learning_rate: 0.001, dropout_rate: 0.5 },
  input: 'image',

  build_model(args: TrainArgs): CNN2Model {
    // TODO (Q3.9): implement build_model.
    // see dnn_cnn.ts; the second convolution takes 25 channels to 25 with a 3x3 filter,
    // and the linear layer now sees 25 * 7 * 7 = 1225 features.
    throw new NotImplementedError('build_model');
  },

  forward_pass(model: CNN2Model, x: np.NDArray, is_train: boolean): Activations {
    // TODO (Q3.9): implement forward_pass.
    // keep every module's output: backward_pass needs them. Return the last one as scores.
    throw new NotImplementedError('forward_pass');
  },

  backward_pass(model: CNN2Model, x: np.NDArray, act: Activations, grad: np.NDArray): void {
    // TODO (Q3.9): implement backward_pass.
    // call each module's backward in reverse order, passing the module's own input.
    throw new NotImplementedError('backward_pass');
  },
};

if (require.main === module) run_trainer('dnn_cnn_2.ts', network);
