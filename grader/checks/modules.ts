/**
 * Q3.2: the five functions of dnn_misc.ts, checked case by case against the value fixtures and
 * against finite differences of the reference forward, in a sandboxed child per function.
 *
 * Scoring, per function (10 points):
 *   - 10 when every case passes;
 *   - 7 when every core case passes but an edge case fails (batch of 1, 4-D input, the relu
 *     kink, a second call on the same module) or an input is changed in place;
 *   - 0 when a core case fails, any output holds NaN or Infinity, the function throws, or it is
 *     still the handout's stub.
 * A second call on the same layer is a core case for linear_layer.backward: gradients that
 * accumulate across calls would carry every earlier minibatch into each update.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as np from '../../reference/np';
import type { FixtureCase, ModuleFixtures } from '../../scripts/make-fixtures';
import type { CallResult, OutputValue, Probe, ProbeResult } from '../child/grader_probe';
import { decodeArray } from '../child/grader_wire';
import { compareArrays } from '../compare';
import { Finding, POINTS, Q32_FUNCTIONS, Q32Function, RubricItem, roundPoints } from '../rubric';
import { GRADIENT_CHECK, VALUE } from '../tolerances';
import { createWorkspace, PROJECT_ROOT, runProbes, StudentCode } from '../workspace';
import { diagnose } from './mistakes';

export const EDGE_POINTS = 3;

/** What each function computes, for the scorecard. */
export const FUNCTION_TITLES: Record<Q32Function, string> = {
  'linear_layer.forward': 'X W + b',
  'linear_layer.backward': 'gradients of W, b and X',
  'relu.forward': 'max(0, X)',
  'relu.backward': 'the gradient through the rectifier',
  'dropout.backward': 'the gradient through the dropout mask',
};
const MODULE_FIXTURES = path.join(PROJECT_ROOT, 'fixtures', 'modules.json');

export function loadModuleFixtures(file = MODULE_FIXTURES): ModuleFixtures {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as ModuleFixtures;
}

const toArray = (wire: unknown): np.NDArray => {
  const { shape, data } = decodeArray(wire);
  return new np.NDArray(data, shape);
};

/** The names a student sees for the outputs of each function. */
const OUTPUT_NAMES: Record<string, string> = {
  out: 'the returned output',
  dX: 'the returned gradient dLoss/dX',
  dW: 'gradient.W',
  db: 'gradient.b',
};

export interface CaseOutcome {
  caseId: string;
  /** The case in words, e.g. "batch of 4, D=5, M=3". */
  label: string;
  tier: 'core' | 'edge';
  passed: boolean;
  notImplemented: boolean;
  /** Inputs changed in place: an edge failure whatever the case's tier. */
  mutated: boolean;
  findings: Finding[];
}

/** Judges one case from the child's result; a malformed result fails the case, never throws. */
export function judgeCase(fixture: FixtureCase, result: ProbeResult | undefined): CaseOutcome {
  try {
    return judgeCaseUnsafe(fixture, result);
  } catch (error) {
    return {
      caseId: fixture.id,
      label: fixture.label,
      tier: fixture.tier,
      passed: false,
      notImplemented: false,
      mutated: false,
      findings: [
        {
          code: 'malformed-result',
          ok: false,
          message: `the result that came back is malformed (${(error as Error).message}); the code may have tampered with the grader's harness.`,
        },
      ],
    };
  }
}

