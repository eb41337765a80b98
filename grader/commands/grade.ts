/**
 * `dnn-grader grade <submission...>`: the instructor's command. Each argument is a zip, a folder
 * holding a submission, or a folder of zips (graded one after the other). For every submission it
 * prints the scorecard and writes `<out>/<name>/report.json` (the scorecard) and
 * `<out>/<name>/results.json` (Gradescope's format); with several, also `<out>/summary.csv`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { EXIT, UserError } from '../errors';
import { gradeSubmission } from '../grade';
import { IntakeError } from '../intake';
import { log } from '../log';
import { loadReferenceRuns, ReferenceRun } from '../outputs';
import { toGradescope } from '../report/gradescope';
import { renderScorecard } from '../report/text';
import { createScratch } from '../scratch';
import type { Scorecard } from '../scorecard';
import { RUN_OUTPUT_FILES } from '../submission-files';
import { ensureDataFile } from '../workspace';

export interface GradeCommandOptions {
  out: string;
  /** true for all seven runs, or a comma-separated list of questions such as "Q3.3,Q3.6". */
  rerun: boolean | string;
  epochs?: string;
  json: boolean;
  gradescope?: string;
  keep: boolean;
  color: boolean;
  verbose: boolean;
}

/** Zips and submission folders named by the arguments, in order. */
export function expandSources(args: string[]): string[] {
  const sources: string[] = [];
  for (const arg of args) {
    const full = path.resolve(arg);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(full);
    } catch {
      throw new UserError(
        `grade: '${arg}' does not exist. Give a submission zip, a submission folder, or a folder of zips.`,
      );
    }
    if (stat.isDirectory()) {
      const entries = fs.readdirSync(full);
      const zips = entries.filter((e) => /\.zip$/i.test(e)).sort();
      const code = entries.filter((e) => /^dnn_(misc|cnn_2)\.ts$/i.test(e));
      if (zips.length > 0 && code.length > 0) {
        throw new UserError(
          `grade: '${arg}' holds both zips (${zips.length}) and loose code (${code.join(', ')}), so it ` +
            'is unclear whether it is one submission or a folder of them. Move the loose files out, ' +
            'or name the zips or the submission folder directly.',
        );
      }
      if (zips.length > 0) sources.push(...zips.map((z) => path.join(full, z)));
      else sources.push(full);
    } else {
      sources.push(full);
    }
  }
  return sources;
}

function parseEpochs(text: string | undefined): number {
  if (text === undefined) return 30;
  const epochs = Number(text);
  if (!Number.isInteger(epochs) || epochs < 1 || epochs > 30) {
    throw new UserError(`grade: --epochs expects a whole number from 1 to 30, got '${text}'.`);
  }
  return epochs;
}

function parseQuestions(text: string): string[] {
  const known = RUN_OUTPUT_FILES.map((run) => run.question);
  const questions = text
    .split(',')
    .map((q) => q.trim())
    .filter(Boolean);
  const unknown = questions.filter((q) => !known.includes(q as (typeof known)[number]));
  if (questions.length === 0 || unknown.length > 0) {
    throw new UserError(`grade: --rerun takes questions among ${known.join(', ')}; got '${text}'.`);
  }
  return questions;
}

/** A CSV cell; text a spreadsheet would run as a formula (=, +, -, @) is quoted with a '. */
const csvCell = (value: string | number): string => {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** Checks up front that the reports can be written where asked, before any grading. */
function checkOutputPaths(outDir: string, gradescope: string | undefined): void {
  if (fs.existsSync(outDir) && !fs.statSync(outDir).isDirectory()) {
    throw new UserError(`grade: -o ${outDir} is a file; name a folder for the reports.`);
  }
  if (gradescope) {
    const dir = path.dirname(path.resolve(gradescope));
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
      throw new UserError(`grade: --gradescope ${gradescope}: the folder ${dir} does not exist.`);
    }
  }
}

/** A folder name for a submission's reports: safe characters, never . or .., never reused. */
function reportFolder(outDir: string, name: string, used: Set<string>): string {
  const base = name.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^\.+/, '_') || 'submission';
  let candidate = base;
  for (let n = 2; used.has(candidate.toLowerCase()); n++) candidate = `${base}-${n}`;
  used.add(candidate.toLowerCase());
  return path.join(outDir, candidate);
}

