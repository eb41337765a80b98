/**
 * dnn_mlp.ts: a multi-layer perceptron (Q3.3 - Q3.5).
 *
 *   linear 784-1000 -> relu -> dropout -> linear 1000-10 -> softmax cross-entropy
 *
 * Run: npx tsx dnn_mlp.ts [--dropout_rate 0.5] ...   (--help lists the flags)
 * Writes MLP_lr<lr>_m<alpha>_w<lambda>_d<dropout_rate>.json.
 *
 * This file is part of the handout and may not be modified.
 */
import * as np from './np';
import { dropout, linear_layer, relu, softmax_cross_entropy } from './dnn_misc';
import { Activations, Network, TrainArgs, run_trainer } from './dnn_train';

export interface MLPModel {
  [name: string]: unknown;
  L1: linear_layer;
  nonlinear1: relu;
  drop1: dropout;
  L2: linear_layer;
  loss: softmax_cross_entropy;
}

export const network: Network<MLPModel> = {
  prefix: 'MLP',
  step: 10,
  defaults: { learning_rate: 0.01, dropout_rate: 0.0 },
  input: 'flat',

  build_model(args: TrainArgs): MLPModel {
    return {
      L1: new linear_layer(784, 1000),
      nonlinear1: new relu(),
      drop1: new dropout(args.dropout_rate),
      L2: new linear_layer(1000, 10),
      loss: new softmax_cross_entropy(),
    };
  },

  forward_pass(model: MLPModel, x: np.NDArray, is_train: boolean): Activations {
    const a1 = model.L1.forward(x); // [N, 1000]
    const h1 = model.nonlinear1.forward(a1);
    const d1 = model.drop1.forward(h1, is_train);
    const scores = model.L2.forward(d1); // [N, 10]
    return { a1, h1, d1, scores };
  },

  backward_pass(model: MLPModel, x: np.NDArray, act: Activations, grad: np.NDArray): void {
    const grad_d1 = model.L2.backward(act.d1, grad);
    const grad_h1 = model.drop1.backward(act.h1, grad_d1);
    const grad_a1 = model.nonlinear1.backward(act.a1, grad_h1);
    model.L1.backward(x, grad_a1);
  },
};

if (require.main === module) run_trainer('dnn_mlp.ts', network);
