/**
 * The seven output files of "The seven runs" (Q3.3-Q3.8, Q3.10): 4 points each.
 *
 * How one file is scored:
 *
 *   1 point  present    The file is in the submission under its exact name. A file that intake
 *                       found only under another case (mlp_... for MLP_...) loses this point, and
 *                       is still graded on the other three; a wrapping folder costs nothing.
 *   1 point  valid      The file is JSON matching fixtures/schemas/run-output.schema.json: exactly
 *                       the keys "train" and "val", each a list of 30 numbers in [0, 1].
 *   1 point  plausible  Every epoch of both curves is within CURVE_BAND (0.03) of the reference
 *                       run's curve (fixtures/reference-runs/).
 *   1 point  claim      The file shows what HOMEWORK.md tells students they will see:
 *                         Q3.4   final val above Q3.3's final val;
 *                         Q3.5   final train and final val both below Q3.3's;
 *                         Q3.6   final val 0.005 to 0.06 below Q3.3's ("about 0.03 below");
 *                         Q3.8   train and val both above 0.94 at epoch 1;
 *                         Q3.10  final val above Q3.8's by more than 0 and at most 0.03
 *                                ("slightly above").
 *                       Q3.3 and Q3.7 have no claim: their plausible point counts double.
 *
 * A missing file scores 0. Plausible and claim need a valid file; a claim that compares two files
 * needs the other file valid too, and is not awarded otherwise. When the reference runs themselves
 * do not show a claim, the claim point follows the plausible point instead, and the finding says
 * so: a student who reproduced the reference run is never marked down for the handout's text.
 * The thresholds are named in grader/tolerances.ts (CURVE_BAND, CLAIMS).
 *
 * Identical curves in two files are flagged for the instructor (findDuplicatedCurves), without
 * taking points: deciding that a file was fabricated is a person's call. `--rerun` compares the
 * submitted curves with the ones the student's own code produces (compareRerun).
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ErrorObject } from 'ajv';
import runOutputSchema from '../fixtures/schemas/run-output.schema.json';
import { compareArrays, formatNumber } from './compare';
import { Finding, POINTS, RubricItem, roundPoints, statusFor } from './rubric';
import { RUN_OUTPUT_FILES } from './submission-files';
import { CLAIMS, CURVE_BAND, RERUN_MATCH } from './tolerances';

export interface RunCurves {
  train: number[];
  val: number[];
}

export interface ReferenceRun extends RunCurves {
  question: string;
  file: string;
}

/** What gradeRunOutputs needs of an opened submission (grader/intake.ts, Submission). */
export interface OutputSubmission {
  root: string;
  problems: ReadonlyArray<{ kind: string; message: string; files?: readonly string[] }>;
}

export interface RunOutputGrades {
  items: RubricItem[];
  /** The five claim findings, in question order (also inside their items). */
  claims: Finding[];
  /** Identical curves across the files; no points depend on them. */
  duplicates: Finding[];
}

/** Epochs per run: `--num_epoch 30`, the default of every script. */
export const EPOCHS = 30;

/** A real output file is about 1.3 kB; anything above this is not read. */
export const MAX_OUTPUT_FILE_BYTES = 1024 * 1024;

export const DEFAULT_REFERENCE_DIR = path.resolve(__dirname, '..', 'fixtures', 'reference-runs');

const CURVES = ['train', 'val'] as const;
const f = formatNumber;
type CurveName = (typeof CURVES)[number];

/** Differences of accuracies are rounded to this many digits, so 0.95 - 0.89 is 0.06. */
const DIFFERENCE_DIGITS = 9;

/** Schema errors listed per file before "and N more". */
const MAX_LISTED_ERRORS = 3;

const ajv = new Ajv({ allErrors: true });
const validateRunOutput = ajv.compile<RunCurves>(runOutputSchema);

// ---------------------------------------------------------------------------------------------
// Reading one file

export type FileCheck =
  | { kind: 'missing' }
  | { kind: 'invalid'; code: 'unreadable' | 'json-parse' | 'schema'; message: string }
  | { kind: 'valid'; curves: RunCurves };

