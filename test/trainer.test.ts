/**
 * The trainers' command line and output naming. Expected strings are what Python prints
 * (`str(0.01)` is '0.01', `str(1e-05)` is '1e-05', ...), written out by hand.
 */
import * as path from 'path';
import execa from 'execa';
import { network as mlp } from '../reference/dnn_mlp';
import { network as cnn2 } from '../reference/dnn_cnn_2';
import {
  output_file_name,
  parse_args,
  py_float,
  results_json,
  UsageError,
} from '../reference/dnn_train';

const TSX = path.join(__dirname, '..', 'node_modules', '.bin', 'tsx');
const REFERENCE = path.join(__dirname, '..', 'reference');

test.each([
  [0.01, '0.01'],
  [0.0, '0.0'],
  [0.5, '0.5'],
  [0.95, '0.95'],
  [0.9, '0.9'],
  [0.001, '0.001'],
  [1, '1.0'],
  [1e-5, '1e-05'],
  [0.0001, '0.0001'],
  [1.5e-7, '1.5e-07'],
  [1e16, '1e+16'],
  [123456789, '123456789.0'],
  [0.9308333333333333, '0.9308333333333333'],
  [-2.5, '-2.5'],
])('py_float(%p) prints %p as Python does', (value, text) => {
  expect(py_float(value)).toBe(text);
});

test('output file names follow the homework table', () => {
  expect(output_file_name('MLP', parse_args([], mlp as never))).toBe(
    'MLP_lr0.01_m0.0_w0.0_d0.0.json',
  );
  expect(output_file_name('MLP', parse_args(['--dropout_rate', '0.95'], mlp as never))).toBe(
    'MLP_lr0.01_m0.0_w0.0_d0.95.json',
  );
  expect(output_file_name('CNN2', parse_args(['--alpha=0.9'], cnn2 as never))).toBe(
    'CNN2_lr0.001_m0.9_w0.0_d0.5.json',
  );
});

test('the output file is written as Python json.dump writes it', () => {
  expect(results_json([0.5, 1], [0.25, 0])).toBe('{"train": [0.5, 1.0], "val": [0.25, 0.0]}');
});

test.each([
  [['--bogus', '1'], /unknown flag --bogus/],
  [['--dropout_rate', '1.5'], /--dropout_rate expects a number in \[0, 1\), got "1.5"/],
  [['--num_epoch', '2.5'], /--num_epoch expects a whole number >= 1/],
  [['--learning_rate', 'abc'], /--learning_rate expects a number, got "abc"/],
  [['--alpha'], /--alpha needs a value/],
  [['epochs'], /unexpected argument "epochs"/],
  [['--random_seed', '-1'], /--random_seed expects an integer in \[0, 4294967295\]/],
])('parse_args(%j) is refused: %p', (argv, message) => {
  expect(() => parse_args(argv, mlp as never)).toThrow(UsageError);
  expect(() => parse_args(argv, mlp as never)).toThrow(message);
});

test('a trainer run with an unknown flag exits 2 and says why, without training', async () => {
  const run = await execa(TSX, [path.join(REFERENCE, 'dnn_cnn.ts'), '--epochs', '3'], {
    reject: false,
  });
  expect(run.exitCode).toBe(2);
  expect(run.stderr).toContain('dnn_cnn.ts: unknown flag --epochs');
  expect(run.stderr).toContain('--help');
});

test('--help lists the flags and their defaults', async () => {
  const run = await execa(TSX, [path.join(REFERENCE, 'dnn_cnn_2.ts'), '--help']);
  expect(run.stdout).toContain('--learning_rate X     initial learning rate (default 0.001)');
  expect(run.stdout).toContain('--dropout_rate X      dropout rate in [0, 1) (default 0.5)');
});