export async function runGrade(args: string[], options: GradeCommandOptions): Promise<number> {
  if (options.epochs !== undefined && !options.rerun) {
    throw new UserError('grade: --epochs goes with --rerun (it says how many epochs to re-run).');
  }
  const rerunEpochs = options.rerun ? parseEpochs(options.epochs) : undefined;
  const rerunQuestions =
    typeof options.rerun === 'string' ? parseQuestions(options.rerun) : undefined;
  const sources = expandSources(args);
  if (options.gradescope && sources.length !== 1) {
    throw new UserError(
      `grade: --gradescope writes one results.json, so it takes one submission; got ${sources.length}.`,
    );
  }
  const outDir = path.resolve(options.out);
  checkOutputPaths(outDir, options.gradescope);
  const reference = loadReferenceRunsOrExplain();
  const dataFile = ensureDataFile();
  const scratch = createScratch(undefined, options.keep);
  const usedFolders = new Set<string>();
  const rows: (string | number)[][] = [];
  const cards: Scorecard[] = [];
  let unopened = 0;

  try {
    for (const [index, source] of sources.entries()) {
      log.info(`[${index + 1}/${sources.length}] grading ${path.basename(source)}`);
      let card: Scorecard;
      try {
        card = await gradeSubmission(source, {
          scratchDir: scratch.dir,
          dataFile,
          reference,
          rerunEpochs,
          rerunQuestions,
          progress: (line) => log.debug(`  ${line}`),
        });
      } catch (error) {
        // One submission's trouble never stops the batch: it is listed and the next is graded.
        unopened++;
        const opened = error instanceof IntakeError;
        const message = opened
          ? error.message
          : `the grader failed on this submission (${(error as Error).message}); grade it alone with -v and report the bug`;
        log.error(`  ${path.basename(source)}: ${message}`);
        rows.push([
          path.basename(source).replace(/\.zip$/i, ''),
          '',
          opened ? 'could not be opened' : 'grader error',
          message,
        ]);
        continue;
      }
      cards.push(card);
      const reportDir = reportFolder(outDir, card.submission.name, usedFolders);
      fs.mkdirSync(reportDir, { recursive: true });
      fs.writeFileSync(path.join(reportDir, 'report.json'), JSON.stringify(card, null, 2) + '\n');
      const gradescope = JSON.stringify(toGradescope(card), null, 2) + '\n';
      fs.writeFileSync(path.join(reportDir, 'results.json'), gradescope);
      if (options.gradescope) fs.writeFileSync(options.gradescope, gradescope);
      rows.push([
        card.submission.name,
        card.total,
        'graded',
        card.items.map((i) => `${i.id}=${i.points}`).join(' '),
      ]);
      if (!options.json) {
        process.stdout.write(
          renderScorecard(card, { color: options.color, verbose: options.verbose }) + '\n',
        );
        log.info(
          `  reports: ${path.relative(process.cwd(), reportDir) || '.'}/report.json, results.json`,
        );
      }
    }
    if (options.json)
      process.stdout.write(JSON.stringify(cards.length === 1 ? cards[0] : cards, null, 2) + '\n');
    if (sources.length > 1) {
      fs.mkdirSync(outDir, { recursive: true });
      const csv = [['submission', 'total', 'status', 'items'], ...rows]
        .map((r) => r.map(csvCell).join(','))
        .join('\n');
      fs.writeFileSync(path.join(outDir, 'summary.csv'), csv + '\n');
      log.info(
        `graded ${cards.length} of ${sources.length} submissions; summary: ${path.join(path.relative(process.cwd(), outDir) || '.', 'summary.csv')}`,
      );
    }
  } finally {
    scratch.dispose();
  }
  return unopened > 0 ? EXIT.badSubmission : EXIT.ok;
}

/** The shipped reference runs; their absence is a broken checkout, said as such. */
export function loadReferenceRunsOrExplain(): ReferenceRun[] {
  try {
    return loadReferenceRuns();
  } catch (error) {
    throw new UserError(
      `the reference runs the output files are compared with could not be read: ${(error as Error).message} ` +
        'They ship with the repository in fixtures/reference-runs/; restore them with git, or ' +
        'recompute them with `bash scripts/reference-runs.sh` (one to two hours).',
      EXIT.usage,
    );
  }
}
