/**
 * Q3.9: the student's two-convolution network, graded in seconds without a 30-epoch run.
 *
 * The same probes run on the reference in this process and on the student's dnn_cnn_2.ts in the
 * sandbox, with the student's own dnn_misc.ts (the reference's would hand its Q3.2 answers to
 * code that can print them); their outputs are compared. A Q3.2 mistake therefore shows here too,
 * and the scorecard says so. Partial credit, 22 points:
 *   - structure, 6: the modules build_model creates, by name and class (2); the
 *     parameter shapes (2); the parameter values after a seed, which are right only when the
 *     modules are created in the listed order (2);
 *   - forward, 6: the scores and the loss of a fixed batch of 5 validation digits, from the
 *     reference's parameters, dropout off;
 *   - backward, 6: the gradient of every parameter on that batch (each parameter an equal share);
 *   - training, 4: the losses of the first 3 minibatches of q310.sh's run (seed 2, momentum 0.9,
 *     dropout 0.5, lr 0.001) and every parameter after them.
 */
import * as np from '../../reference/np';
import * as data from '../../reference/dnn_data';
import * as misc from '../../reference/dnn_misc';
import * as train from '../../reference/dnn_train';
import { network as referenceNetwork } from '../../reference/dnn_cnn_2';
import { Cnn2Env, runCnn2Probe } from '../child/grader_cnn2';
import type { CallResult, OutputValue, Probe } from '../child/grader_probe';
import { decodeArray, encodeArray } from '../child/grader_wire';
import { compareArrays } from '../compare';
import { Finding, POINTS, RubricItem, roundPoints, statusFor } from '../rubric';
import { NETWORK_VALUE } from '../tolerances';
import { createWorkspace, runProbes, StudentCode } from '../workspace';
import { describeSandboxEnd } from './modules';

export const Q39_PARTS = { structure: 6, forward: 6, backward: 6, training: 4 } as const;

/** Seeds of the probes; q310.sh's own seed for the training steps. */
const MODEL_SEED = 5;
const PASS_SEED = 7;
const TRAIN_SEED = 2;
const TRAIN_STEPS = 3;

const referenceEnv = (): Cnn2Env => ({
  np,
  train,
  misc,
  data,
  network: referenceNetwork as unknown as train.Network<train.Model>,
});

/** The three probes, with a fixed batch of validation digits and the reference's parameters. */
export function makeCnn2Probes(dataFile: string): Probe[] {
  const subset = data.load_mnist_subset(dataFile);
  const idx = [0, 1, 2, 3, 4];
  const X = np.take(subset.valid.X, idx).reshape(5, 1, 28, 28);
  const y = np.take(subset.valid.y, idx);

  np.random.seed(PASS_SEED);
  const model = referenceNetwork.build_model(train.default_args(referenceNetwork as never));
  const params: Record<string, ReturnType<typeof encodeArray>> = {};
  for (const [name, module] of Object.entries(model)) {
    if (!misc.hasParams(module)) continue;
    for (const key of Object.keys(module.params)) {
      params[`${name}.${key}`] = encodeArray(module.params[key].shape, module.params[key].data);
    }
  }
  return [
    { id: 'cnn2.model', kind: 'cnn2.model', seed: MODEL_SEED, calls: [{}] },
    ...(['cnn2.forward', 'cnn2.backward'] as const).map((kind) => ({
      id: kind,
      kind,
      seed: PASS_SEED,
      params,
      calls: [{ X: encodeArray(X.shape, X.data), y: encodeArray(y.shape, y.data) }],
    })),
    {
      id: 'cnn2.steps',
      kind: 'cnn2.steps',
      seed: TRAIN_SEED,
      calls: [{ steps: TRAIN_STEPS, dataFile }],
    },
  ];
}

/** The reference's outputs for the probes, computed here. */
export function referenceOutputs(probes: Probe[]): Map<string, CallResult> {
  const env = referenceEnv();
  return new Map(probes.map((p) => [p.id, runCnn2Probe(env, p)]));
}

const asArray = (value: OutputValue | undefined): np.NDArray | null => {
  if (!value?.array) return null;
  try {
    const { shape, data: values } = decodeArray(value.array);
    return new np.NDArray(values, shape);
  } catch {
    return null;
  }
};

interface PartScore {
  points: number;
  findings: Finding[];
}

/** Compares one array output; a finding either way. */
function compareOutput(label: string, got: OutputValue | undefined, want: OutputValue): Finding {
  const expected = asArray(want)!;
  const array = asArray(got);
  if (!array) {
    const why = got?.invalid ?? (got?.number !== undefined ? 'is a number' : 'is missing');
    return {
      code: 'missing',
      ok: false,
      message: `${label} ${why}; expected an array of shape [${expected.shape.join(', ')}].`,
    };
  }
  const c = compareArrays(array, expected, NETWORK_VALUE);
  return c.ok
    ? { code: 'match', ok: true, message: `${label} matches the reference.` }
    : {
        code: c.shapeMatches ? 'wrong-values' : 'wrong-shape',
        ok: false,
        message: `${label}: ${c.message}.`,
      };
}

