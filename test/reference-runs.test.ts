/**
 * The shipped reference runs (fixtures/reference-runs/): seven schema-valid files whose curves
 * show what HOMEWORK.md tells students they will see. The claims are checked here directly on the
 * numbers, not through the grader, whose claim point falls back to plausibility when the
 * reference does not show a claim.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import { loadReferenceRuns } from '../grader/outputs';
import { CLAIMS } from '../grader/tolerances';

const runs = loadReferenceRuns();
const byQuestion = Object.fromEntries(runs.map((run) => [run.question, run]));
const last = (values: number[]): number => values[values.length - 1];

test('all seven files are there and valid against the output schema', () => {
  const schema = JSON.parse(
    fs.readFileSync(
      path.join(__dirname, '..', 'fixtures', 'schemas', 'run-output.schema.json'),
      'utf8',
    ),
  );
  const validate = new Ajv({ allErrors: true }).compile(schema);
  expect(runs.map((run) => run.question)).toEqual([
    'Q3.3',
    'Q3.4',
    'Q3.5',
    'Q3.6',
    'Q3.7',
    'Q3.8',
    'Q3.10',
  ]);
  for (const run of runs) {
    const text = fs.readFileSync(
      path.join(__dirname, '..', 'fixtures', 'reference-runs', run.file),
      'utf8',
    );
    expect([run.file, validate(JSON.parse(text))]).toEqual([run.file, true]);
  }
});

test('Q3.4 (dropout 0.5) ends with higher validation accuracy than Q3.3', () => {
  expect(last(byQuestion['Q3.4'].val)).toBeGreaterThan(last(byQuestion['Q3.3'].val));
});

test('Q3.5 (dropout 0.95) ends lower in training and validation accuracy than Q3.3', () => {
  expect(last(byQuestion['Q3.5'].train)).toBeLessThan(last(byQuestion['Q3.3'].train));
  expect(last(byQuestion['Q3.5'].val)).toBeLessThan(last(byQuestion['Q3.3'].val));
});

test('Q3.6 (no relu) ends about 0.03 below Q3.3 in validation accuracy', () => {
  const drop = last(byQuestion['Q3.3'].val) - last(byQuestion['Q3.6'].val);
  expect(drop).toBeGreaterThanOrEqual(CLAIMS.q36ValDrop.min);
  expect(drop).toBeLessThanOrEqual(CLAIMS.q36ValDrop.max);
});

test('Q3.8 (momentum 0.9) is above 0.94 in training and validation accuracy after epoch 1', () => {
  expect(byQuestion['Q3.8'].train[0]).toBeGreaterThan(0.94);
  expect(byQuestion['Q3.8'].val[0]).toBeGreaterThan(0.94);
});

test('Q3.10 ends slightly above Q3.8 in validation accuracy', () => {
  const gain = last(byQuestion['Q3.10'].val) - last(byQuestion['Q3.8'].val);
  expect(gain).toBeGreaterThan(CLAIMS.q310ValGain.min);
  expect(gain).toBeLessThanOrEqual(CLAIMS.q310ValGain.max);
});
