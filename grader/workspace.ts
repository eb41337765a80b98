/**
 * A workspace is a fresh directory holding the pristine handout, the student's two files and the
 * grader's probe harness, transpiled to JavaScript, in which one sandboxed child runs. Every run
 * gets a new one: student code can rewrite anything in its own work dir, so nothing there is
 * trusted or reused after the run.
 */
import * as fs from 'fs';
import * as path from 'path';
import { build_mnist_subset, MNIST_SUBSET_SHA256, sha256 } from '../reference/dnn_data';
import type { Probe, ProbeResult } from './child/grader_probe';
import { STUDENT_CODE_FILES } from './submission-files';
import { runSandboxed, SandboxResult, transpileDirectory, TranspileProblem } from './sandbox';

export const PROJECT_ROOT = path.resolve(__dirname, '..');
/** The handout as students receive it; its files other than the student's two are protected. */
export const HANDOUT_DIR = path.join(PROJECT_ROOT, 'student-template');
export const REFERENCE_DIR = path.join(PROJECT_ROOT, 'reference');
const CHILD_DIR = path.join(__dirname, 'child');

export type StudentFile = (typeof STUDENT_CODE_FILES)[number];

/** Paths of the student's files; a file left out is taken from the handout (its stubs). */
export type StudentCode = Partial<Record<StudentFile, string>>;

export interface Workspace {
  dir: string;
  /** Syntax errors in any transpiled file, the student's first. */
  transpileProblems: TranspileProblem[];
}

/** Handout files the grader runs: the TypeScript sources and nothing else. */
export function handoutSources(dir = HANDOUT_DIR): string[] {
  if (!fs.existsSync(dir)) {
    throw new Error(`the handout folder ${dir} is missing: run \`npm run make-template\``);
  }
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.ts'))
    .sort();
}

/** Makes a new workspace under `scratchDir`. */
export function createWorkspace(
  scratchDir: string,
  label: string,
  student: StudentCode,
): Workspace {
  fs.mkdirSync(scratchDir, { recursive: true });
  const dir = fs.mkdtempSync(path.join(scratchDir, `${label.replace(/[^A-Za-z0-9_.-]/g, '_')}-`));
  for (const name of handoutSources()) {
    fs.copyFileSync(path.join(HANDOUT_DIR, name), path.join(dir, name));
  }
  for (const name of STUDENT_CODE_FILES) {
    const source = student[name];
    if (source) fs.copyFileSync(source, path.join(dir, name));
  }
  for (const name of fs.readdirSync(CHILD_DIR)) {
    if (name.endsWith('.ts')) fs.copyFileSync(path.join(CHILD_DIR, name), path.join(dir, name));
  }
  const problems = transpileDirectory(dir);
  const studentFirst = (p: TranspileProblem): number =>
    (STUDENT_CODE_FILES as readonly string[]).includes(p.file) ? 0 : 1;
  problems.sort((a, b) => studentFirst(a) - studentFirst(b));
  return { dir, transpileProblems: problems };
}

/** The data file the trainers read, built once from the `mnist` package and checked. */
export function ensureDataFile(
  file = path.join(PROJECT_ROOT, 'data', 'mnist_subset.json'),
): string {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    process.stderr.write(
      `Building ${path.relative(process.cwd(), file)} from the mnist package (once)...\n`,
    );
    build_mnist_subset(file);
  }
  const digest = sha256(fs.readFileSync(file));
  if (digest !== MNIST_SUBSET_SHA256) {
    throw new Error(
      `${file} does not have the expected SHA-256 (got ${digest.slice(0, 12)}...): it was edited ` +
        `or truncated. Delete it; the grader rebuilds it from the mnist package.`,
    );
  }
  return file;
}

export interface ProbeRun {
  results: Map<string, ProbeResult>;
  sandbox: SandboxResult;
}

const MAX_RESULTS_BYTES = 64 * 1024 * 1024;

/** Runs probes in the workspace's sandbox; results of probes that finished survive a crash. */
export async function runProbes(
  workspace: Workspace,
  probes: Probe[],
  options: { timeoutMs: number; extensions?: string[]; dataFile?: string },
): Promise<ProbeRun> {
  const inputFile = path.join(workspace.dir, 'grader_input.json');
  fs.writeFileSync(inputFile, JSON.stringify({ probes, extensions: options.extensions ?? [] }));
  const sandbox = await runSandboxed({
    workDir: workspace.dir,
    entry: 'grader_probe.js',
    args: ['grader_input.json'],
    timeoutMs: options.timeoutMs,
    readPaths: options.dataFile ? [options.dataFile] : [],
    env: options.dataFile ? { MNIST_SUBSET: options.dataFile } : {},
  });
  return {
    results: readResults(path.join(workspace.dir, 'grader_results.jsonl'), probes),
    sandbox,
  };
}

/** Reads the child's results defensively: only regular files, bounded, known ids, valid JSON. */
function readResults(file: string, probes: Probe[]): Map<string, ProbeResult> {
  const results = new Map<string, ProbeResult>();
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch {
    return results;
  }
  if (!stat.isFile() || stat.size > MAX_RESULTS_BYTES) return results;
  const known = new Set(probes.map((p) => p.id));
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const parsed = sanitize(JSON.parse(line)) as ProbeResult;
      if (typeof parsed?.id === 'string' && known.has(parsed.id) && Array.isArray(parsed.calls)) {
        results.set(parsed.id, parsed);
      }
    } catch {
      // A line the student's code garbled is treated as a probe without a result.
    }
  }
  return results;
}

const MAX_TEXT = 2000;

/**
 * Every string that came from the child, made safe to print: control characters (terminal escape
 * sequences included) become spaces, and a long string is cut. The child may have forged the
 * whole file, so nothing in it is trusted to be short or printable.
 */
export function sanitize(value: unknown): unknown {
  if (typeof value === 'string') {
    // eslint-disable-next-line no-control-regex
    const clean = value.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, ' ');
    return clean.length > MAX_TEXT ? `${clean.slice(0, MAX_TEXT)}... (cut)` : clean;
  }
  if (Array.isArray(value)) return value.map(sanitize);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      if (key === '__proto__') continue;
      out[key] = sanitize(inner);
    }
    return out;
  }
  return value;
}
