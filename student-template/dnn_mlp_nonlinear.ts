/**
 * dnn_mlp_nonlinear.ts: the MLP without its nonlinearity (Q3.6).
 *
 *   linear 784-1000 -> dropout -> linear 1000-10 -> softmax cross-entropy
 *
 * Without relu the two linear layers compose to one linear map, so this is a linear
 * (softmax regression) classifier. Writes LR_lr<lr>_m<alpha>_w<lambda>_d<dropout_rate>.json.
 *
 * This file is part of the handout and may not be modified.
 */
import * as np from './np';
import { dropout, linear_layer, softmax_cross_entropy } from './dnn_misc';
import { Activations, Network, TrainArgs, run_trainer } from './dnn_train';

export interface LRModel {
  [name: string]: unknown;
  L1: linear_layer;
  drop1: dropout;
  L2: linear_layer;
  loss: softmax_cross_entropy;
}

export const network: Network<LRModel> = {
  prefix: 'LR',
  step: 10,
  defaults: { learning_rate: 0.01, dropout_rate: 0.0 },
  input: 'flat',

  build_model(args: TrainArgs): LRModel {
    return {
      L1: new linear_layer(784, 1000),
      drop1: new dropout(args.dropout_rate),
      L2: new linear_layer(1000, 10),
      loss: new softmax_cross_entropy(),
    };
  },

  forward_pass(model: LRModel, x: np.NDArray, is_train: boolean): Activations {
    const a1 = model.L1.forward(x); // [N, 1000]
    const d1 = model.drop1.forward(a1, is_train);
    const scores = model.L2.forward(d1); // [N, 10]
    return { a1, d1, scores };
  },

  backward_pass(model: LRModel, x: np.NDArray, act: Activations, grad: np.NDArray): void {
    const grad_d1 = model.L2.backward(act.d1, grad);
    const grad_a1 = model.drop1.backward(act.a1, grad_d1);
    model.L1.backward(x, grad_a1);
  },
};

if (require.main === module) run_trainer('dnn_mlp_nonlinear.ts', network);
