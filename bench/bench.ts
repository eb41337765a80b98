/**
 * bench/bench.ts: `npm run bench`, the speed of the TypeScript reference against numpy.
 *
 * For each of MLP, CNN and CNN2 it times, with the settings of the homework run the model
 * mirrors, the first `--batches` minibatches of a training epoch exactly as `train` visits them
 * (seed, build, permutation, then per batch: forward with dropout on, loss, backward, SGD
 * update), then as many evaluation batches (forward with dropout off, loss, prediction). A
 * throwaway run of `--warmup` batches comes first, then the generator is seeded again, so the
 * timed run draws what a real run draws. An epoch is projected as 1,200 minibatches plus
 * 1,600 evaluation batches (6,000 training and 2,000 validation examples in batches of 5).
 *
 * When `python3` with numpy is found, bench/numpy_baseline.py times the same three networks
 * in numpy, on the same data, batches and seed, and the table gives the ratio TS / numpy per
 * model. Both sides report their summed losses: equal losses show that they did the same work.
 *
 *   npm run bench -- [--batches 60] [--warmup 5] [--models mlp,cnn,cnn2] [--clock cpu|wall]
 *                    [--json]
 *
 * Results go to stdout, progress and diagnostics to stderr. Exit codes: 0 done (also when no
 * numpy is found: TS figures only), 1 the TS side failed, 2 a bad command line, 3 the numpy
 * baseline failed (the TS figures are printed all the same). Nothing here asserts a timing.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import * as np from '../reference/np';
import { DataSplit, load_mnist_subset } from '../reference/dnn_data';
import { add_momentum } from '../reference/dnn_misc';
import {
  Model,
  Network,
  TrainArgs,
  default_args,
  miniBatchStochasticGradientDescent,
  predict_label,
} from '../reference/dnn_train';
import { network as mlpNetwork } from '../reference/dnn_mlp';
import { network as cnnNetwork } from '../reference/dnn_cnn';
import { network as cnn2Network } from '../reference/dnn_cnn_2';

const TRAIN_EXAMPLES = 6000;
const VALID_EXAMPLES = 2000;
const MINIBATCH = 5;
const TRAIN_BATCHES_PER_EPOCH = TRAIN_EXAMPLES / MINIBATCH; // 1,200
const EVAL_BATCHES_PER_EPOCH = (TRAIN_EXAMPLES + VALID_EXAMPLES) / MINIBATCH; // 1,600
const GOAL_RATIO = 0.5;
/** Summed losses of the two sides agree to this relative error when they did the same work. */
const SAME_WORK_RTOL = 1e-6;

const REPO_ROOT = path.resolve(__dirname, '..');
const NUMPY_SCRIPT = path.join(__dirname, 'numpy_baseline.py');
const PYTHON = 'python3';

// ---------------------------------------------------------------------------------------------
// Command line

type ModelName = 'mlp' | 'cnn' | 'cnn2';
type Clock = 'cpu' | 'wall';

interface BenchOptions {
  batches: number;
  warmup: number;
  models: ModelName[];
  clock: Clock;
  json: boolean;
}

const MODEL_NAMES: readonly ModelName[] = ['mlp', 'cnn', 'cnn2'];
const OPTIONS = ['--batches', '--warmup', '--models', '--clock', '--json', '--help'] as const;

const USAGE = `usage: npm run bench -- [options]

  --batches N         timed minibatches per model, and as many eval batches (default 60, max 1200)
  --warmup N          untimed minibatches first, for the JIT (default 5)
  --models LIST       comma-separated, of mlp,cnn,cnn2 (default all three)
  --clock cpu|wall    which time the table shows (default cpu: process CPU seconds)
  --json              one JSON object on stdout instead of the table
  --help              this text`;

class UsageError extends Error {}

