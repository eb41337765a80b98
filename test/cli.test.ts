/**
 * The CLI end to end, as users call it: real child processes, real zips, real reports.
 * The reference solution must score 100 and the untouched handout 0 on the code items, with
 * "not implemented" messages and no crash; bad input gets exit code 2 and a sentence.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv';
import execa from 'execa';
import { makeDemoZips } from '../grader/commands/demo';
import type { Scorecard } from '../grader/scorecard';

const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'dnn-grader.js');
const cli = (args: string[], cwd = ROOT) =>
  execa(process.execPath, [BIN, ...args], { cwd, reject: false, env: { NO_COLOR: '1' } });

let tmp: string;
let zips: { reference: string; template: string };

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dnn-cli-'));
  zips = await makeDemoZips(tmp);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('dnn-grader check', () => {
  test('the reference passes everything (exit 0)', async () => {
    const run = await cli(['check', 'reference']);
    expect(run.stdout).toContain('Total 72/72');
    expect(run.exitCode).toBe(0);
  });

  test('the handout lists the five functions and Q3.9 as not implemented (exit 1)', async () => {
    const run = await cli(['check', 'student-template', '--json']);
    expect(run.exitCode).toBe(1);
    const card = JSON.parse(run.stdout) as Scorecard;
    expect(card.items.map((i) => [i.id, i.points, i.status])).toEqual([
      ['Q3.2 linear_layer.forward', 0, 'not-implemented'],
      ['Q3.2 linear_layer.backward', 0, 'not-implemented'],
      ['Q3.2 relu.forward', 0, 'not-implemented'],
      ['Q3.2 relu.backward', 0, 'not-implemented'],
      ['Q3.2 dropout.backward', 0, 'not-implemented'],
      ['Q3.9', 0, 'not-implemented'],
    ]);
    expect(card.items[0].findings[0].message).toContain(
      'linear_layer.forward is not implemented yet',
    );
  });

  test('one function only, with -f', async () => {
    const run = await cli(['check', 'reference', '-f', 'relu.backward', '--no-cnn2', '--json']);
    const card = JSON.parse(run.stdout) as Scorecard;
    expect(card.items.map((i) => i.id)).toEqual(['Q3.2 relu.backward']);
  });

  test('a folder without dnn_misc.ts: exit 2 and what to do', async () => {
    const run = await cli(['check', tmp]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('there is no dnn_misc.ts in');
    expect(run.stderr).toContain('dnn-grader check path/to/folder');
  });

  test('an unknown function name: exit 2', async () => {
    const run = await cli(['check', 'reference', '-f', 'relu.sideways']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("unknown function 'relu.sideways'");
  });

  test('an unknown option is rejected by name: exit 2', async () => {
    const run = await cli(['check', '--fast']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("unknown option '--fast'");
  });
});

describe('dnn-grader grade', () => {
  test('the reference zip scores 100/100; reports and results.json are written', async () => {
    const out = path.join(tmp, 'reports-ref');
    const run = await cli(['grade', zips.reference, '-o', out]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('Total 100/100');
    const card = JSON.parse(
      fs.readFileSync(path.join(out, 'Assignment_3_Reference_Solution', 'report.json'), 'utf8'),
    ) as Scorecard;
    expect(card.total).toBe(100);
    const results = JSON.parse(
      fs.readFileSync(path.join(out, 'Assignment_3_Reference_Solution', 'results.json'), 'utf8'),
    );
    const schema = JSON.parse(
      fs.readFileSync(
        path.join(ROOT, 'fixtures', 'schemas', 'gradescope-results.schema.json'),
        'utf8',
      ),
    );
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate(results) ? [] : validate.errors).toEqual([]);
    expect(results.score).toBe(100);
  });

  test('the untouched handout: 0 on Q3.2 and Q3.9 with "not implemented", output files missing', async () => {
    const run = await cli([
      'grade',
      zips.template,
      '-o',
      path.join(tmp, 'reports-template'),
      '--json',
    ]);
    expect(run.exitCode).toBe(0);
    const card = JSON.parse(run.stdout) as Scorecard;
    const byId = Object.fromEntries(card.items.map((i) => [i.id, i]));
    for (const fn of [
      'linear_layer.forward',
      'linear_layer.backward',
      'relu.forward',
      'relu.backward',
      'dropout.backward',
    ]) {
      expect([fn, byId[`Q3.2 ${fn}`].status]).toEqual([fn, 'not-implemented']);
    }
    expect(byId['Q3.9'].status).toBe('not-implemented');
    expect(byId['Q3.3'].status).toBe('missing');
    expect(card.total).toBe(0);
  });

  test('a folder of zips: every one graded, a broken one reported, summary.csv written', async () => {
    const batch = path.join(tmp, 'batch');
    fs.mkdirSync(batch);
    fs.copyFileSync(zips.template, path.join(batch, 'Assignment_3_Untouched_Handout.zip'));
    fs.writeFileSync(path.join(batch, 'Assignment_3_Broken_Zip.zip'), 'this is not a zip');
    const out = path.join(tmp, 'reports-batch');
    const run = await cli(['grade', batch, '-o', out, '--quiet']);
    expect(run.exitCode).toBe(3);
    const summary = fs.readFileSync(path.join(out, 'summary.csv'), 'utf8');
    expect(summary).toMatch(/^submission,total,status,items$/m);
    expect(summary).toMatch(/^Assignment_3_Broken_Zip,,could not be opened,/m);
    expect(summary).toMatch(/^Assignment_3_Untouched_Handout,0,graded,/m);
  });

  test('a path that does not exist: exit 2, nothing graded', async () => {
    const run = await cli(['grade', path.join(tmp, 'nope.zip')]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('does not exist');
  });

  test('--epochs without --rerun is refused', async () => {
    const run = await cli(['grade', zips.template, '--epochs', '2']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('--epochs goes with --rerun');
  });
});

test('dnn-grader demo shows both scorecards: 100/100 and the handout', async () => {
  const run = await cli(['demo']);
  expect(run.exitCode).toBe(0);
  expect(run.stdout).toContain(
    'demo: the reference solution scores 100/100, the untouched handout 0/100.',
  );
});

test('--rerun catches an output file edited by hand (Q3.3, first epoch re-run)', async () => {
  const yauzlFree = path.join(tmp, 'edited');
  fs.mkdirSync(yauzlFree);
  for (const name of ['dnn_misc.ts', 'dnn_cnn_2.ts']) {
    fs.copyFileSync(path.join(ROOT, 'reference', name), path.join(yauzlFree, name));
  }
  const runs = path.join(ROOT, 'fixtures', 'reference-runs');
  for (const name of fs.readdirSync(runs).filter((f) => f.endsWith('.json'))) {
    fs.copyFileSync(path.join(runs, name), path.join(yauzlFree, name));
  }
  const file = path.join(yauzlFree, 'MLP_lr0.01_m0.0_w0.0_d0.0.json');
  const curves = JSON.parse(fs.readFileSync(file, 'utf8')) as { train: number[]; val: number[] };
  curves.val[0] = Math.round((curves.val[0] + 0.02) * 2000) / 2000; // still within the band
  fs.writeFileSync(file, JSON.stringify(curves));
  fs.writeFileSync(path.join(yauzlFree, 'collaboration.txt'), 'no discussion\n');

  const run = await cli([
    'grade',
    yauzlFree,
    '--rerun',
    'Q3.3',
    '--epochs',
    '1',
    '--json',
    '-o',
    path.join(tmp, 'reports-rerun'),
  ]);
  expect(run.exitCode).toBe(0);
  const card = JSON.parse(run.stdout) as Scorecard;
  const q33 = card.items.find((i) => i.id === 'Q3.3')!;
  const rerun = q33.findings.filter((f) => f.code.startsWith('rerun:'));
  expect(rerun.some((f) => !f.ok && /val\[0\] \(epoch 1\)/.test(f.message))).toBe(true);
  expect(rerun.some((f) => f.ok && /train/.test(f.message))).toBe(true);
  expect(card.problems.join('\n')).toContain('does not come from this code');
}, 600_000);