function compareNumber(label: string, got: OutputValue | undefined, want: OutputValue): Finding {
  const g = got?.number;
  const w = want.number!;
  if (g === undefined) return { code: 'missing', ok: false, message: `${label} is missing.` };
  const ok = Math.abs(g - w) <= NETWORK_VALUE.abs + NETWORK_VALUE.rel * Math.abs(w);
  return ok
    ? { code: 'match', ok: true, message: `${label} matches the reference (${w}).` }
    : { code: 'wrong-values', ok: false, message: `${label} is ${g}, the reference gives ${w}.` };
}

function scoreStructure(got: CallResult, want: CallResult): PartScore {
  const findings: Finding[] = [];
  const modules = (r: CallResult): string[] =>
    Object.entries(r.outputs)
      .filter(([k]) => k.startsWith('module.'))
      .map(([k, v]) => `${k.slice(7)}: ${v.text}`);
  // The object's key order does not matter; the creation order shows in the parameter values.
  const wantModules = modules(want).sort();
  const gotModules = modules(got).sort();
  const namesOk = wantModules.join('\n') === gotModules.join('\n');
  findings.push(
    namesOk
      ? {
          code: 'modules',
          ok: true,
          message: 'the modules and their order match the architecture.',
        }
      : {
          code: 'modules',
          ok: false,
          message: `build_model creates [${gotModules.join(', ')}]; expected [${wantModules.join(', ')}].`,
        },
  );
  const params = Object.keys(want.outputs).filter((k) => k.startsWith('param.'));
  const shapeOf = (v: OutputValue | undefined): string =>
    v?.array ? `[${v.array.shape.join(', ')}]` : 'missing';
  const badShapes = params.filter((k) => shapeOf(got.outputs[k]) !== shapeOf(want.outputs[k]));
  const extra = Object.keys(got.outputs).filter(
    (k) => k.startsWith('param.') && !(k in want.outputs),
  );
  const shapesOk = badShapes.length === 0 && extra.length === 0;
  findings.push(
    shapesOk
      ? { code: 'shapes', ok: true, message: 'every parameter has the expected shape.' }
      : {
          code: 'shapes',
          ok: false,
          message:
            badShapes
              .map(
                (k) =>
                  `${k.slice(6)} is ${shapeOf(got.outputs[k])}, expected ${shapeOf(want.outputs[k])}`,
              )
              .join('; ') +
            (extra.length
              ? `; unexpected parameters ${extra.map((k) => k.slice(6)).join(', ')}`
              : '') +
            '.',
        },
  );
  const valuesOk =
    shapesOk && params.every((k) => compareOutput(k, got.outputs[k], want.outputs[k]).ok);
  findings.push(
    valuesOk
      ? {
          code: 'draw-order',
          ok: true,
          message:
            "after the same seed the parameters equal the reference's: modules are created in the listed order.",
        }
      : !shapesOk
        ? {
            code: 'draw-order',
            ok: false,
            message:
              'the parameters after the seed could not be compared, since their shapes differ (see above).',
          }
        : {
            code: 'draw-order',
            ok: false,
            message:
              "after the same seed the parameters differ from the reference's: the modules are not created in the listed order (C1, then C2, then L1 draw their parameters, in that order).",
          },
  );
  const share = Q39_PARTS.structure / 3;
  return { points: share * (+namesOk + +shapesOk + +valuesOk), findings };
}

function scoreForward(got: CallResult, want: CallResult): PartScore {
  const scores = compareOutput(
    'forward_pass scores on 5 validation digits',
    got.outputs.scores,
    want.outputs.scores,
  );
  const loss = compareNumber('the loss of that batch', got.outputs.loss, want.outputs.loss);
  return { points: scores.ok && loss.ok ? Q39_PARTS.forward : 0, findings: [scores, loss] };
}

function scoreBackward(got: CallResult, want: CallResult): PartScore {
  const grads = Object.keys(want.outputs).filter((k) => k.startsWith('grad.'));
  const findings = grads.map((k) =>
    compareOutput(`gradient of ${k.slice(5)}`, got.outputs[k], want.outputs[k]),
  );
  const right = findings.filter((f) => f.ok).length;
  return { points: (Q39_PARTS.backward * right) / Math.max(1, grads.length), findings };
}

function scoreTraining(got: CallResult, want: CallResult): PartScore {
  const findings: Finding[] = [];
  for (let i = 1; i <= TRAIN_STEPS; i++) {
    findings.push(
      compareNumber(`loss of minibatch ${i}`, got.outputs[`loss.${i}`], want.outputs[`loss.${i}`]),
    );
  }
  for (const k of Object.keys(want.outputs).filter((key) => key.startsWith('param.'))) {
    findings.push(
      compareOutput(
        `${k.slice(6)} after ${TRAIN_STEPS} minibatches`,
        got.outputs[k],
        want.outputs[k],
      ),
    );
  }
  return { points: findings.every((f) => f.ok) ? Q39_PARTS.training : 0, findings };
}

