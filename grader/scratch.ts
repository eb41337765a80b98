/**
 * Scratch directories for workspaces: one per command run, removed when it ends unless the
 * user asked to keep it (to look at what the student's code wrote).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface Scratch {
  dir: string;
  dispose(): void;
}

export function createScratch(parent: string | undefined, keep: boolean): Scratch {
  const base = parent ?? os.tmpdir();
  fs.mkdirSync(base, { recursive: true });
  const dir = fs.mkdtempSync(path.join(base, 'dnn-grader-'));
  return {
    dir,
    dispose: () => {
      if (!keep) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