function judgeCaseUnsafe(fixture: FixtureCase, result: ProbeResult | undefined): CaseOutcome {
  const outcome: CaseOutcome = {
    caseId: fixture.id,
    label: fixture.label,
    tier: fixture.tier,
    passed: true,
    notImplemented: false,
    mutated: false,
    findings: [],
  };
  const fail = (code: string, message: string): void => {
    outcome.passed = false;
    outcome.findings.push({ code, ok: false, message });
  };
  if (!result) {
    fail('no-result', 'no result came back (the child process ended before this case; see above).');
    return outcome;
  }
  if (result.error) {
    fail('harness-error', `could not be run: ${result.error.message}`);
    return outcome;
  }
  let previous: Record<string, np.NDArray> | undefined;
  fixture.calls.forEach((call, index) => {
    const got: CallResult | undefined = result.calls[index];
    const callName = fixture.calls.length > 1 ? `call ${index + 1}: ` : '';
    const expected = Object.fromEntries(
      Object.entries(call.expected).map(([k, v]) => [k, toArray(v)]),
    );
    if (!got) {
      fail('no-result', `${callName}no result came back.`);
      return;
    }
    if (got.error) {
      if (got.error.name === 'NotImplementedError') {
        outcome.notImplemented = true;
        fail(
          'not-implemented',
          `${callName}${got.error.message} (the handout's stub still throws).`,
        );
      } else {
        const where = got.error.where ? ` at ${got.error.where}` : '';
        fail('threw', `${callName}threw ${got.error.name}: ${got.error.message}${where}.`);
      }
      previous = expected;
      return;
    }
    const inputs = Object.fromEntries(
      Object.entries({ ...call.inputs, ...(fixture.params ?? {}) }).map(([k, v]) => [
        k,
        toArray(v),
      ]),
    );
    const values = {
      inputs,
      expected,
      rate: fixture.fn === 'dropout.backward' ? fixture.ctor[0] : undefined,
      previous,
    };
    const wasPassing = outcome.passed;
    for (const [name, want] of Object.entries(expected)) {
      if (name === 'mask') continue; // the provided forward's mask: used for diagnosis only
      const message = checkOutput(
        fixture.fn,
        name,
        got.outputs[name],
        want,
        values,
        call.numerical?.[name],
      );
      if (message) fail(message.code, `${callName}${message.text}`);
    }
    if (index > 0 && wasPassing && !outcome.passed) {
      fail(
        'state-leak',
        `call ${index + 1} is wrong although call 1 was right: something of the first call leaks ` +
          'into the next (a cached result, or a value stored on the module and not recomputed).',
      );
    }
    for (const name of got.mutated) {
      if (name === 'W' || name === 'b') continue; // parameters may legitimately be rewritten
      outcome.mutated = true;
      outcome.findings.push({
        code: 'input-modified',
        ok: false,
        message: `${callName}the input ${name} was changed in place; a module must leave its inputs as they were (the previous layer still needs them).`,
      });
    }
    previous = expected;
  });
  return outcome;
}

function checkOutput(
  fn: Q32Function,
  name: string,
  got: OutputValue | undefined,
  want: np.NDArray,
  values: Parameters<typeof diagnose>[3],
  numerical: unknown,
): { code: string; text: string } | null {
  const label = OUTPUT_NAMES[name] ?? name;
  if (!got) return { code: 'no-output', text: `${label} is missing.` };
  if (got.invalid) return { code: 'not-an-array', text: `${label}: ${got.invalid}.` };
  if (!got.array)
    return {
      code: 'not-an-array',
      text: `${label} is a number, expected an np.NDArray of shape [${want.shape.join(', ')}].`,
    };
  const array = toArray(got.array);
  const comparison = compareArrays(array, want, VALUE);
  if (comparison.ok) return null;

  const close = (g: np.NDArray, v: np.NDArray): boolean => compareArrays(g, v, VALUE).ok;
  const mistake = diagnose(fn, name, array, values, close);
  if (mistake) return { code: mistake.code, text: `${mistake.explain} (${comparison.message})` };
  if ((comparison.nonFinite ?? 0) > 0) {
    return { code: 'non-finite', text: `${label} holds NaN or Infinity: ${comparison.message}.` };
  }
  if (!comparison.shapeMatches) {
    return { code: 'wrong-shape', text: `${label} has ${comparison.message}.` };
  }
  let text = `${label} is wrong: ${comparison.message}.`;
  if (numerical !== undefined) {
    const fd = compareArrays(array, toArray(numerical), GRADIENT_CHECK);
    text += fd.ok
      ? ''
      : ` The numerical gradient check (central differences of the forward pass) disagrees too: ${fd.message}.`;
  }
  return { code: 'wrong-values', text };
}

/**
 * One finding per kind of failure: the first case in full, then the other cases where the same
 * thing happened, by name, so a mistake made everywhere reads once.
 */
export function groupFindings(outcomes: CaseOutcome[]): Finding[] {
  const groups = new Map<string, { first: Finding; label: string; others: string[] }>();
  for (const outcome of outcomes) {
    for (const finding of outcome.findings) {
      const group = groups.get(finding.code);
      if (!group) groups.set(finding.code, { first: finding, label: outcome.label, others: [] });
      else if (group.label !== outcome.label && !group.others.includes(outcome.label)) {
        group.others.push(outcome.label);
      }
    }
  }
  return [...groups.values()].map(({ first, label, others }) => ({
    ...first,
    message:
      `${label}: ${first.message}` +
      (others.length ? ` The same in ${others.length} more case(s): ${others.join('; ')}.` : ''),
  }));
}

