/**
 * `grade --rerun`: runs the seven trainers on the student's own code (in the sandbox, against the
 * pristine handout) for the first k epochs, and compares the accuracies they produce with the
 * submitted files. A file that was fabricated or edited by hand does not match its code.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Finding } from '../rubric';
import type { Submission } from '../intake';
import { checkRunOutput, compareRerun, RunCurves } from '../outputs';
import { runSandboxed } from '../sandbox';
import { RUN_OUTPUT_FILES } from '../submission-files';
import { createWorkspace, StudentCode } from '../workspace';

/** The command line of each run, as the q3*.sh scripts give it. */
export const RUN_COMMANDS: Record<string, { script: string; flags: string[] }> = {
  'Q3.3': { script: 'dnn_mlp', flags: [] },
  'Q3.4': { script: 'dnn_mlp', flags: ['--dropout_rate', '0.5'] },
  'Q3.5': { script: 'dnn_mlp', flags: ['--dropout_rate', '0.95'] },
  'Q3.6': { script: 'dnn_mlp_nonlinear', flags: [] },
  'Q3.7': { script: 'dnn_cnn', flags: [] },
  'Q3.8': { script: 'dnn_cnn', flags: ['--alpha', '0.9'] },
  'Q3.10': { script: 'dnn_cnn_2', flags: ['--alpha', '0.9'] },
};

/** Minutes allowed per epoch of one run in the sandbox (generous: the CPU may be shared). */
const MINUTES_PER_EPOCH = 10;

/**
 * The file a re-run wrote. It holds k epochs, not 30, so the output schema does not apply; it is
 * read with the same care (a regular file, bounded) and only its two lists are required.
 */
function readProducedCurves(file: string): RunCurves | null {
  try {
    const stat = fs.lstatSync(file);
    if (!stat.isFile() || stat.size > 1024 * 1024) return null;
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as RunCurves;
    return Array.isArray(parsed.train) && Array.isArray(parsed.val) ? parsed : null;
  } catch {
    return null;
  }
}

export async function rerunOutputs(
  submission: Submission,
  student: StudentCode,
  options: {
    scratchDir: string;
    dataFile: string;
    epochs: number;
    /** Only these questions (e.g. ['Q3.3']); all seven when left out. */
    questions?: readonly string[];
    concurrency?: number;
  },
): Promise<Finding[]> {
  const findings: Finding[] = [];
  const queue = RUN_OUTPUT_FILES.filter(
    (run) => !options.questions || options.questions.includes(run.question),
  );
  const runOne = async (question: string, file: string): Promise<void> => {
    const code = `rerun:${question}:`;
    const checked = checkRunOutput(path.join(submission.root, file), file);
    if (checked.kind !== 'valid') {
      findings.push({
        code: `${code}skipped`,
        ok: false,
        message: `--rerun ${question}: ${file} is missing or not a valid output file (see its item), nothing to compare.`,
      });
      return;
    }
    const submitted = checked.curves;
    const command = RUN_COMMANDS[question];
    const workspace = createWorkspace(options.scratchDir, `rerun-${question}`, student);
    const result = await runSandboxed({
      workDir: workspace.dir,
      entry: `${command.script}.js`,
      args: [...command.flags, '--num_epoch', String(options.epochs)],
      timeoutMs: options.epochs * MINUTES_PER_EPOCH * 60_000,
      readPaths: [options.dataFile],
      env: { MNIST_SUBSET: options.dataFile },
      memoryMb: 2048,
    });
    const produced = readProducedCurves(path.join(workspace.dir, file));
    if (!produced) {
      const why = result.timedOut
        ? 'timed out'
        : `ended with exit code ${result.exitCode ?? result.signal}`;
      const tail = result.stderr.trim().split('\n').slice(-2).join(' | ').slice(0, 300);
      findings.push({
        code: `${code}failed`,
        ok: false,
        message: `--rerun ${question}: ${command.script}.ts ${why} without writing ${file}${tail ? `: ${tail}` : ''}.`,
      });
      return;
    }
    findings.push(
      ...compareRerun(submitted, produced, options.epochs).map((f) => ({
        ...f,
        code: `${code}${f.code}`,
        message: `--rerun ${question}: ${f.message}`,
      })),
    );
  };
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next; next = queue.shift())
      await runOne(next.question, next.file);
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 2 }, worker));
  return findings;
}