const drawOrderFailed = (findings: Finding[]): boolean =>
  findings.some((f) => f.code === 'draw-order' && !f.ok);

/**
 * Grades dnn_cnn_2.ts; never throws for anything the student's code does. The network runs on
 * the student's own dnn_misc.ts: the reference's is never put where student code can read it.
 */
export async function checkCnn2(
  student: StudentCode,
  options: { scratchDir: string; dataFile: string; timeoutMs?: number },
): Promise<RubricItem> {
  const started = Date.now();
  const item: RubricItem = {
    id: 'Q3.9',
    title: 'the two-convolution CNN in dnn_cnn_2.ts',
    points: 0,
    maxPoints: POINTS.q39,
    status: 'failed',
    findings: [],
  };
  const probes = makeCnn2Probes(options.dataFile);
  const expected = referenceOutputs(probes);
  const workspace = createWorkspace(options.scratchDir, 'cnn2', student);
  const broken = workspace.transpileProblems.find(
    (p) => p.file === 'dnn_cnn_2.ts' || p.file === 'dnn_misc.ts',
  );
  if (broken) {
    item.status = 'error';
    item.findings.push({
      code: 'syntax-error',
      ok: false,
      message: `${broken.file} does not compile: line ${broken.line}, column ${broken.column}: ${broken.message.replace(/\.+$/, '')}.`,
    });
    item.durationMs = Date.now() - started;
    return item;
  }
  const run = await runProbes(workspace, probes, {
    timeoutMs: options.timeoutMs ?? 60_000,
    extensions: ['grader_cnn2'],
    dataFile: options.dataFile,
  });

  const parts: [keyof typeof Q39_PARTS, (g: CallResult, w: CallResult) => PartScore, string][] = [
    ['structure', scoreStructure, 'cnn2.model'],
    ['forward', scoreForward, 'cnn2.forward'],
    ['backward', scoreBackward, 'cnn2.backward'],
    ['training', scoreTraining, 'cnn2.steps'],
  ];
  let notImplemented = 0;
  for (const [part, score, probeId] of parts) {
    const got = run.results.get(probeId)?.calls[0];
    const want = expected.get(probeId)!;
    const label = `${part} (${Q39_PARTS[part]} points)`;
    if (!got || got.error) {
      const error = got?.error ?? run.results.get(probeId)?.error;
      if (error?.name === 'NotImplementedError') notImplemented++;
      const why = error
        ? error.name === 'NotImplementedError'
          ? `${error.message} (the handout's stub still throws)`
          : `threw ${error.name}: ${error.message}${error.where ? ` at ${error.where}` : ''}`
        : 'no result came back (see the first finding)';
      const code = !error
        ? 'no-result'
        : error.name === 'NotImplementedError'
          ? 'not-implemented'
          : 'threw';
      item.findings.push({ code, ok: false, message: `${label}: ${why}.` });
      continue;
    }
    let result: PartScore;
    try {
      result = score(got, want);
    } catch (error) {
      result = {
        points: 0,
        findings: [
          {
            code: 'malformed-result',
            ok: false,
            message: `the result that came back is malformed (${(error as Error).message}).`,
          },
        ],
      };
    }
    if (part === 'training' && result.points === 0 && drawOrderFailed(item.findings)) {
      result.findings.unshift({
        code: 'draw-order',
        ok: false,
        message:
          "the run starts from other parameters than the reference's (see structure), so its losses and parameters differ too.",
      });
    }
    item.points += result.points;
    const failures = result.findings.filter((f) => !f.ok);
    const summary = `${label}: ${roundPoints(result.points)} of ${Q39_PARTS[part]}.`;
    item.findings.push({ code: part, ok: failures.length === 0, message: summary });
    item.findings.push(...failures.slice(0, 6).map((f) => ({ ...f, message: `  ${f.message}` })));
  }
  item.points = roundPoints(item.points);
  item.status =
    notImplemented === parts.length ? 'not-implemented' : statusFor(item.points, item.maxPoints);
  const sandboxNote = describeSandboxEnd(run.sandbox, run.results.size, probes.length);
  if (sandboxNote)
    item.findings.unshift({ code: sandboxNote.code, ok: false, message: sandboxNote.message });
  item.durationMs = Date.now() - started;
  return item;
}

/** When Q3.2 items fail, Q3.9's network runs on them: say so under Q3.9. */
export function noteQ32Dependence(q39: RubricItem, items: readonly RubricItem[]): void {
  if (q39.points >= q39.maxPoints || q39.status === 'missing') return;
  const failing = items
    .filter((item) => item.id.startsWith('Q3.2 ') && item.status !== 'passed')
    .map((item) => item.id.slice(5));
  if (failing.length === 0) return;
  q39.findings.unshift({
    code: 'uses-q32',
    ok: false,
    message: `the network runs on your dnn_misc.ts, where ${failing.join(', ')} ${failing.length === 1 ? 'fails' : 'fail'} (see Q3.2): fix those first, the differences here may come from them.`,
  });
}
