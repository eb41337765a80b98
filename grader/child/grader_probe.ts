/**
 * The probe harness: runs inside the sandbox, next to the pristine handout and the student's two
 * files, and calls the student's code on inputs the grader chose. It never sees an expected
 * value: it writes what the student's code returned, one JSON line per probe, to
 * `grader_results.jsonl`, and the grader compares.
 *
 * Usage (by the grader only): node grader_probe.js <input.json>
 */
import * as fs from 'fs';
import * as path from 'path';
import type * as npTypes from '../../reference/np';
import { WireArray, decodeArray, encodeArray } from './grader_wire';

type NDArray = npTypes.NDArray;
type Np = typeof npTypes;

export type WireValue = WireArray | number | boolean | string | null;

export interface Probe {
  id: string;
  kind: string;
  seed?: number;
  ctor?: number[];
  params?: Record<string, WireArray>;
  calls: Record<string, WireValue>[];
}

export interface ProbeError {
  name: string;
  message: string;
  /** The first stack frame in the student's files, e.g. `dnn_misc.ts:57:12`. */
  where?: string;
}

export interface OutputValue {
  array?: WireArray;
  number?: number;
  /** A name, e.g. a module's class. */
  text?: string;
  /** Why the returned value is not usable, e.g. "returned undefined". */
  invalid?: string;
}

export interface CallResult {
  outputs: Record<string, OutputValue>;
  /** Names of inputs the call changed in place. */
  mutated: string[];
  error?: ProbeError;
}

export interface ProbeResult {
  id: string;
  calls: CallResult[];
  error?: ProbeError;
  ms: number;
}

export const RESULTS_FILE = 'grader_results.jsonl';
const MAX_ELEMENTS = 2_000_000;

