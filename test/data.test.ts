/**
 * The data file: built from the mnist package by the HOMEWORK.md rule, it must hold exactly the
 * numbers numpy's build gives (digest from tools/numpy/mnist_subset_digest.py), and a damaged
 * copy must be refused with a message that says what to do.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { load_mnist_subset, MnistSubset, SPLIT_SIZES } from '../reference/dnn_data';
import { ensureDataFile } from '../grader/workspace';

/** Printed by `python3 tools/numpy/mnist_subset_digest.py` (numpy 2.4, this repository's mnist). */
const NUMPY_CONTENT_DIGEST = '02b514be1c04593448a5d6135d7a22e073a94481f7973aa61678a481fdd4411b';

function contentDigest(subset: MnistSubset): string {
  const hash = createHash('sha256');
  for (const name of ['train', 'valid', 'test'] as const) {
    const { X, y } = subset[name];
    hash.update(Buffer.from(X.data.buffer, X.data.byteOffset, X.data.byteLength));
    hash.update(Buffer.from(Int32Array.from(y.data).buffer));
  }
  return hash.digest('hex');
}

describe('mnist_subset.json', () => {
  let dataFile: string;
  let tmp: string;

  beforeAll(() => {
    dataFile = ensureDataFile();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dnn-data-'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('parsed, equals the numpy build of the HOMEWORK.md rule', () => {
    const subset = load_mnist_subset(dataFile);
    expect(subset.train.X.shape).toEqual([SPLIT_SIZES.train, 784]);
    expect(subset.valid.y.shape).toEqual([SPLIT_SIZES.valid, 1]);
    expect(subset.test.X.shape).toEqual([SPLIT_SIZES.test, 784]);
    expect(contentDigest(subset)).toBe(NUMPY_CONTENT_DIGEST);
  });

  test('a missing file is built where it was expected', () => {
    const file = path.join(tmp, 'built.json');
    const subset = load_mnist_subset(file);
    expect(fs.existsSync(file)).toBe(true);
    expect(contentDigest(subset)).toBe(NUMPY_CONTENT_DIGEST);
  });

  test('a truncated copy is refused with what to do', () => {
    const file = path.join(tmp, 'truncated.json');
    fs.writeFileSync(file, fs.readFileSync(dataFile).subarray(0, 1000));
    expect(() => load_mnist_subset(file)).toThrow(/truncated.*Delete it and run again/s);
  });

  test('an edited copy (one pixel changed) is refused', () => {
    const file = path.join(tmp, 'edited.json');
    const text = fs.readFileSync(dataFile, 'utf8');
    const at = text.indexOf('0.2');
    fs.writeFileSync(file, text.slice(0, at) + '0.3' + text.slice(at + 3));
    expect(() => load_mnist_subset(file)).toThrow(/not the homework's data file/);
  });
});
