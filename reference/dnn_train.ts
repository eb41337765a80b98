/**
 * dnn_train.ts: the training loop shared by the four trainer scripts.
 *
 * A script describes its network (which modules, how data flows forward and back) and calls
 * `run_trainer`. Each epoch: decay the learning rate every `step` epochs, visit the training set
 * in a fresh random order in minibatches, update every parameter by SGD (with momentum and
 * weight decay when asked), then measure accuracy on the training and validation sets with
 * dropout off. After the last epoch the accuracies are written to
 * `<PREFIX>_lr<lr>_m<alpha>_w<lambda>_d<dropout_rate>.json`.
 *
 * This file is part of the handout and may not be modified.
 */
import * as fs from 'fs';
import * as np from './np';
import { DataSplit, load_mnist_subset } from './dnn_data';
import { add_momentum, hasParams, softmax_cross_entropy } from './dnn_misc';

/** The command-line settings of a run. */
export interface TrainArgs {
  random_seed: number;
  learning_rate: number;
  alpha: number;
  lambda: number;
  dropout_rate: number;
  num_epoch: number;
  minibatch_size: number;
}

/** Every module's output on the way forward; `scores` [N, 10] is the network's output. */
export type Activations = { scores: np.NDArray } & Record<string, np.NDArray>;

/** The model of every network: named modules, and a `loss`. */
export type Model = { loss: softmax_cross_entropy } & Record<string, unknown>;

/** What a trainer script tells the loop about its network. */
export interface Network<M extends Model = Model> {
  /** File name prefix: MLP, LR, CNN or CNN2. */
  prefix: string;
  /** The learning rate is multiplied by 0.1 every `step` epochs. */
  step: number;
  /** Defaults that differ between scripts. */
  defaults: { learning_rate: number; dropout_rate: number };
  /** 'flat': inputs [N, 784]; 'image': inputs [N, 1, 28, 28]. */
  input: 'flat' | 'image';
  /** Creates the modules, drawing their parameters in creation order. */
  build_model(args: TrainArgs): M;
  /** Runs x forward; dropout draws a mask only when is_train is true. */
  forward_pass(model: M, x: np.NDArray, is_train: boolean): Activations;
  /** From grad = dLoss/dscores, fills every module's gradient, last module first. */
  backward_pass(model: M, x: np.NDArray, activations: Activations, grad: np.NDArray): void;
}

export interface TrainResult {
  train: number[];
  val: number[];
  train_loss: number[];
  output_file: string;
}

// ---------------------------------------------------------------------------------------------
// Command line

const FLAGS: readonly (keyof TrainArgs)[] = [
  'random_seed',
  'learning_rate',
  'alpha',
  'lambda',
  'dropout_rate',
  'num_epoch',
  'minibatch_size',
];

/** An error in the command line; the message says what was expected. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function usage(script: string, network: Network<Model>): string {
  const d = default_args(network);
  return [
    `usage: npx tsx ${script} [--flag value ...]`,
    '',
    `  --random_seed N       seed of np.random (default ${d.random_seed})`,
    `  --learning_rate X     initial learning rate (default ${py_float(d.learning_rate)})`,
    `  --alpha X             momentum, 0 for none (default ${py_float(d.alpha)})`,
    `  --lambda X            weight decay (default ${py_float(d.lambda)})`,
    `  --dropout_rate X      dropout rate in [0, 1) (default ${py_float(d.dropout_rate)})`,
    `  --num_epoch N         number of epochs (default ${d.num_epoch})`,
    `  --minibatch_size N    examples per minibatch (default ${d.minibatch_size})`,
  ].join('\n');
}

export function default_args(network: Network<Model>): TrainArgs {
  return {
    random_seed: 2,
    learning_rate: network.defaults.learning_rate,
    alpha: 0.0,
    lambda: 0.0,
    dropout_rate: network.defaults.dropout_rate,
    num_epoch: 30,
    minibatch_size: 5,
  };
}

/** Parses `--flag value` and `--flag=value`; unknown flags and bad values throw a UsageError. */
export function parse_args(argv: readonly string[], network: Network<Model>): TrainArgs {
  const args = default_args(network);
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    const match = /^--([a-z_]+)(?:=(.*))?$/.exec(token);
    if (!match)
      throw new UsageError(`unexpected argument "${token}": flags look like --name value`);
    const name = match[1] as keyof TrainArgs;
    if (!FLAGS.includes(name)) {
      throw new UsageError(`unknown flag --${match[1]}; known flags: --${FLAGS.join(', --')}`);
    }
    const text = match[2] ?? argv[++i];
    if (text === undefined) throw new UsageError(`--${name} needs a value`);
    args[name] = parse_value(name, text);
  }
  return args;
}

