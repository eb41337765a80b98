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
import { loadReferenceRuns } from '../outputs';
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
      const holdsCode = entries.some((e) => /^dnn_(misc|cnn_2)\.ts$/i.test(e));
      if (zips.length > 0 && !holdsCode) sources.push(...zips.map((z) => path.join(full, z)));
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

const csvCell = (value: string | number): string =>
  /[",\n]/.test(String(value)) ? `"${String(value).replace(/"/g, '""')}"` : String(value);

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
  const reference = loadReferenceRuns();
  const dataFile = ensureDataFile();
  const scratch = createScratch(undefined, options.keep);
  const outDir = path.resolve(options.out);
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
        if (!(error instanceof IntakeError)) throw error;
        unopened++;
        log.error(`  ${path.basename(source)}: ${error.message}`);
        rows.push([path.basename(source), '', 'could not be opened', error.message]);
        continue;
      }
      cards.push(card);
      const reportDir = path.join(outDir, card.submission.name.replace(/[^A-Za-z0-9_.-]/g, '_'));
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