function parseOptions(argv: readonly string[]): BenchOptions | 'help' {
  const options: BenchOptions = {
    batches: 60,
    warmup: 5,
    models: [...MODEL_NAMES],
    clock: 'cpu',
    json: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (!(OPTIONS as readonly string[]).includes(flag)) {
      throw new UsageError(`unknown option ${flag}; known options: ${OPTIONS.join(', ')}`);
    }
    if (flag === '--help') return 'help';
    if (flag === '--json') {
      if (inline !== undefined) throw new UsageError(`--json takes no value, got "${inline}"`);
      options.json = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`${flag} needs a value`);
    switch (flag) {
      case '--batches':
        options.batches = parseCount(flag, value, 1);
        break;
      case '--warmup':
        options.warmup = parseCount(flag, value, 0);
        break;
      case '--models':
        options.models = parseModels(value);
        break;
      case '--clock':
        if (value !== 'cpu' && value !== 'wall') {
          throw new UsageError(`--clock expects cpu or wall, got "${value}"`);
        }
        options.clock = value;
        break;
    }
  }
  return options;
}

function parseCount(flag: string, text: string, min: number): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value) || value < min) {
    throw new UsageError(`${flag} expects a whole number >= ${min}, got "${text}"`);
  }
  if (value > TRAIN_BATCHES_PER_EPOCH) {
    throw new UsageError(`${flag} ${value} exceeds the ${TRAIN_BATCHES_PER_EPOCH} of an epoch`);
  }
  return value;
}

