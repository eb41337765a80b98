/**
 * fixtures/modules.json: valid against its schema, and exactly what scripts/make-fixtures.ts
 * produces from the reference today (the reference itself is checked against numpy in
 * numpy-modules.test.ts). Also: the finite-difference gradients in it agree with the reference's
 * analytic ones, which is an independent check of both.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import {
  MODULE_FIXTURES_FILE,
  renderModuleFixtures,
  ModuleFixtures,
} from '../scripts/make-fixtures';
import { decodeArray } from '../grader/child/grader_wire';
import { compareArrays } from '../grader/compare';
import { GRADIENT_CHECK } from '../grader/tolerances';

const schema = JSON.parse(
  fs.readFileSync(
    path.join(__dirname, '..', 'fixtures', 'schemas', 'module-fixtures.schema.json'),
    'utf8',
  ),
);
const committed = fs.readFileSync(MODULE_FIXTURES_FILE, 'utf8');
const fixtures = JSON.parse(committed) as ModuleFixtures;

test('fixtures/modules.json is valid against its schema', () => {
  const validate = new Ajv({ allErrors: true }).compile(schema);
  expect(validate(fixtures) ? [] : validate.errors).toEqual([]);
});

test('the schema rejects a case with an unknown function', () => {
  const validate = new Ajv().compile(schema);
  const broken = { ...fixtures, cases: [{ ...fixtures.cases[0], fn: 'relu.sideways' }] };
  expect(validate(broken)).toBe(false);
});

test('fixtures/modules.json is what `npm run make-fixtures` writes (regenerate it if this fails)', () => {
  expect(committed === renderModuleFixtures()).toBe(true);
});

test('every function has core and edge cases, and backward cases carry numerical gradients', () => {
  const fns = new Set(fixtures.cases.map((c) => c.fn));
  expect([...fns].sort()).toEqual([
    'dropout.backward',
    'linear_layer.backward',
    'linear_layer.forward',
    'relu.backward',
    'relu.forward',
  ]);
  for (const fn of fns) {
    const tiers = new Set(fixtures.cases.filter((c) => c.fn === fn).map((c) => c.tier));
    expect([fn, [...tiers].sort()]).toEqual([fn, ['core', 'edge']]);
  }
  for (const c of fixtures.cases.filter((k) => k.fn.endsWith('backward'))) {
    for (const call of c.calls) expect(Object.keys(call.numerical ?? {}).length).toBeGreaterThan(0);
  }
});

test.each(fixtures.cases.filter((c) => c.fn.endsWith('backward')).map((c) => [c.id, c] as const))(
  '%s: analytic gradients agree with central finite differences',
  (_id, c) => {
    for (const call of c.calls) {
      for (const [name, numerical] of Object.entries(call.numerical ?? {})) {
        const comparison = compareArrays(
          decodeArray(call.expected[name]),
          decodeArray(numerical),
          GRADIENT_CHECK,
        );
        expect(`${name}: ${comparison.message}`).toBe(`${name}: `);
      }
    }
  },
);
