/**
 * Scratch directories for workspaces: one per command run, removed when it ends unless the
 * user asked to keep it (to look at what the student's code wrote).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { log } from './log';
import { onInterrupt } from './sandbox';

export interface Scratch {
  dir: string;
  dispose(): void;
}

export function createScratch(parent: string | undefined, keep: boolean): Scratch {
  const base = parent ?? os.tmpdir();
  fs.mkdirSync(base, { recursive: true });
  const dir = fs.mkdtempSync(path.join(base, 'dnn-grader-'));
  const remove = (): void => {
    if (keep) return;
    try {
      fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 100 });
    } catch (error) {
      log.error(`could not remove the scratch directory ${dir}: ${(error as Error).message}`);
    }
  };
  const forget = onInterrupt(remove);
  return {
    dir,
    dispose: () => {
      forget();
      remove();
    },
  };
}