function parseModels(text: string): ModelName[] {
  const names = text.split(',').filter((name) => name !== '');
  const unknown = names.filter((name) => !(MODEL_NAMES as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0) {
    throw new UsageError(
      `--models: unknown model "${unknown.join(',')}"; expected some of ${MODEL_NAMES.join(',')}`,
    );
  }
  return [...new Set(names)] as ModelName[];
}

// ---------------------------------------------------------------------------------------------
// The models and the homework runs they mirror

type Settings = Pick<TrainArgs, 'learning_rate' | 'alpha' | 'lambda' | 'dropout_rate'>;

interface PhaseTiming {
  batches: number;
  cpu_s: number;
  wall_s: number;
  loss_sum: number;
  correct?: number; // eval only
}

interface SideTiming {
  train: PhaseTiming;
  eval: PhaseTiming;
}

interface BenchModel {
  run: string; // the homework run whose settings are used
  settings: Settings;
  time(options: BenchOptions, data: TrainData): SideTiming;
}

function benchModel<M extends Model>(
  network: Network<M>,
  run: string,
  overrides: Partial<Settings>,
): BenchModel {
  const args: TrainArgs = { ...default_args(network as unknown as Network<Model>), ...overrides };
  const { learning_rate, alpha, lambda, dropout_rate } = args;
  return {
    run,
    settings: { learning_rate, alpha, lambda, dropout_rate },
    time(options, data) {
      const X = network.input === 'image' ? data.X.reshape(-1, 1, 28, 28) : data.X;
      const trainSet = new DataSplit(X, data.y);
      if (options.warmup > 0) runPhases(network, args, trainSet, options.warmup);
      return runPhases(network, args, trainSet, options.batches);
    },
  };
}

const MODELS: Record<ModelName, BenchModel> = {
  mlp: benchModel(mlpNetwork, 'Q3.4', { dropout_rate: 0.5 }),
  cnn: benchModel(cnnNetwork, 'Q3.8', { alpha: 0.9 }),
  cnn2: benchModel(cnn2Network, 'Q3.10', { alpha: 0.9 }),
};

// ---------------------------------------------------------------------------------------------
// Timing the TypeScript reference

interface TrainData {
  file: string;
  X: np.NDArray; // [6000, 784]
  y: np.NDArray; // [6000, 1]
}

function measure<T>(work: () => T): { result: T; cpu_s: number; wall_s: number } {
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  const result = work();
  const wall_s = (performance.now() - wallStart) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  return { result, cpu_s: (cpu.user + cpu.system) / 1e6, wall_s };
}

/** A training epoch's first `batches` minibatches, then `batches` evaluation batches. */
function runPhases<M extends Model>(
  network: Network<M>,
  args: TrainArgs,
  trainSet: DataSplit,
  batches: number,
): SideTiming {
  np.random.seed(args.random_seed);
  const model = network.build_model(args);
  const momentum = args.alpha > 0 ? add_momentum(model) : null;
  const order = np.random.permutation(trainSet.N).data;

  const train = measure(() => {
    let lossSum = 0;
    for (let i = 0; i < batches; i++) {
      const idx = order.subarray(i * MINIBATCH, (i + 1) * MINIBATCH);
      const { x, y } = trainSet.get_example(Array.from(idx));

      const activations = network.forward_pass(model, x, true);
      lossSum += model.loss.forward(activations.scores, y);
      const grad = model.loss.backward(activations.scores, y);
      network.backward_pass(model, x, activations, grad);
      miniBatchStochasticGradientDescent(
        model,
        momentum,
        args.lambda,
        args.alpha,
        args.learning_rate,
      );
    }
    return lossSum;
  });

  const evaluation = measure(() => {
    let lossSum = 0;
    let correct = 0;
    for (let i = 0; i < batches; i++) {
      const idx = Array.from({ length: MINIBATCH }, (_, k) => i * MINIBATCH + k);
      const { x, y } = trainSet.get_example(idx);

      const { scores } = network.forward_pass(model, x, false);
      lossSum += model.loss.forward(scores, y);
      const predicted = predict_label(scores);
      for (let k = 0; k < MINIBATCH; k++) correct += +(predicted.data[k] === y.data[k]);
    }
    return { lossSum, correct };
  });

  return {
    train: { batches, cpu_s: train.cpu_s, wall_s: train.wall_s, loss_sum: train.result },
    eval: {
      batches,
      cpu_s: evaluation.cpu_s,
      wall_s: evaluation.wall_s,
      loss_sum: evaluation.result.lossSum,
      correct: evaluation.result.correct,
    },
  };
}

function dataFile(): string {
  return process.env.MNIST_SUBSET || path.join(REPO_ROOT, 'data', 'mnist_subset.json');
}

function loadTrainData(): TrainData {
  const file = dataFile();
  if (!fs.existsSync(file)) {
    throw new Error(`data file ${file} not found: set MNIST_SUBSET or build data/ first`);
  }
  const { train } = load_mnist_subset(file);
  return { file, X: train.X, y: train.y };
}

// ---------------------------------------------------------------------------------------------
// The numpy baseline

interface NumpyModel extends SideTiming {
  run: string;
  settings: Settings;
}

interface NumpyReport {
  python: string;
  numpy: string;
  threads: number;
  blas_build: { name: string | null; version: string | null; config: string | null } | null;
  blas_runtime: {
    source: string;
    libraries: Array<Record<string, unknown>>;
  } | null;
  env: Record<string, string | null>;
  models: Partial<Record<ModelName, NumpyModel>>;
}

type NumpyOutcome =
  | { status: 'ok'; report: NumpyReport }
  | { status: 'unavailable'; reason: string }
  | { status: 'failed'; reason: string };

function numpyAvailable(): string | null {
  const probe = spawnSync(PYTHON, ['-c', 'import numpy'], { encoding: 'utf8' });
  if (probe.error) return `${PYTHON} not found (${probe.error.message})`;
  if (probe.status !== 0) return `${PYTHON} has no numpy (${lastLine(probe.stderr)})`;
  return null;
}

function runNumpy(options: BenchOptions, file: string): NumpyOutcome {
  const missing = numpyAvailable();
  if (missing) return { status: 'unavailable', reason: missing };

  const argv = [
    NUMPY_SCRIPT,
    '--data',
    file,
    '--batches',
    String(options.batches),
    '--warmup',
    String(options.warmup),
    '--models',
    options.models.join(','),
    '--threads',
    '1',
  ];
  const child = spawnSync(PYTHON, argv, {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const command = `${PYTHON} ${argv.map((a) => path.relative(process.cwd(), a) || a).join(' ')}`;
  if (child.error) return { status: 'failed', reason: `${command}: ${child.error.message}` };
  if (child.status !== 0) {
    const why = child.signal ? `killed by ${child.signal}` : `exit code ${child.status}`;
    return { status: 'failed', reason: `${command} failed (${why}):\n${tail(child.stderr, 12)}` };
  }
  try {
    const report = JSON.parse(child.stdout) as NumpyReport;
    const missingModels = options.models.filter((name) => !report.models?.[name]);
    if (missingModels.length > 0) {
      return { status: 'failed', reason: `${command} reported no ${missingModels.join(', ')}` };
    }
    return { status: 'ok', report };
  } catch (error) {
    return {
      status: 'failed',
      reason: `${command} printed no JSON (${(error as Error).message}): ${tail(child.stdout, 3)}`,
    };
  }
}

function lastLine(text: string): string {
  return tail(text, 1) || 'no message';
}

function tail(text: string, lines: number): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

// ---------------------------------------------------------------------------------------------
// Projection and report

interface ModelRow {
  model: ModelName;
  run: string;
  settings: Settings;
  ts: SideTiming & { epoch_cpu_s: number; epoch_wall_s: number };
  numpy: (SideTiming & { epoch_cpu_s: number; epoch_wall_s: number }) | null;
  ratio_cpu: number | null;
  ratio_wall: number | null;
  same_work: boolean | null;
}

function perBatch(phase: PhaseTiming, clock: Clock): number {
  return (clock === 'cpu' ? phase.cpu_s : phase.wall_s) / phase.batches;
}

function projectEpoch(side: SideTiming, clock: Clock): number {
  return (
    TRAIN_BATCHES_PER_EPOCH * perBatch(side.train, clock) +
    EVAL_BATCHES_PER_EPOCH * perBatch(side.eval, clock)
  );
}

function withEpoch(side: SideTiming): SideTiming & { epoch_cpu_s: number; epoch_wall_s: number } {
  return {
    ...side,
    epoch_cpu_s: projectEpoch(side, 'cpu'),
    epoch_wall_s: projectEpoch(side, 'wall'),
  };
}

function closeEnough(a: number, b: number): boolean {
  return Math.abs(a - b) <= SAME_WORK_RTOL * Math.max(1, Math.abs(b));
}

/** Whether both sides ran the same settings and got the same losses and predictions. */
function sameWork(ts: SideTiming, settings: Settings, numpy: NumpyModel): boolean {
  const keys = Object.keys(settings) as (keyof Settings)[];
  return (
    keys.every((key) => settings[key] === numpy.settings[key]) &&
    ts.train.batches === numpy.train.batches &&
    closeEnough(ts.train.loss_sum, numpy.train.loss_sum) &&
    closeEnough(ts.eval.loss_sum, numpy.eval.loss_sum) &&
    ts.eval.correct === numpy.eval.correct
  );
}

function makeRow(name: ModelName, ts: SideTiming, numpy: NumpyModel | undefined): ModelRow {
  const { run, settings } = MODELS[name];
  const tsRow = withEpoch(ts);
  const npRow = numpy ? withEpoch(numpy) : null;
  return {
    model: name,
    run,
    settings,
    ts: tsRow,
    numpy: npRow,
    ratio_cpu: npRow ? tsRow.epoch_cpu_s / npRow.epoch_cpu_s : null,
    ratio_wall: npRow ? tsRow.epoch_wall_s / npRow.epoch_wall_s : null,
    same_work: numpy ? sameWork(ts, settings, numpy) : null,
  };
}

function describeBlas(report: NumpyReport): string {
  const build = report.blas_build;
  const parts = [build ? `built with ${build.name} ${build.version}` : 'build config unknown'];
  const runtime = report.blas_runtime;
  for (const lib of runtime?.libraries ?? []) {
    const kernel = lib.corename ?? lib.architecture ?? '?'; // ctypes probe / threadpoolctl
    const api = lib.internal_api ?? 'openblas';
    parts.push(`runs ${api} kernel ${kernel}, ${lib.num_threads ?? '?'} thread(s)`);
  }
  const source = runtime ? ` (runtime via ${runtime.source})` : ' (runtime kernel unknown)';
  return parts.join(', ') + source;
}

function envLine(): string {
  const show = (name: string): string => `${name}=${process.env[name] ?? '(unset)'}`;
  return `${show('OPENBLAS_CORETYPE')} ${show('OPENBLAS_L2_SIZE')}`;
}

function fmt(value: number | null, digits: number): string {
  return value === null ? '-' : value.toFixed(digits);
}

function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function printReport(
  options: BenchOptions,
  rows: ModelRow[],
  numpy: NumpyOutcome,
  context: { dataFile: string; load: number[] },
): void {
  const clock = options.clock;
  const cpus = os.cpus();
  const lines = [
    `bench: ${options.batches} minibatches of ${MINIBATCH} and ${options.batches} eval batches ` +
      `per model, after ${options.warmup} warm-up; seed 2; data ${context.dataFile}`,
    `node ${process.version} | ${cpus[0]?.model ?? 'cpu ?'} x${cpus.length} | nice ` +
      `${os.getPriority()} | load average at start ${context.load.map((l) => l.toFixed(2)).join(' ')}`,
  ];
  if (numpy.status === 'ok') {
    const r = numpy.report;
    lines.push(`numpy ${r.numpy} (python ${r.python}): ${describeBlas(r)}`);
  } else {
    const why = numpy.status === 'unavailable' ? `not available (${numpy.reason})` : 'FAILED';
    lines.push(`numpy: ${why}: TypeScript figures only`);
  }
  lines.push(`env: ${envLine()}`);
  lines.push(
    `clock: ${clock === 'cpu' ? 'process CPU seconds (user+sys)' : 'wall-clock seconds'}; ` +
      `epoch = ${TRAIN_BATCHES_PER_EPOCH} train + ${EVAL_BATCHES_PER_EPOCH} eval batches`,
  );
  lines.push('');

  const header = [
    'model',
    'run',
    'TS ms/batch (train/eval)',
    'TS s/epoch',
    'numpy s/epoch',
    'ratio TS/numpy',
    `goal: ratio <= ${GOAL_RATIO}`,
    'same losses',
  ];
  const body = rows.map((row) => {
    const ratio = clock === 'cpu' ? row.ratio_cpu : row.ratio_wall;
    const ms = (phase: PhaseTiming): string => (1000 * perBatch(phase, clock)).toFixed(2);
    return [
      row.model,
      row.run,
      `${ms(row.ts.train)} / ${ms(row.ts.eval)}`,
      fmt(clock === 'cpu' ? row.ts.epoch_cpu_s : row.ts.epoch_wall_s, 2),
      fmt(row.numpy ? (clock === 'cpu' ? row.numpy.epoch_cpu_s : row.numpy.epoch_wall_s) : null, 2),
      fmt(ratio, 2),
      ratio === null ? '-' : ratio <= GOAL_RATIO ? 'met' : 'not met',
      row.same_work === null ? '-' : row.same_work ? 'yes' : 'NO',
    ];
  });
  lines.push(formatTable(header, body));
  process.stdout.write(lines.join('\n') + '\n');
}

// ---------------------------------------------------------------------------------------------

function main(argv: readonly string[]): number {
  let parsed: BenchOptions | 'help';
  try {
    parsed = parseOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`bench: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (parsed === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const options = parsed;
  const load = os.loadavg();

  const timings = new Map<ModelName, SideTiming>();
  let data: TrainData;
  try {
    process.stderr.write(`bench: loading ${dataFile()}\n`);
    data = loadTrainData();
    for (const name of options.models) {
      process.stderr.write(`bench: TypeScript ${name}\n`);
      timings.set(name, MODELS[name].time(options, data));
    }
  } catch (error) {
    process.stderr.write(`bench: the TypeScript side failed: ${(error as Error).stack}\n`);
    return 1;
  }

  process.stderr.write(`bench: numpy baseline\n`);
  const numpy = runNumpy(options, data.file);
  if (numpy.status !== 'ok') process.stderr.write(`bench: numpy baseline: ${numpy.reason}\n`);

  const rows = options.models.map((name) =>
    makeRow(
      name,
      timings.get(name)!,
      numpy.status === 'ok' ? numpy.report.models[name] : undefined,
    ),
  );
  for (const row of rows) {
    if (row.same_work === false) {
      process.stderr.write(
        `bench: warning: ${row.model}: TS and numpy losses differ (TS train ` +
          `${row.ts.train.loss_sum}, numpy ${row.numpy?.train.loss_sum}): the ratio compares ` +
          `different work\n`,
      );
    }
  }

  if (options.json) {
    const payload = {
      options,
      data_file: data.file,
      node: process.version,
      cpu: os.cpus()[0]?.model ?? null,
      nice: os.getPriority(),
      load_average_at_start: load,
      epoch: { train_batches: TRAIN_BATCHES_PER_EPOCH, eval_batches: EVAL_BATCHES_PER_EPOCH },
      goal_ratio: GOAL_RATIO,
      numpy:
        numpy.status === 'ok'
          ? { status: 'ok', ...numpy.report, models: undefined }
          : { status: numpy.status, reason: numpy.reason },
      models: rows,
    };
    process.stdout.write(JSON.stringify(payload, null, 2) + '\n');
  } else {
    printReport(options, rows, numpy, { dataFile: data.file, load });
  }
  return numpy.status === 'failed' ? 3 : 0;
}

process.exitCode = main(process.argv.slice(2));
