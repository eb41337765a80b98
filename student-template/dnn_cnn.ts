/**
 * dnn_cnn.ts: a convolutional network (Q3.7, Q3.8).
 *
 *   conv 1-25 k5 s1 -> relu -> max-pool 2 s2 -> flatten (25*14*14 = 4900) -> dropout
 *   -> linear 4900-10 -> softmax cross-entropy
 *
 * Writes CNN_lr<lr>_m<alpha>_w<lambda>_d<dropout_rate>.json.
 *
 * This file is part of the handout and may not be modified.
 */
import * as np from './np';
import {
  conv_layer,
  dropout,
  flatten_layer,
  linear_layer,
  max_pool,
  relu,
  softmax_cross_entropy,
} from './dnn_misc';
import { Activations, Network, TrainArgs, run_trainer } from './dnn_train';

export interface CNNModel {
  [name: string]: unknown;
  C1: conv_layer;
  nonlinear1: relu;
  M1: max_pool;
  F1: flatten_layer;
  drop1: dropout;
  L1: linear_layer;
  loss: softmax_cross_entropy;
}

export const network: Network<CNNModel> = {
  prefix: 'CNN',
  step: 10,
  defaults: { learning_rate: 0.01, dropout_rate: 0.5 },
  input: 'image',

  build_model(args: TrainArgs): CNNModel {
    return {
      C1: new conv_layer(1, 25, 5, 1),
      nonlinear1: new relu(),
      M1: new max_pool(2, 2),
      F1: new flatten_layer(),
      drop1: new dropout(args.dropout_rate),
      L1: new linear_layer(4900, 10),
      loss: new softmax_cross_entropy(),
    };
  },

  forward_pass(model: CNNModel, x: np.NDArray, is_train: boolean): Activations {
    const c1 = model.C1.forward(x); // [N, 25, 28, 28]
    const h1 = model.nonlinear1.forward(c1);
    const m1 = model.M1.forward(h1); // [N, 25, 14, 14]
    const f1 = model.F1.forward(m1); // [N, 4900]
    const d1 = model.drop1.forward(f1, is_train);
    const scores = model.L1.forward(d1); // [N, 10]
    return { c1, h1, m1, f1, d1, scores };
  },

  backward_pass(model: CNNModel, x: np.NDArray, act: Activations, grad: np.NDArray): void {
    const grad_d1 = model.L1.backward(act.d1, grad);
    const grad_f1 = model.drop1.backward(act.f1, grad_d1);
    const grad_m1 = model.F1.backward(act.m1, grad_f1);
    const grad_h1 = model.M1.backward(act.h1, grad_m1);
    const grad_c1 = model.nonlinear1.backward(act.c1, grad_h1);
    model.C1.backward(x, grad_c1);
  },
};

if (require.main === module) run_trainer('dnn_cnn.ts', network);
