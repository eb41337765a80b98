/**
 * Handout files a student may not modify: when a submission carries a copy that differs from the
 * pristine handout, the difference is reported as a unified diff. Grading always runs the
 * pristine copies, so a modified file never changes a score.
 */
import * as fs from 'fs';
import * as path from 'path';
import { createTwoFilesPatch } from 'diff';
import type { Submission } from '../intake';
import { PROTECTED_FILES } from '../submission-files';
import { HANDOUT_DIR } from '../workspace';

export interface ProtectedDiff {
  file: string;
  /** The unified diff, pristine handout first. */
  patch: string;
  message: string;
}

const MAX_PATCH_LINES = 200;

export function diffProtectedFiles(
  submission: Submission,
  handoutDir = HANDOUT_DIR,
): ProtectedDiff[] {
  const diffs: ProtectedDiff[] = [];
  for (const file of PROTECTED_FILES) {
    if (!submission.files.includes(file)) continue;
    const pristinePath = path.join(handoutDir, file);
    if (!fs.existsSync(pristinePath)) continue;
    const pristine = fs.readFileSync(pristinePath, 'utf8');
    const submitted = fs.readFileSync(path.join(submission.root, file), 'utf8');
    if (submitted.replace(/\r\n/g, '\n') === pristine) continue;
    const lines = createTwoFilesPatch(
      `handout/${file}`,
      `submission/${file}`,
      pristine,
      submitted.replace(/\r\n/g, '\n'),
      '',
      '',
      { context: 2 },
    ).split('\n');
    const patch =
      lines.length > MAX_PATCH_LINES
        ? [
            ...lines.slice(0, MAX_PATCH_LINES),
            `... (${lines.length - MAX_PATCH_LINES} more lines)`,
          ].join('\n')
        : lines.join('\n');
    diffs.push({
      file,
      patch,
      message:
        `${file} differs from the handout, which may not be modified; it was graded with the ` +
        `pristine copy. The difference:\n${patch}`,
    });
  }
  return diffs;
}