/** Scores one function from its cases. */
export function scoreFunction(
  fn: Q32Function,
  outcomes: CaseOutcome[],
  durationMs?: number,
): RubricItem {
  const max = POINTS.q32PerFunction;
  const item: RubricItem = {
    id: `Q3.2 ${fn}`,
    title: FUNCTION_TITLES[fn],
    points: 0,
    maxPoints: max,
    status: 'failed',
    findings: [],
    durationMs,
  };
  const failed = outcomes.filter((o) => !o.passed || o.mutated);
  item.findings.push(...groupFindings(failed));
  if (outcomes.length === 0) return item;
  if (outcomes.length > 0 && outcomes.every((o) => o.notImplemented)) {
    item.status = 'not-implemented';
    item.findings = [
      {
        code: 'not-implemented',
        ok: false,
        message: `${fn} is not implemented yet (the handout's stub still throws NotImplementedError).`,
      },
    ];
    return item;
  }
  // NaN or Infinity anywhere poisons training, so it fails the function even in an edge case.
  const nonFinite = outcomes.some((o) => o.findings.some((f) => f.code === 'non-finite'));
  const coreOk = !nonFinite && outcomes.filter((o) => o.tier === 'core').every((o) => o.passed);
  const edgeOk =
    outcomes.filter((o) => o.tier === 'edge').every((o) => o.passed) &&
    outcomes.every((o) => !o.mutated);
  if (coreOk && edgeOk) {
    item.points = max;
    item.status = 'passed';
    item.findings.push({
      code: 'all-cases',
      ok: true,
      message: `all ${outcomes.length} cases pass (values and gradient checks).`,
    });
  } else if (coreOk) {
    item.points = roundPoints(max - EDGE_POINTS);
    item.status = 'partial';
  } else if (
    failed.some((o) => o.findings.some((f) => f.code === 'threw' || f.code === 'no-result'))
  ) {
    item.status = 'error';
  }
  return item;
}

export interface ModuleCheckOptions {
  scratchDir: string;
  functions?: readonly Q32Function[];
  timeoutMs?: number;
  fixtures?: ModuleFixtures;
}

/** Checks the student's dnn_misc.ts, one sandboxed child per function, two at a time. */
export async function checkModules(
  student: StudentCode,
  options: ModuleCheckOptions,
): Promise<RubricItem[]> {
  const fixtures = options.fixtures ?? loadModuleFixtures();
  const functions = options.functions ?? Q32_FUNCTIONS;
  const items: RubricItem[] = new Array(functions.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < functions.length) {
      const index = next++;
      items[index] = await checkFunction(functions[index], student, fixtures, options);
    }
  };
  await Promise.all([worker(), worker()]);
  return items;
}

async function checkFunction(
  fn: Q32Function,
  student: StudentCode,
  fixtures: ModuleFixtures,
  options: ModuleCheckOptions,
): Promise<RubricItem> {
  const started = Date.now();
  const cases = fixtures.cases.filter((c) => c.fn === fn);
  const workspace = createWorkspace(options.scratchDir, fn, student);
  const misc = workspace.transpileProblems.find((p) => p.file === 'dnn_misc.ts');
  if (misc) {
    const item = scoreFunction(fn, [], Date.now() - started);
    item.status = 'error';
    item.findings = [
      {
        code: 'syntax-error',
        ok: false,
        message: `dnn_misc.ts does not compile: line ${misc.line}, column ${misc.column}: ${misc.message.replace(/\.+$/, '')}. Fix it and run the check again.`,
      },
    ];
    return item;
  }
  const probes: Probe[] = cases.map((c) => ({
    id: c.id,
    kind: c.fn,
    seed: c.seed,
    ctor: c.ctor,
    params: c.params,
    calls: c.calls.map((call) => call.inputs),
  }));
  const run = await runProbes(workspace, probes, { timeoutMs: options.timeoutMs ?? 20_000 });
  const outcomes = cases.map((c) => judgeCase(c, run.results.get(c.id)));
  const item = scoreFunction(fn, outcomes, Date.now() - started);
  const sandboxNote = describeSandboxEnd(run.sandbox, run.results.size, cases.length);
  if (sandboxNote) {
    item.findings.unshift({ code: sandboxNote.code, ok: false, message: sandboxNote.message });
    if (item.points === 0) item.status = 'error';
  }
  return item;
}

/** A sentence for a child that did not finish normally, or null. */
export function describeSandboxEnd(
  sandbox: {
    timedOut: boolean;
    outOfMemory: boolean;
    exitCode: number | null;
    signal: string | null;
    stderr: string;
  },
  finished: number,
  total: number,
): { code: string; message: string } | null {
  if (finished === total && sandbox.exitCode === 0) return null;
  if (sandbox.timedOut) {
    return {
      code: 'timeout',
      message: `the code did not finish in time (${finished} of ${total} cases done): look for an endless loop.`,
    };
  }
  if (sandbox.outOfMemory) {
    return {
      code: 'out-of-memory',
      message: `the code ran out of memory (${finished} of ${total} cases done).`,
    };
  }
  const tail = sandbox.stderr.trim().split('\n').slice(-3).join(' | ').slice(0, 400);
  return {
    code: 'crashed',
    message: `the child process ended early (exit code ${sandbox.exitCode ?? sandbox.signal}; ${finished} of ${total} cases done)${tail ? `: ${tail}` : ''}.`,
  };
}