function parse_value(name: keyof TrainArgs, text: string): number {
  const value = text.trim() === '' ? NaN : Number(text);
  const fail = (expected: string): never => {
    throw new UsageError(`--${name} expects ${expected}, got "${text}"`);
  };
  if (!Number.isFinite(value)) fail('a number');
  switch (name) {
    case 'random_seed':
      if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
        fail('an integer in [0, 4294967295]');
      }
      break;
    case 'num_epoch':
    case 'minibatch_size':
      if (!Number.isInteger(value) || value < 1) fail('a whole number >= 1');
      break;
    case 'learning_rate':
      if (value <= 0) fail('a number > 0');
      break;
    case 'alpha':
    case 'dropout_rate':
      if (value < 0 || value >= 1) fail('a number in [0, 1)');
      break;
    case 'lambda':
      if (value < 0) fail('a number >= 0');
      break;
  }
  return value;
}

/**
 * A float as Python's `str()` prints it: `0.01`, `0.0`, `0.5`, `1e-05`.
 * The output file names use it so that they match the original homework's.
 */
export function py_float(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const [mantissa, exponentText] = Math.abs(value).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  const sign = value < 0 ? '-' : '';
  const pointAt = exponent + 1; // digits before the decimal point
  if (pointAt <= -4 || pointAt > 16) {
    const rest = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const expSign = exponent < 0 ? '-' : '+';
    return `${sign}${rest}e${expSign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (pointAt <= 0) return `${sign}0.${'0'.repeat(-pointAt)}${digits}`;
  if (pointAt >= digits.length) return `${sign}${digits}${'0'.repeat(pointAt - digits.length)}.0`;
  return `${sign}${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
}

export function output_file_name(prefix: string, args: TrainArgs): string {
  const lr = py_float(args.learning_rate);
  return `${prefix}_lr${lr}_m${py_float(args.alpha)}_w${py_float(args.lambda)}_d${py_float(args.dropout_rate)}.json`;
}

/** The JSON text of the accuracies, as Python's json.dump writes it. */
export function results_json(train: readonly number[], val: readonly number[]): string {
  const list = (values: readonly number[]): string => `[${values.map(py_float).join(', ')}]`;
  return `{"train": ${list(train)}, "val": ${list(val)}}`;
}

// ---------------------------------------------------------------------------------------------
// Training

/** One SGD step on every parameter: g = grad + lambda p; with momentum v = alpha v - lr g. */
export function miniBatchStochasticGradientDescent(
  model: Model,
  momentum: Record<string, np.NDArray> | null,
  _lambda: number,
  _alpha: number,
  _learning_rate: number,
): void {
  for (const [moduleName, module] of Object.entries(model)) {
    if (!hasParams(module)) continue;
    for (const key of Object.keys(module.params)) {
      const p = module.params[key].data;
      const grad = module.gradient[key].data;
      if (grad.length !== p.length) {
        throw new Error(
          `${moduleName}.gradient.${key} has shape [${module.gradient[key].shape.join(', ')}], ` +
            `expected the shape of ${moduleName}.params.${key} [${module.params[key].shape.join(', ')}]`,
        );
      }
      if (_alpha > 0 && momentum) {
        const v = momentum[`${moduleName}_${key}`].data;
        for (let i = 0; i < p.length; i++) {
          const g = grad[i] + _lambda * p[i];
          v[i] = _alpha * v[i] - _learning_rate * g;
          p[i] += v[i];
        }
      } else {
        for (let i = 0; i < p.length; i++) p[i] -= _learning_rate * (grad[i] + _lambda * p[i]);
      }
    }
  }
}

/** One minibatch: forward with dropout on, loss, backward, SGD update. Returns the loss. */
export function train_step<M extends Model>(
  network: Network<M>,
  model: M,
  momentum: Record<string, np.NDArray> | null,
  x: np.NDArray,
  y: np.NDArray,
  args: TrainArgs,
  learning_rate: number,
): number {
  const activations = network.forward_pass(model, x, true);
  const loss = model.loss.forward(activations.scores, y);
  const grad = model.loss.backward(activations.scores, y);
  network.backward_pass(model, x, activations, grad);
  miniBatchStochasticGradientDescent(model, momentum, args.lambda, args.alpha, learning_rate);
  return loss;
}

/** Index of the first maximum of each row, as an [N, 1] array. */
export function predict_label(scores: np.NDArray): np.NDArray {
  return np.argmax(scores, 1).reshape(-1, 1);
}

/** Fraction of correct predictions and summed batch losses over the first whole batches. */
function evaluate<M extends Model>(
  network: Network<M>,
  model: M,
  set: DataSplit,
  batch: number,
): { accuracy: number; loss: number } {
  let correct = 0;
  let count = 0;
  let loss = 0;
  const batches = Math.floor(set.N / batch);
  for (let i = 0; i < batches; i++) {
    const idx = Array.from({ length: batch }, (_, k) => i * batch + k);
    const { x, y } = set.get_example(idx);
    const { scores } = network.forward_pass(model, x, false);
    loss += model.loss.forward(scores, y);
    const predicted = predict_label(scores);
    for (let k = 0; k < batch; k++) correct += +(predicted.data[k] === y.data[k]);
    count += batch;
  }
  return { accuracy: correct / count, loss };
}

/** A one-line progress bar on a terminal; silent in logs and CI. */
class Progress {
  private readonly enabled = Boolean(process.stderr.isTTY) && !process.env.CI;
  private lastDraw = 0;

  update(label: string, done: number, total: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (done < total && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const width = 30;
    const filled = Math.round((width * done) / total);
    const bar = '#'.repeat(filled) + '.'.repeat(width - filled);
    process.stderr.write(`\r${label} [${bar}] ${done}/${total}`);
    if (done === total) process.stderr.write('\r' + ' '.repeat(label.length + width + 24) + '\r');
  }
}

/** Trains `network` with `args` on the data; writes the output file into `outputDir`. */
export function train<M extends Model>(
  network: Network<M>,
  args: TrainArgs,
  options: { outputDir?: string; log?: (line: string) => void } = {},
): TrainResult {
  const log = options.log ?? ((line: string) => console.log(line));
  np.random.seed(args.random_seed);

  const data = load_mnist_subset();
  const asInput = (X: np.NDArray): np.NDArray =>
    network.input === 'image' ? X.reshape(-1, 1, 28, 28) : X;
  const trainSet = new DataSplit(asInput(data.train.X), data.train.y);
  const valSet = new DataSplit(asInput(data.valid.X), data.valid.y);
  if (args.minibatch_size > trainSet.N) {
    throw new UsageError(`--minibatch_size ${args.minibatch_size} exceeds ${trainSet.N} examples`);
  }

  const model = network.build_model(args);
  const momentum = args.alpha > 0 ? add_momentum(model) : null;
  const batches = Math.floor(trainSet.N / args.minibatch_size);
  const progress = new Progress();
  let learningRate = args.learning_rate;
  const result: TrainResult = { train: [], val: [], train_loss: [], output_file: '' };

  for (let t = 0; t < args.num_epoch; t++) {
    log(`At epoch ${t + 1}`);
    if (t % network.step === 0 && t !== 0) learningRate *= 0.1;

    const order = np.random.permutation(trainSet.N).data;
    for (let i = 0; i < batches; i++) {
      const idx = order.subarray(i * args.minibatch_size, (i + 1) * args.minibatch_size);
      const { x, y } = trainSet.get_example(Array.from(idx));

      train_step(network, model, momentum, x, y, args, learningRate);
      progress.update(`epoch ${t + 1}/${args.num_epoch}`, i + 1, batches);
    }

    const trainEval = evaluate(network, model, trainSet, args.minibatch_size);
    const valEval = evaluate(network, model, valSet, args.minibatch_size);
    result.train.push(trainEval.accuracy);
    result.val.push(valEval.accuracy);
    result.train_loss.push(trainEval.loss);
    log(`Training loss at epoch ${t + 1} is ${py_float(trainEval.loss)}`);
    log(`Training accuracy at epoch ${t + 1} is ${py_float(trainEval.accuracy)}`);
    log(`Validation accuracy at epoch ${t + 1} is ${py_float(valEval.accuracy)}`);
  }

  const name = output_file_name(network.prefix, args);
  result.output_file = options.outputDir ? `${options.outputDir}/${name}` : name;
  fs.writeFileSync(result.output_file, results_json(result.train, result.val));
  log('Finish running!');
  return result;
}

/** The body of every trainer script: parse the flags, train, and report errors plainly. */
export function run_trainer<M extends Model>(script: string, network: Network<M>): void {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(usage(script, network as unknown as Network<Model>));
    return;
  }
  try {
    train(network, parse_args(argv, network as unknown as Network<Model>));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${script}: ${message}\n`);
    if (error instanceof UsageError) process.stderr.write(`run with --help for the flags\n`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  }
}
