/**
 * Q3.9 probes: the student's dnn_cnn_2.ts network, seeded, on real digits.
 *
 * The same functions run twice: in the sandbox on the student's code, and in the grader on the
 * reference, so that both sides compute in exactly the same way and only the network differs.
 *   cnn2.model:  the modules build_model creates, in order, with their parameters after a seed
 *   cnn2.forward:  forward scores and loss on a fixed batch, from given parameters (so a
 *                  construction mistake does not hide a correct forward)
 *   cnn2.backward: the same, then every parameter gradient (a separate probe, so a crash in
 *                  backward_pass does not hide a correct forward)
 *   cnn2.steps:  the first few minibatches of the training loop of q310.sh
 */
import * as path from 'path';
import type * as npTypes from '../../reference/np';
import type * as trainTypes from '../../reference/dnn_train';
import type * as miscTypes from '../../reference/dnn_misc';
import type * as dataTypes from '../../reference/dnn_data';
import { toError } from './grader_probe';
import type { CallResult, OutputValue, Probe, Runner } from './grader_probe';
import { decodeArray, encodeArray, WireArray } from './grader_wire';

type NDArray = npTypes.NDArray;

/** The handout modules a probe runs against: the student's (in the child) or the reference. */
export interface Cnn2Env {
  np: typeof npTypes;
  train: typeof trainTypes;
  misc: typeof miscTypes;
  data: typeof dataTypes;
  network: trainTypes.Network<trainTypes.Model>;
}

const arrayOut = (a: unknown): OutputValue => {
  const maybe = a as NDArray | undefined;
  if (
    !maybe ||
    typeof maybe !== 'object' ||
    !(maybe.data instanceof Float64Array) ||
    !Array.isArray(maybe.shape)
  ) {
    return { invalid: `is ${maybe === undefined ? 'undefined' : 'not an np.NDArray'}` };
  }
  return { array: encodeArray(maybe.shape, maybe.data) };
};

function argsFor(env: Cnn2Env): trainTypes.TrainArgs {
  const args = env.train.default_args(env.network);
  args.alpha = 0.9; // as q310.sh
  return args;
}

/** Every parameter of the model as `<module>.<param>`, in module order. */
function parameters(env: Cnn2Env, model: Record<string, unknown>): [string, NDArray, NDArray][] {
  const out: [string, NDArray, NDArray][] = [];
  for (const [name, module] of Object.entries(model)) {
    if (!env.misc.hasParams(module)) continue;
    for (const key of Object.keys(module.params)) {
      out.push([`${name}.${key}`, module.params[key], module.gradient[key]]);
    }
  }
  return out;
}

function toNd(env: Cnn2Env, wire: unknown): NDArray {
  const { shape, data } = decodeArray(wire);
  return new env.np.NDArray(data, shape);
}

/** Runs one Q3.9 probe; errors propagate to the caller. */
export function runCnn2Probe(env: Cnn2Env, probe: Probe): CallResult {
  const outputs: Record<string, OutputValue> = {};
  const args = argsFor(env);
  env.np.random.seed(probe.seed ?? 0);
  const model = env.network.build_model(args) as unknown as Record<string, unknown>;
  if (typeof model !== 'object' || model === null)
    throw new Error('build_model did not return an object');

  if (probe.kind === 'cnn2.model') {
    for (const [name, module] of Object.entries(model)) {
      const cls =
        (module as { constructor?: { name?: string } } | null)?.constructor?.name ?? typeof module;
      outputs[`module.${name}`] = { text: cls };
    }
    for (const [name, param] of parameters(env, model)) outputs[`param.${name}`] = arrayOut(param);
    return { outputs, mutated: [] };
  }

  if (probe.kind === 'cnn2.forward' || probe.kind === 'cnn2.backward') {
    const given = (probe.params ?? {}) as Record<string, WireArray>;
    for (const [name, module] of Object.entries(model)) {
      if (!env.misc.hasParams(module)) continue;
      for (const key of Object.keys(module.params)) {
        const wire = given[`${name}.${key}`];
        if (wire) module.params[key] = toNd(env, wire);
      }
    }
    const call = probe.calls[0];
    const x = toNd(env, call.X);
    const y = toNd(env, call.y);
    const typed = model as trainTypes.Model;
    const activations = env.network.forward_pass(typed, x, false);
    outputs.scores = arrayOut(activations?.scores);
    const loss = typed.loss.forward(activations.scores, y);
    outputs.loss = { number: loss };
    if (probe.kind === 'cnn2.forward') return { outputs, mutated: [] };
    const grad = typed.loss.backward(activations.scores, y);
    env.network.backward_pass(typed, x, activations, grad);
    for (const [name, , gradient] of parameters(env, model))
      outputs[`grad.${name}`] = arrayOut(gradient);
    return { outputs, mutated: [] };
  }

  if (probe.kind === 'cnn2.steps') {
    const steps = Number(probe.calls[0]?.steps ?? 3);
    const subset = env.data.load_mnist_subset(String(probe.calls[0]?.dataFile));
    const trainSet = new env.data.DataSplit(subset.train.X.reshape(-1, 1, 28, 28), subset.train.y);
    const typed = model as trainTypes.Model;
    const momentum = env.misc.add_momentum(typed);
    const order = env.np.random.permutation(trainSet.N).data;
    for (let i = 0; i < steps; i++) {
      const idx = Array.from(
        order.subarray(i * args.minibatch_size, (i + 1) * args.minibatch_size),
      );
      const { x, y } = trainSet.get_example(idx);
      const loss = env.train.train_step(
        env.network,
        typed,
        momentum,
        x,
        y,
        args,
        args.learning_rate,
      );
      outputs[`loss.${i + 1}`] = { number: loss };
    }
    for (const [name, param] of parameters(env, model)) outputs[`param.${name}`] = arrayOut(param);
    return { outputs, mutated: [] };
  }
  throw new Error(`unknown probe kind ${probe.kind}`);
}

/** Called by grader_probe.js in the sandbox: registers the runners on the student's modules. */
export function register(registerRunner: (kind: string, runner: Runner) => void): void {
  const load = (name: string): unknown => require(path.join(process.cwd(), `${name}.js`));
  const runner: Runner = (_harness, probe) => {
    const cnn2 = load('dnn_cnn_2') as { network?: trainTypes.Network<trainTypes.Model> };
    if (!cnn2.network || typeof cnn2.network !== 'object') {
      throw new Error('dnn_cnn_2.ts does not export `network`');
    }
    const env: Cnn2Env = {
      np: load('np') as typeof npTypes,
      train: load('dnn_train') as typeof trainTypes,
      misc: load('dnn_misc') as typeof miscTypes,
      data: load('dnn_data') as typeof dataTypes,
      network: cnn2.network,
    };
    try {
      return [runCnn2Probe(env, probe)];
    } catch (error) {
      return [{ outputs: {}, mutated: [], error: toError(error) }];
    }
  };
  for (const kind of CNN2_PROBE_KINDS) registerRunner(kind, runner);
}

export const CNN2_PROBE_KINDS = [
  'cnn2.model',
  'cnn2.forward',
  'cnn2.backward',
  'cnn2.steps',
] as const;
