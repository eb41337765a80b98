/**
 * `dnn-grader demo`: the first run on a new machine. Builds two real submission zips from what the
 * repository ships (the reference solution with its 30-epoch output files, and the untouched
 * handout) and grades both, so the scorecards show what full marks and a fresh start look like.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as yazl from 'yazl';
import { gradeSubmission } from '../grade';
import { log } from '../log';
import { DEFAULT_REFERENCE_DIR } from '../outputs';
import { loadReferenceRunsOrExplain } from './grade';
import { renderScorecard } from '../report/text';
import { createScratch } from '../scratch';
import type { Scorecard } from '../scorecard';
import { COLLABORATION_FILE, RUN_OUTPUT_FILES } from '../submission-files';
import { ensureDataFile, HANDOUT_DIR, REFERENCE_DIR } from '../workspace';

/** Writes a zip of `files` (name in the zip -> path on disk). */
export function writeZip(zipPath: string, files: Record<string, string | Buffer>): Promise<void> {
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    for (const [name, content] of Object.entries(files)) {
      zip.addBuffer(Buffer.isBuffer(content) ? content : fs.readFileSync(content), name);
    }
    zip.end();
    zip.outputStream.pipe(fs.createWriteStream(zipPath)).on('close', resolve).on('error', reject);
  });
}

/** The two demo submissions as zips in `dir`. */
export async function makeDemoZips(dir: string): Promise<{ reference: string; template: string }> {
  const reference = path.join(dir, 'Assignment_3_Reference_Solution.zip');
  const outputs = Object.fromEntries(
    RUN_OUTPUT_FILES.map(({ file }) => [file, path.join(DEFAULT_REFERENCE_DIR, file)]),
  );
  await writeZip(reference, {
    'dnn_misc.ts': path.join(REFERENCE_DIR, 'dnn_misc.ts'),
    'dnn_cnn_2.ts': path.join(REFERENCE_DIR, 'dnn_cnn_2.ts'),
    ...outputs,
    [COLLABORATION_FILE]: Buffer.from('no discussion\n'),
  });
  const template = path.join(dir, 'Assignment_3_Untouched_Handout.zip');
  await writeZip(template, {
    'dnn_misc.ts': path.join(HANDOUT_DIR, 'dnn_misc.ts'),
    'dnn_cnn_2.ts': path.join(HANDOUT_DIR, 'dnn_cnn_2.ts'),
    [COLLABORATION_FILE]: path.join(HANDOUT_DIR, COLLABORATION_FILE),
  });
  return { reference, template };
}

export async function runDemo(options: {
  color: boolean;
  verbose: boolean;
  keep: boolean;
}): Promise<number> {
  const reference = loadReferenceRunsOrExplain();
  const dataFile = ensureDataFile();
  const scratch = createScratch(undefined, options.keep);
  try {
    const zips = await makeDemoZips(scratch.dir);
    const cards: Scorecard[] = [];
    for (const [label, zip] of [
      ['the reference solution', zips.reference],
      ['the untouched handout', zips.template],
    ] as const) {
      log.info(`demo: grading ${label} (${path.basename(zip)})`);
      const card = await gradeSubmission(zip, { scratchDir: scratch.dir, dataFile, reference });
      cards.push(card);
      process.stdout.write(
        renderScorecard(card, { color: options.color, verbose: options.verbose }) + '\n',
      );
    }
    process.stdout.write(
      `demo: the reference solution scores ${cards[0].total}/${cards[0].maxTotal}, ` +
        `the untouched handout ${cards[1].total}/${cards[1].maxTotal}.\n` +
        `Grade your own: npx dnn-grader grade path/to/Assignment_3_<first>_<last>.zip\n`,
    );
    if (options.keep) log.info(`demo: zips and work files kept in ${scratch.dir}`);
    return 0;
  } finally {
    scratch.dispose();
  }
}
