/**
 * dnn_cnn_2.ts: a convolutional network with two convolutions (Q3.9, Q3.10).
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
    // BEGIN SOLUTION build_model
    // HINT: see dnn_cnn.ts; the second convolution takes 25 channels to 25 with a 3x3 filter,
    // HINT: and the linear layer now sees 25 * 7 * 7 = 1225 features.
    return {
      C1: new conv_layer(1, 25, 5, 1),
      nonlinear1: new relu(),
      M1: new max_pool(2, 2),
      C2: new conv_layer(25, 25, 3, 1),
      nonlinear2: new relu(),
      M2: new max_pool(2, 2),
      F1: new flatten_layer(),
      drop1: new dropout(args.dropout_rate),
      L1: new linear_layer(1225, 10),
      loss: new softmax_cross_entropy(),
    };
    // END SOLUTION
  },

  forward_pass(model: CNN2Model, x: np.NDArray, is_train: boolean): Activations {
    // BEGIN SOLUTION forward_pass
    // HINT: keep every module's output: backward_pass needs them. Return the last one as scores.
    const c1 = model.C1.forward(x); // [N, 25, 28, 28]
    const h1 = model.nonlinear1.forward(c1);
    const m1 = model.M1.forward(h1); // [N, 25, 14, 14]
    const c2 = model.C2.forward(m1); // [N, 25, 14, 14]
    const h2 = model.nonlinear2.forward(c2);
    const m2 = model.M2.forward(h2); // [N, 25, 7, 7]
    const f1 = model.F1.forward(m2); // [N, 1225]
    const d1 = model.drop1.forward(f1, is_train);
    const scores = model.L1.forward(d1); // [N, 10]
    return { c1, h1, m1, c2, h2, m2, f1, d1, scores };
    // END SOLUTION
  },

  backward_pass(model: CNN2Model, x: np.NDArray, act: Activations, grad: np.NDArray): void {
    // BEGIN SOLUTION backward_pass
    // HINT: call each module's backward in reverse order, passing the module's own input.
    const grad_d1 = model.L1.backward(act.d1, grad);
    const grad_f1 = model.drop1.backward(act.f1, grad_d1);
    const grad_m2 = model.F1.backward(act.m2, grad_f1);
    const grad_h2 = model.M2.backward(act.h2, grad_m2);
    const grad_c2 = model.nonlinear2.backward(act.c2, grad_h2);
    const grad_m1 = model.C2.backward(act.m1, grad_c2);
    const grad_h1 = model.M1.backward(act.h1, grad_m1);
    const grad_c1 = model.nonlinear1.backward(act.c1, grad_h1);
    model.C1.backward(x, grad_c1);
    // END SOLUTION
  },
};

if (require.main === module) run_trainer('dnn_cnn_2.ts', network);