const workDir = process.cwd();
const load = (name: string): Record<string, unknown> =>
  require(path.join(workDir, `${name}.js`)) as Record<string, unknown>;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a plain array';
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'no class'})`;
  return typeof value === 'number' ? `the number ${value}` : typeof value;
}

/** The student edits these two files; a stack frame in them is where to look first. */
const STUDENT_FILES = ['dnn_misc.ts', 'dnn_cnn_2.ts'];

export function toError(error: unknown): ProbeError {
  if (!(error instanceof Error)) {
    let what: string;
    try {
      what = describe(error);
    } catch {
      what = 'a value that cannot be described';
    }
    return { name: 'a non-Error value', message: what };
  }
  const frames = (error.stack ?? '')
    .split('\n')
    .map((line) => /(dnn_[a-z0-9_]+\.ts):(\d+):(\d+)/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ file: match[1], at: `${match[1]}:${match[2]}` }));
  const first = frames[0];
  const student = frames.find((frame) => STUDENT_FILES.includes(frame.file));
  let where = first?.at;
  if (first && student && student !== first) where = `${first.at}, called from ${student.at}`;
  return {
    name: String(error.name).slice(0, 100),
    message: String(error.message).slice(0, 2000),
    where,
  };
}

export class Harness {
  constructor(private readonly np: Np) {}

  array(value: WireValue | undefined): NDArray {
    const { shape, data } = decodeArray(value);
    return new this.np.NDArray(data, shape);
  }

  /** What a student returned, checked to be a usable array. */
  output(value: unknown): OutputValue {
    if (value instanceof this.np.NDArray) {
      if (value.size > MAX_ELEMENTS)
        return { invalid: `returned an array of ${value.size} elements` };
      if (!(value.data instanceof Float64Array) || value.data.length !== value.size) {
        return { invalid: 'returned an np.NDArray whose data is not a Float64Array of its size' };
      }
      return { array: encodeArray(value.shape, value.data) };
    }
    if (typeof value === 'number') return { number: value };
    return { invalid: `returned ${describe(value)}, expected an np.NDArray` };
  }

  /** Runs `body`, recording outputs and which of `inputs` it changed. */
  call(
    inputs: Record<string, NDArray>,
    body: (outputs: Record<string, unknown>) => void,
  ): CallResult {
    const before = Object.entries(inputs).map(
      ([name, a]) => [name, a, Float64Array.from(a.data)] as const,
    );
    const raw: Record<string, unknown> = {};
    let error: ProbeError | undefined;
    try {
      body(raw);
    } catch (e) {
      error = toError(e);
    }
    const mutated = before
      .filter(
        ([, a, copy]) =>
          a.data.length !== copy.length || a.data.some((v, i) => !Object.is(v, copy[i])),
      )
      .map(([name]) => name);
    const outputs: Record<string, OutputValue> = {};
    for (const [name, value] of Object.entries(raw)) outputs[name] = this.output(value);
    return { outputs, mutated, error };
  }
}

export type Runner = (h: Harness, probe: Probe, np: Np) => CallResult[];

const moduleClass = (name: string): new (...args: number[]) => Record<string, unknown> => {
  const misc = load('dnn_misc');
  const found = misc[name];
  if (typeof found !== 'function') throw new Error(`dnn_misc.ts does not export the class ${name}`);
  return found as new (...args: number[]) => Record<string, unknown>;
};

/** Calls a method by name, with a clear error when it is missing. */
function invoke(target: Record<string, unknown>, method: string, ...args: unknown[]): unknown {
  const fn = target[method];
  if (typeof fn !== 'function') throw new Error(`${method} is not a method of this class`);
  return (fn as (...a: unknown[]) => unknown).apply(target, args);
}

/** Forward before backward, as the trainers do; a failing forward does not stop the backward. */
function tryForward(layer: Record<string, unknown>, ...args: unknown[]): void {
  try {
    invoke(layer, 'forward', ...args);
  } catch {
    // The forward is graded on its own; the backward may not need it.
  }
}

function gradientOf(layer: Record<string, unknown>, key: string): unknown {
  const gradient = layer.gradient as Record<string, unknown> | undefined;
  return gradient?.[key];
}

/** A student's linear_layer with the probe's W and b in place of its random ones. */
function linearLayer(
  h: Harness,
  probe: Probe,
): { layer: Record<string, unknown>; params: Record<string, NDArray> } {
  const layer = new (moduleClass('linear_layer'))(probe.ctor![0], probe.ctor![1]);
  if (typeof layer.params !== 'object' || layer.params === null) {
    throw new Error('linear_layer has no `params` object: keep the constructor of the handout');
  }
  const params = layer.params as Record<string, NDArray>;
  params.W = h.array(probe.params!.W);
  params.b = h.array(probe.params!.b);
  return { layer, params };
}

const RUNNERS: Record<string, Runner> = {
  'linear_layer.forward': (h, probe) => {
    const { layer, params } = linearLayer(h, probe);
    return probe.calls.map((c) => {
      const X = h.array(c.X);
      return h.call({ X, W: params.W, b: params.b }, (out) => {
        out.out = invoke(layer, 'forward', X);
      });
    });
  },

  'linear_layer.backward': (h, probe) => {
    const { layer, params } = linearLayer(h, probe);
    return probe.calls.map((c) => {
      const X = h.array(c.X);
      const grad = h.array(c.grad);
      tryForward(layer, X);
      return h.call({ X, grad, W: params.W, b: params.b }, (out) => {
        out.dX = invoke(layer, 'backward', X, grad);
        out.dW = gradientOf(layer, 'W');
        out.db = gradientOf(layer, 'b');
      });
    });
  },

  'relu.forward': (h, probe) => {
    const layer = new (moduleClass('relu'))();
    return probe.calls.map((c) => {
      const X = h.array(c.X);
      return h.call({ X }, (out) => {
        out.out = invoke(layer, 'forward', X);
      });
    });
  },

  'relu.backward': (h, probe) => {
    const layer = new (moduleClass('relu'))();
    return probe.calls.map((c) => {
      const X = h.array(c.X);
      const grad = h.array(c.grad);
      tryForward(layer, X);
      return h.call({ X, grad }, (out) => {
        out.dX = invoke(layer, 'backward', X, grad);
      });
    });
  },

  'dropout.backward': (h, probe, np) => {
    const layer = new (moduleClass('dropout'))(Number(probe.ctor![0]));
    np.random.seed(probe.seed ?? 0);
    return probe.calls.map((c) => {
      const X = h.array(c.X);
      const grad = h.array(c.grad);
      return h.call({ X, grad }, (out) => {
        invoke(layer, 'forward', X, true);
        out.mask = layer.mask;
        out.dX = invoke(layer, 'backward', X, grad);
      });
    });
  },
};

/** Extra probe kinds (the Q3.9 network checks) register here. */
export function registerRunner(kind: string, runner: Runner): void {
  RUNNERS[kind] = runner;
}

export function runProbes(probes: Probe[], resultsFile: string): void {
  const np = load('np') as unknown as Np;
  const harness = new Harness(np);
  for (const probe of probes) {
    const started = Date.now();
    const result: ProbeResult = { id: probe.id, calls: [], ms: 0 };
    try {
      const runner = RUNNERS[probe.kind];
      if (!runner) throw new Error(`unknown probe kind ${probe.kind}`);
      result.calls = runner(harness, probe, np);
    } catch (error) {
      result.error = toError(error);
    }
    result.ms = Date.now() - started;
    fs.appendFileSync(resultsFile, JSON.stringify(result) + '\n');
  }
}

if (require.main === module) {
  const inputFile = process.argv[2];
  const input = JSON.parse(fs.readFileSync(inputFile, 'utf8')) as { probes: Probe[] };
  for (const extra of (input as { extensions?: string[] }).extensions ?? []) {
    const extension = require(path.join(workDir, `${extra}.js`)) as {
      register?: (registerRunner: (kind: string, runner: Runner) => void) => void;
    };
    extension.register?.(registerRunner);
  }
  runProbes(input.probes, path.join(workDir, RESULTS_FILE));
}