/** Reads and validates one output file; messages name the file as `label`. */
export function checkRunOutput(filePath: string, label: string): FileCheck {
  let stats: fs.Stats;
  try {
    stats = fs.statSync(filePath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return unreadable(label, error);
  }

  if (!stats.isFile()) {
    const message = `'${label}' is not a regular file, expected a JSON file of accuracies.`;
    return { kind: 'invalid', code: 'unreadable', message };
  }
  if (stats.size > MAX_OUTPUT_FILE_BYTES) {
    const message =
      `'${label}' is ${stats.size} bytes, more than the ${MAX_OUTPUT_FILE_BYTES} bytes (1 MiB) ` +
      'an output file may have (a real one is about 1.3 kB); it was not read. Submit the file ' +
      'the training script wrote.';
    return { kind: 'invalid', code: 'unreadable', message };
  }

  let text: string;
  try {
    text = fs.readFileSync(filePath, 'utf8');
  } catch (error) {
    return unreadable(label, error);
  }
  return parseRunOutput(text, label);
}

function unreadable(label: string, error: unknown): FileCheck {
  const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  const message = `'${label}' could not be read (${reason}); check that the file is readable.`;
  return { kind: 'invalid', code: 'unreadable', message };
}

/** Parses the text of an output file and checks it against the schema. */
function parseRunOutput(text: string, label: string): FileCheck {
  const regenerate = 'Regenerate it with the unchanged training script; do not edit it by hand.';
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text; // a BOM some editors add

  if (body.trim() === '') {
    const message = `'${label}' is empty, expected the accuracies as JSON. ${regenerate}`;
    return { kind: 'invalid', code: 'json-parse', message };
  }

  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (error) {
    const where = describeJsonError(body, error as Error);
    const message = `'${label}' is not valid JSON: ${where}. ${regenerate}`;
    return { kind: 'invalid', code: 'json-parse', message };
  }

  if (!validateRunOutput(data)) {
    const sentences = schemaSentences(validateRunOutput.errors ?? [], data);
    const listed = sentences.slice(0, MAX_LISTED_ERRORS);
    const more = sentences.length - listed.length;
    const found =
      listed.join('; ') + (more > 0 ? `; and ${more} more problem${more === 1 ? '' : 's'}` : '');
    const message =
      `'${label}' does not have the output format: ${found}. Expected exactly the keys 'train' ` +
      `and 'val', each a list of ${EPOCHS} accuracies in [0, 1]. ${regenerate}`;
    return { kind: 'invalid', code: 'schema', message };
  }

  return { kind: 'valid', curves: data };
}

/** One plain sentence per schema error, e.g. "val has 29 numbers, expected 30". */
function schemaSentences(errors: ErrorObject[], data: unknown): string[] {
  const sentences: string[] = [];
  const seenPaths = new Set<string>();

  for (const error of errors) {
    const segments = error.instancePath.split('/').slice(1);
    const value = valueAt(data, segments);
    let sentence: string;

    if (error.keyword === 'additionalProperties') {
      sentence = `unknown key '${error.params.additionalProperty}'`;
    } else if (error.keyword === 'required') {
      sentence = `no key '${error.params.missingProperty}'`;
    } else if (segments.length === 0) {
      sentence = `the file holds ${describeValue(value)}, expected an object`;
    } else if (segments.length === 1) {
      const curve = segments[0];
      sentence = Array.isArray(value)
        ? `${curve} has ${value.length} numbers, expected ${EPOCHS}`
        : `${curve} is ${describeValue(value)}, expected a list of ${EPOCHS} numbers`;
    } else {
      const element = `${segments[0]}[${segments[1]}]`;
      sentence = `${element} is ${describeValue(value)}, expected a number in [0, 1]`;
    }

    const key = `${error.keyword === 'additionalProperties' ? sentence : error.instancePath}`;
    if (seenPaths.has(key)) continue;
    seenPaths.add(key);
    sentences.push(sentence);
  }

  if (looksLikePercentages(data)) {
    sentences.unshift('the accuracies look like percentages, expected fractions (0.97, not 97)');
  }
  return sentences;
}

function valueAt(data: unknown, segments: string[]): unknown {
  let value = data;
  for (const segment of segments) {
    value = (value as Record<string, unknown>)[segment.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return value;
}

function describeValue(value: unknown): string {
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string') return `the text ${JSON.stringify(truncate(value, 20))}`;
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length} values`;
  if (typeof value === 'object') return 'an object';
  return String(value);
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length)}...` : text;
}

function looksLikePercentages(data: unknown): boolean {
  if (typeof data !== 'object' || data === null) return false;
  const values = CURVES.flatMap((curve) => {
    const list = (data as Record<string, unknown>)[curve];
    return Array.isArray(list) ? list : [];
  });
  const numbers = values.filter((v): v is number => typeof v === 'number');
  return numbers.length > 0 && numbers.every((v) => v > 1 && v <= 100);
}

// ---------------------------------------------------------------------------------------------
// Where a JSON text breaks

interface JsonSyntaxError {
  offset: number;
  expected: string;
}

const MAX_JSON_DEPTH = 64;

/** Thrown inside the scanner to stop at the first error. */
class JsonSyntaxStop {
  constructor(readonly syntax: JsonSyntaxError) {}
}

/**
 * "at line 1, column 13: expected a value, found ']'". JSON.parse decides whether the text is
 * valid; this scanner only finds the place, because V8's messages often give no position.
 */
function describeJsonError(text: string, parseError: Error): string {
  const syntax = findJsonSyntaxError(text);
  if (syntax === undefined) return parseError.message;

  const before = text.slice(0, syntax.offset);
  const line = before.split('\n').length;
  const column = syntax.offset - before.lastIndexOf('\n');
  const rest = text.slice(syntax.offset);
  const notANumber = /^-?(nan|inf|infinity)\b/i.exec(rest);

  if (notANumber !== null) {
    return (
      `at line ${line}, column ${column} it holds '${notANumber[0]}', which JSON does not ` +
      'allow: an accuracy was not a number (the training diverged or the accuracy code is broken)'
    );
  }
  const found = rest === '' ? 'the end of the file (is it cut off?)' : `'${foundToken(rest)}'`;
  return `at line ${line}, column ${column}: expected ${syntax.expected}, found ${found}`;
}

function foundToken(rest: string): string {
  const word = /^[A-Za-z0-9_.+-]+/.exec(rest);
  return truncate(word !== null ? word[0] : String.fromCodePoint(rest.codePointAt(0)!), 20);
}

/** The first place where `text` stops being JSON, or undefined if the scanner finds none. */
function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  let pos = 0;
  const fail = (expected: string): never => {
    throw new JsonSyntaxStop({ offset: pos, expected });
  };
  const skipSpace = (): void => {
    while (pos < text.length && ' \t\n\r'.includes(text[pos])) pos++;
  };

  const value = (depth: number): void => {
    skipSpace();
    if (depth > MAX_JSON_DEPTH) fail(`at most ${MAX_JSON_DEPTH} nested lists or objects`);
    const ch = text[pos];
    if (ch === '{') return object(depth);
    if (ch === '[') return array(depth);
    if (ch === '"') return string();
    if (ch === '-' || (ch >= '0' && ch <= '9')) return number();
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, pos)) {
        pos += literal.length;
        return;
      }
    }
    fail('a value');
  };

  const object = (depth: number): void => {
    pos++; // {
    skipSpace();
    if (text[pos] === '}') {
      pos++;
      return;
    }
    for (;;) {
      skipSpace();
      if (text[pos] !== '"') fail('a key in double quotes');
      string();
      skipSpace();
      if (text[pos] !== ':') fail("':' after the key");
      pos++;
      value(depth + 1);
      skipSpace();
      if (text[pos] === ',') pos++;
      else if (text[pos] === '}') break;
      else fail("',' or '}'");
    }
    pos++; // }
  };

  const array = (depth: number): void => {
    pos++; // [
    skipSpace();
    if (text[pos] === ']') {
      pos++;
      return;
    }
    for (;;) {
      value(depth + 1);
      skipSpace();
      if (text[pos] === ',') pos++;
      else if (text[pos] === ']') break;
      else fail("',' or ']'");
    }
    pos++; // ]
  };

  const string = (): void => {
    pos++; // opening quote
    while (pos < text.length && text[pos] !== '"') {
      if (text[pos] === '\\') pos++;
      else if (text.charCodeAt(pos) < 0x20) fail('a closing double quote');
      pos++;
    }
    if (pos >= text.length) fail('a closing double quote');
    pos++;
  };

  const number = (): void => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(pos, pos + 400));
    if (match === null) fail('a number');
    pos += match![0].length;
  };

  try {
    value(0);
    skipSpace();
    if (pos < text.length) fail('the end of the file after the object');
    return undefined;
  } catch (error) {
    if (error instanceof JsonSyntaxStop) return error.syntax;
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Reference runs

/** The seven reference runs, in RUN_OUTPUT_FILES order; throws naming what is missing or wrong. */
export function loadReferenceRuns(dir: string = DEFAULT_REFERENCE_DIR): ReferenceRun[] {
  const howTo =
    'The reference runs are the seven output files of the reference trainers (reference/q3*.sh); ' +
    `copy them into '${dir}' under their output file names.`;
  if (!fs.existsSync(dir)) {
    throw new Error(`Cannot grade the output files: folder '${dir}' does not exist. ${howTo}`);
  }

  const runs: ReferenceRun[] = [];
  const missing: string[] = [];
  const invalid: string[] = [];
  for (const { question, file } of RUN_OUTPUT_FILES) {
    const check = checkRunOutput(path.join(dir, file), file);
    if (check.kind === 'missing') missing.push(file);
    else if (check.kind === 'invalid') invalid.push(check.message);
    else runs.push({ question, file, ...check.curves });
  }

  if (missing.length > 0) {
    const names = missing.map((file) => `'${file}'`).join(', ');
    throw new Error(
      `Cannot grade the output files: no reference run ${names} in '${dir}'. ${howTo}`,
    );
  }
  if (invalid.length > 0) {
    throw new Error(
      `Cannot grade the output files: a reference run is broken. ${invalid.join(' ')}`,
    );
  }
  return runs;
}

// ---------------------------------------------------------------------------------------------
// Grading the seven files

interface GradedFile {
  question: string;
  file: string;
  check: FileCheck;
}

/** Grades the seven output files at `submission.root` against the reference runs. */
export function gradeRunOutputs(
  submission: OutputSubmission,
  reference: readonly ReferenceRun[],
): RunOutputGrades {
  const referenceByQuestion = new Map(reference.map((run) => [run.question, run]));
  const rootFiles = listRoot(submission.root);

  const graded = new Map<string, GradedFile>();
  for (const { question, file } of RUN_OUTPUT_FILES) {
    if (!referenceByQuestion.has(question)) {
      throw new Error(`gradeRunOutputs: no reference run for ${question} ('${file}').`);
    }
    graded.set(question, {
      question,
      file,
      check: checkRunOutput(path.join(submission.root, file), file),
    });
  }

  const context: GradingContext = { graded, referenceByQuestion, submission, rootFiles };
  const items: RubricItem[] = [];
  const claims: Finding[] = [];
  for (const run of graded.values()) {
    const { item, claim } = gradeOneFile(run, context);
    items.push(item);
    if (claim !== undefined) claims.push(claim);
  }

  const validCurves = new Map<string, RunCurves>();
  for (const run of graded.values()) {
    if (run.check.kind === 'valid') validCurves.set(run.file, run.check.curves);
  }
  return { items, claims, duplicates: findDuplicatedCurves(validCurves) };
}

function listRoot(root: string): string[] {
  try {
    return fs.readdirSync(root);
  } catch {
    return [];
  }
}

/** What grading one file needs to know of the others. */
interface GradingContext {
  graded: Map<string, GradedFile>;
  referenceByQuestion: Map<string, ReferenceRun>;
  submission: OutputSubmission;
  rootFiles: string[];
}

function gradeOneFile(
  run: GradedFile,
  context: GradingContext,
): { item: RubricItem; claim?: Finding } {
  const ref = context.referenceByQuestion.get(run.question)!;
  const claimSpec = CLAIM_SPECS.find((spec) => spec.question === run.question);
  const item: RubricItem = {
    id: run.question,
    title: `Output file ${run.file}`,
    points: 0,
    maxPoints: POINTS.runOutputFile,
    status: 'missing',
    findings: [],
  };
  const plausiblePoints = claimSpec === undefined ? 2 : 1;

  if (run.check.kind === 'missing') {
    item.findings.push({
      code: 'present',
      ok: false,
      message:
        `Expected '${run.file}' in the submission, found no such file. Run ` +
        `${scriptOf(run.question)} and submit the file it writes.`,
    });
    const claim =
      claimSpec !== undefined ? notChecked(claimSpec, 'this file is missing') : undefined;
    if (claim !== undefined) item.findings.push(claim);
    return { item, claim };
  }

  const present = presentFinding(run.file, context.submission.problems, context.rootFiles);
  item.findings.push(present);

  if (run.check.kind === 'invalid') {
    item.findings.push({ code: run.check.code, ok: false, message: run.check.message });
    item.findings.push({
      code: 'plausible',
      ok: false,
      message: 'Not compared with the reference run, because the file is not valid.',
    });
  } else {
    item.findings.push({
      code: 'schema',
      ok: true,
      message: `'${run.file}' has the keys 'train' and 'val', each ${EPOCHS} accuracies in [0, 1].`,
    });
    item.findings.push(plausibleFinding(run.check.curves, ref));
  }

  let claim: Finding | undefined;
  if (claimSpec !== undefined) {
    const plausibleOk = item.findings.some((finding) => finding.code === 'plausible' && finding.ok);
    claim = claimFinding(claimSpec, context.graded, context.referenceByQuestion, plausibleOk);
    item.findings.push(claim);
  }

  const pointsFor = (code: string, points: number): number =>
    item.findings.some((finding) => finding.code === code && finding.ok) ? points : 0;
  item.points = roundPoints(
    pointsFor('present', 1) +
      pointsFor('schema', 1) +
      pointsFor('plausible', plausiblePoints) +
      pointsFor('claim', 1),
  );
  item.status = statusFor(item.points, item.maxPoints);
  return { item, claim };
}

function scriptOf(question: string): string {
  return `${question.replace('Q3.', 'q3')}.sh`; // Q3.10 -> q310.sh
}

/**
 * The present point: lost when the file was found only under another case ("Dnn_Misc.ts"), since
 * the names are case-sensitive where the scripts run. A wrapping folder costs nothing: it is the
 * most common way to zip, and the grader finds the files inside it.
 */
function presentFinding(
  file: string,
  problems: OutputSubmission['problems'],
  rootFiles: string[],
): Finding {
  const named = problems.find(
    (problem) =>
      problem.kind === 'wrong-case' &&
      (problem.files?.includes(file) ?? problem.message.includes(`'${file}'`)),
  );
  if (named !== undefined) {
    return {
      code: 'present',
      ok: false,
      message: `${named.message} This costs the present point; the file was graded on the rest.`,
    };
  }
  void rootFiles;
  return {
    code: 'present',
    ok: true,
    message: `'${file}' is in the submission under its exact name.`,
  };
}

function plausibleFinding(curves: RunCurves, ref: ReferenceRun): Finding {
  let worst: { curve: CurveName; epoch: number; got: number; expected: number } | undefined;
  let worstDistance = -1;
  let offEpochs = 0;

  for (const curve of CURVES) {
    const comparison = compareArrays(
      { shape: [EPOCHS], data: curves[curve] },
      { shape: [EPOCHS], data: ref[curve] },
      { abs: CURVE_BAND, rel: 0 },
    );
    offEpochs += comparison.mismatches ?? 0;
    const distance = Math.abs(comparison.got! - comparison.expected!);
    if (distance > worstDistance) {
      worstDistance = distance;
      const epoch = comparison.worstIndex![0] + 1;
      worst = { curve, epoch, got: comparison.got!, expected: comparison.expected! };
    }
  }

  const { curve, epoch, got, expected } = worst!;
  const at = `${curve} at epoch ${epoch} is ${f(got)}, the reference run has ${f(expected)}`;
  const off = f(Math.abs(difference(got, expected)));
  if (offEpochs === 0) {
    return {
      code: 'plausible',
      ok: true,
      message:
        `Every epoch of train and val is within ${CURVE_BAND} of the reference run ` +
        `(the largest difference: ${at}).`,
    };
  }
  return {
    code: 'plausible',
    ok: false,
    message:
      `Expected every epoch within ${CURVE_BAND} of the reference run; ${offEpochs} of ` +
      `${2 * EPOCHS} are not, the worst: ${at} (${off} off). ` +
      `The file does not look like this run: re-run ${scriptOf(ref.question)} with the ` +
      'handout files unchanged and submit its output.',
  };
}

function difference(a: number, b: number): number {
  const scale = 10 ** DIFFERENCE_DIGITS;
  return Math.round((a - b) * scale) / scale;
}

// ---------------------------------------------------------------------------------------------
// The claims of HOMEWORK.md

interface ClaimResult {
  holds: boolean;
  /** What the curves show, e.g. "final val 0.9755 against Q3.3's 0.972". */
  shown: string;
}

interface ClaimSpec {
  question: string;
  /** The other runs the claim compares with. */
  others: string[];
  /** The claim in the homework's words, with the accepted range. */
  text: string;
  check(own: RunCurves, others: RunCurves[]): ClaimResult;
}

const last = (curve: readonly number[]): number => curve[curve.length - 1];

const CLAIM_SPECS: ClaimSpec[] = [
  {
    question: 'Q3.4',
    others: ['Q3.3'],
    text: 'Q3.4 (dropout 0.5) should end with a higher validation accuracy than Q3.3',
    check: (own, [q33]) => ({
      holds: difference(last(own.val), last(q33.val)) > 0,
      shown: `final val ${f(last(own.val))} against Q3.3's ${f(last(q33.val))}`,
    }),
  },
  {
    question: 'Q3.5',
    others: ['Q3.3'],
    text: 'Q3.5 (dropout 0.95) should end below Q3.3 in both training and validation accuracy',
    check: (own, [q33]) => ({
      holds:
        difference(last(own.train), last(q33.train)) < 0 &&
        difference(last(own.val), last(q33.val)) < 0,
      shown:
        `final train ${f(last(own.train))} against Q3.3's ${f(last(q33.train))}, ` +
        `final val ${f(last(own.val))} against ${f(last(q33.val))}`,
    }),
  },
  {
    question: 'Q3.6',
    others: ['Q3.3'],
    text:
      'Q3.6 (no relu) should end with a validation accuracy about 0.03 below Q3.3 ' +
      `(accepted: ${CLAIMS.q36ValDrop.min} to ${CLAIMS.q36ValDrop.max} below)`,
    check: (own, [q33]) => {
      const drop = difference(last(q33.val), last(own.val));
      return {
        holds: drop >= CLAIMS.q36ValDrop.min && drop <= CLAIMS.q36ValDrop.max,
        shown: `final val ${f(last(own.val))} against Q3.3's ${f(last(q33.val))}, ${signed(-drop)}`,
      };
    },
  },
  {
    question: 'Q3.8',
    others: [],
    text:
      'Q3.8 (momentum 0.9) should have training and validation accuracy above ' +
      `${CLAIMS.q38FirstEpochAbove} after epoch 1`,
    check: (own) => ({
      holds: own.train[0] > CLAIMS.q38FirstEpochAbove && own.val[0] > CLAIMS.q38FirstEpochAbove,
      shown: `train ${f(own.train[0])} and val ${f(own.val[0])} at epoch 1`,
    }),
  },
  {
    question: 'Q3.10',
    others: ['Q3.8'],
    text:
      'Q3.10 should end slightly above Q3.8 in validation accuracy ' +
      `(accepted: more than ${CLAIMS.q310ValGain.min} and at most ${CLAIMS.q310ValGain.max} above)`,
    check: (own, [q38]) => {
      const gain = difference(last(own.val), last(q38.val));
      return {
        holds: gain > CLAIMS.q310ValGain.min && gain <= CLAIMS.q310ValGain.max,
        shown: `final val ${f(last(own.val))} against Q3.8's ${f(last(q38.val))}, ${signed(gain)}`,
      };
    },
  },
];

function signed(delta: number): string {
  if (delta === 0) return 'equal';
  return delta > 0 ? `${f(delta)} above` : `${f(-delta)} below`;
}

function notChecked(spec: ClaimSpec, reason: string): Finding {
  return {
    code: 'claim',
    ok: false,
    message:
      `${spec.text}; not checked, because ${reason}. ` + 'This point needs every file it compares.',
  };
}

function claimFinding(
  spec: ClaimSpec,
  graded: Map<string, GradedFile>,
  referenceByQuestion: Map<string, ReferenceRun>,
  plausibleOk: boolean,
): Finding {
  const own = graded.get(spec.question)!;
  if (own.check.kind !== 'valid') return notChecked(spec, 'this file is not valid');

  const others: RunCurves[] = [];
  for (const question of spec.others) {
    const other = graded.get(question)!;
    if (other.check.kind !== 'valid') {
      const state = other.check.kind === 'missing' ? 'missing' : 'not valid';
      return notChecked(spec, `${question}'s file '${other.file}' is ${state}`);
    }
    others.push(other.check.curves);
  }

  const result = spec.check(own.check.curves, others);
  const referenceResult = spec.check(
    referenceByQuestion.get(spec.question)!,
    spec.others.map((question) => referenceByQuestion.get(question)!),
  );

  if (!referenceResult.holds) {
    const outcome = plausibleOk ? 'passed' : 'failed';
    return {
      code: 'claim',
      ok: plausibleOk,
      message:
        `${spec.text}; the reference runs do not show it either (${referenceResult.shown}), ` +
        `so this point follows the plausibility check, which ${outcome}. ` +
        `Your files show ${result.shown}.`,
    };
  }
  if (result.holds) {
    return { code: 'claim', ok: true, message: `${spec.text}: your files show ${result.shown}.` };
  }
  const scripts = [spec.question, ...spec.others].map(scriptOf).join(' and ');
  return {
    code: 'claim',
    ok: false,
    message:
      `${spec.text}, but your files show ${result.shown}. Check that each file comes from ` +
      `its own script (${scripts}) run with the handout's command line.`,
  };
}

// ---------------------------------------------------------------------------------------------
// Fabrication checks

/**
 * `--rerun`: the first `epochs` epochs of the submitted curves against the ones the student's
 * own code produces. One finding per curve; a mismatch names the first epoch that differs.
 */
export function compareRerun(submitted: RunCurves, produced: RunCurves, epochs: number): Finding[] {
  if (!Number.isInteger(epochs) || epochs < 1 || epochs > EPOCHS) {
    throw new RangeError(
      `compareRerun: epochs is ${epochs}, expected an integer in [1, ${EPOCHS}].`,
    );
  }

  return CURVES.map((curve): Finding => {
    const mine = submitted[curve];
    const theirs = produced[curve];
    if (theirs.length < epochs) {
      return {
        code: 'rerun-short',
        ok: false,
        message:
          `Expected ${epochs} epochs of ${curve} from the rerun of your code, it produced ` +
          `${theirs.length}; the file could not be compared.`,
      };
    }

    for (let index = 0; index < epochs; index++) {
      const s = mine[index];
      const p = theirs[index];
      if (Math.abs(s - p) <= RERUN_MATCH) continue; // NaN fails here as well
      return {
        code: 'rerun-mismatch',
        ok: false,
        message:
          `${curve}[${index}] (epoch ${index + 1}) in the submitted file is ${f(s)}, your code ` +
          `produces ${f(p)}: the file does not come from this code (allowed difference ` +
          `${RERUN_MATCH}).`,
      };
    }
    return {
      code: 'rerun-match',
      ok: true,
      message: `${curve} matches your code at epochs 1-${epochs} within ${RERUN_MATCH}.`,
    };
  });
}

/**
 * Curves that are identical (all 30 numbers equal) in two places: two files, or train and val of
 * one file. Different runs never produce the same curve, except a network that predicts a single
 * class in every run: constant curves are therefore not flagged.
 */
export function findDuplicatedCurves(files: ReadonlyMap<string, RunCurves>): Finding[] {
  const groups = new Map<string, string[]>();
  for (const [file, curves] of files) {
    for (const curve of CURVES) {
      const values = curves[curve];
      if (values.every((value) => value === values[0])) continue;
      const key = `${values.length}:${values.join(',')}`;
      groups.set(key, [...(groups.get(key) ?? []), `${curve} curve of '${file}'`]);
    }
  }

  const findings: Finding[] = [];
  for (const [key, places] of groups) {
    if (places.length < 2) continue;
    const listed = `${places.slice(0, -1).join(', ')} and ${places[places.length - 1]}`;
    const length = key.slice(0, key.indexOf(':'));
    findings.push({
      code: 'duplicated-curve',
      ok: false,
      message:
        `The ${listed} are identical (${length} equal accuracies); different runs do not ` +
        'produce the same curve. Ask the student how these files were made.',
    });
  }
  return findings;
}
