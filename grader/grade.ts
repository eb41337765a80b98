/**
 * Grading one submission end to end: open it, run its code in the sandbox against the pristine
 * handout, grade its output files, and assemble the scorecard. Nothing the submission does can
 * make this throw; only a submission that cannot be opened at all is an IntakeError.
 */
import * as fs from 'fs';
import * as path from 'path';
import { checkCnn2, noteQ32Dependence } from './checks/cnn2';
import { checkModules, FUNCTION_TITLES } from './checks/modules';
import { diffProtectedFiles } from './checks/protected';
import { rerunOutputs } from './checks/rerun';
import { openSubmission, Submission } from './intake';
import { gradeRunOutputs, ReferenceRun } from './outputs';
import { POINTS, Q32_FUNCTIONS, RubricItem } from './rubric';
import { Scorecard, totalOf } from './scorecard';
import { STUDENT_CODE_FILES } from './submission-files';
import type { StudentCode } from './workspace';

export interface GradeOptions {
  scratchDir: string;
  dataFile: string;
  reference: ReferenceRun[];
  /** Re-run the student's trainers for this many epochs and compare with the submitted files. */
  rerunEpochs?: number;
  /** With rerunEpochs: only these questions' runs (all seven when left out). */
  rerunQuestions?: readonly string[];
  /** Called with a short line as each stage starts (the CLI prints it with -v). */
  progress?: (line: string) => void;
}

function missingItems(file: string): RubricItem[] {
  const message = `${file} is not in the submission: nothing to grade. Add it to the zip.`;
  if (file === 'dnn_misc.ts') {
    return Q32_FUNCTIONS.map((fn) => ({
      id: `Q3.2 ${fn}`,
      title: FUNCTION_TITLES[fn],
      points: 0,
      maxPoints: POINTS.q32PerFunction,
      status: 'missing' as const,
      findings: [{ code: 'missing', ok: false, message }],
    }));
  }
  return [
    {
      id: 'Q3.9',
      title: 'the two-convolution CNN in dnn_cnn_2.ts',
      points: 0,
      maxPoints: POINTS.q39,
      status: 'missing',
      findings: [{ code: 'missing', ok: false, message }],
    },
  ];
}

/** Grades a submission that is already opened. */
export async function gradeOpened(
  submission: Submission,
  options: GradeOptions,
): Promise<Scorecard> {
  const started = Date.now();
  const progress = options.progress ?? (() => undefined);
  const student: StudentCode = {};
  for (const name of STUDENT_CODE_FILES) {
    if (submission.files.includes(name)) student[name] = path.join(submission.root, name);
  }

  const items: RubricItem[] = [];
  progress('Q3.2: checking the five functions of dnn_misc.ts');
  if (student['dnn_misc.ts'])
    items.push(...(await checkModules(student, { scratchDir: options.scratchDir })));
  else items.push(...missingItems('dnn_misc.ts'));

  progress('Q3.3-Q3.8, Q3.10: grading the output files');
  const outputs = gradeRunOutputs(submission, options.reference);

  progress('Q3.9: checking the network of dnn_cnn_2.ts');
  const q39 = student['dnn_cnn_2.ts']
    ? await checkCnn2(student, { scratchDir: options.scratchDir, dataFile: options.dataFile })
    : missingItems('dnn_cnn_2.ts')[0];

  noteQ32Dependence(q39, items);

  // Rubric order: Q3.2, Q3.3 - Q3.8, Q3.9, Q3.10.
  const q310 = outputs.items.filter((item) => item.id === 'Q3.10');
  items.push(...outputs.items.filter((item) => item.id !== 'Q3.10'), q39, ...q310);

  const problems = submission.problems.map((p) => p.message);
  problems.push(...outputs.duplicates.filter((f) => !f.ok).map((f) => f.message));
  problems.push(...diffProtectedFiles(submission).map((d) => d.message));

  if (options.rerunEpochs !== undefined) {
    progress(
      `--rerun: running the trainers for ${options.rerunEpochs} epoch(s) on the student's code`,
    );
    const findings = await rerunOutputs(submission, student, {
      scratchDir: options.scratchDir,
      dataFile: options.dataFile,
      epochs: options.rerunEpochs,
      questions: options.rerunQuestions,
    });
    for (const finding of findings) {
      const item = items.find((i) => finding.code.startsWith(`rerun:${i.id}:`));
      (item?.findings ?? []).push(finding);
      if (!finding.ok) problems.push(finding.message);
    }
  }

  return {
    submission: { name: submission.name, source: submission.source },
    items,
    ...totalOf(items),
    claims: outputs.claims,
    problems,
    durationMs: Date.now() - started,
  };
}

/** Opens and grades a zip or a directory. */
export async function gradeSubmission(source: string, options: GradeOptions): Promise<Scorecard> {
  const intakeDir = path.join(options.scratchDir, 'submissions');
  fs.mkdirSync(intakeDir, { recursive: true });
  const submission = await openSubmission(source, intakeDir);
  return gradeOpened(submission, options);
}
