/**
 * `dnn-grader check [dir]`: the student's question at midnight, "is my dnn_misc.ts right, and if
 * not, what is wrong?" Checks the five functions of Q3.2 and, when dnn_cnn_2.ts is there, the
 * network of Q3.9, and prints a verdict per function with what to fix.
 */
import * as fs from 'fs';
import * as path from 'path';
import { checkCnn2, noteQ32Dependence } from '../checks/cnn2';
import { checkModules } from '../checks/modules';
import { EXIT, UserError } from '../errors';
import { renderScorecard } from '../report/text';
import { Q32_FUNCTIONS, Q32Function, RubricItem } from '../rubric';
import { createScratch } from '../scratch';
import { totalOf } from '../scorecard';
import { ensureDataFile, StudentCode } from '../workspace';

export interface CheckOptions {
  functions?: string[];
  cnn2: boolean;
  json: boolean;
  keep: boolean;
  color: boolean;
  verbose: boolean;
}

export async function runCheck(dirArg: string | undefined, options: CheckOptions): Promise<number> {
  const dir = path.resolve(dirArg ?? '.');
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new UserError(
      `check: expected a folder holding dnn_misc.ts, got '${dirArg}', which is not a folder.`,
    );
  }
  const misc = path.join(dir, 'dnn_misc.ts');
  if (!fs.existsSync(misc)) {
    throw new UserError(
      `check: there is no dnn_misc.ts in ${dir}. Run the command in your handout folder, or name it: dnn-grader check path/to/folder`,
    );
  }
  const functions = (options.functions ?? [...Q32_FUNCTIONS]) as Q32Function[];
  for (const fn of functions) {
    if (!(Q32_FUNCTIONS as readonly string[]).includes(fn)) {
      throw new UserError(
        `check: unknown function '${fn}'; expected one of ${Q32_FUNCTIONS.join(', ')}.`,
      );
    }
  }
  const student: StudentCode = { 'dnn_misc.ts': misc };
  const cnn2 = path.join(dir, 'dnn_cnn_2.ts');
  if (fs.existsSync(cnn2)) student['dnn_cnn_2.ts'] = cnn2;

  const scratch = createScratch(undefined, options.keep);
  const started = Date.now();
  try {
    const items: RubricItem[] = await checkModules(student, { scratchDir: scratch.dir, functions });
    if (options.cnn2 && student['dnn_cnn_2.ts']) {
      const q39 = await checkCnn2(student, { scratchDir: scratch.dir, dataFile: ensureDataFile() });
      noteQ32Dependence(q39, items);
      items.push(q39);
    }
    const card = {
      submission: { name: path.basename(dir), source: dir },
      items,
      ...totalOf(items),
      claims: [],
      problems: options.keep ? [`work files kept in ${scratch.dir}`] : [],
      durationMs: Date.now() - started,
    };
    process.stdout.write(
      options.json
        ? JSON.stringify(card, null, 2) + '\n'
        : renderScorecard(card, { color: options.color, verbose: options.verbose }) + '\n',
    );
    return items.every((item) => item.status === 'passed') ? EXIT.ok : EXIT.failures;
  } finally {
    scratch.dispose();
  }
}
