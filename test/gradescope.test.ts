/**
 * The two reports of a scorecard: Gradescope's results.json (checked against
 * fixtures/schemas/gradescope-results.schema.json with ajv) and the terminal text.
 * The scorecard is written by hand: three items, one claim, one intake problem.
 */
import Ajv from 'ajv';
import gradescopeSchema from '../fixtures/schemas/gradescope-results.schema.json';
import { toGradescope } from '../grader/report/gradescope';
import { renderScorecard } from '../grader/report/text';
import type { RubricItem } from '../grader/rubric';
import { Scorecard, totalOf } from '../grader/scorecard';

const items: RubricItem[] = [
  {
    id: 'Q3.2 linear_layer.forward',
    title: 'linear_layer.forward',
    points: 10,
    maxPoints: 10,
    status: 'passed',
    findings: [{ code: 'values', ok: true, message: 'Matches the reference on 3 inputs.' }],
  },
  {
    id: 'Q3.4',
    title: 'Output file MLP_lr0.01_m0.0_w0.0_d0.5.json',
    points: 3,
    maxPoints: 4,
    status: 'partial',
    findings: [
      { code: 'present', ok: true, message: 'The file is present.' },
      { code: 'schema', ok: true, message: 'The file is valid.' },
      { code: 'claim', ok: false, message: 'Q3.4 should end above Q3.3, but it does not.' },
    ],
  },
  {
    id: 'Q3.9',
    title: 'the two-convolution CNN in dnn_cnn_2.ts',
    points: 0,
    maxPoints: 22,
    status: 'error',
    findings: [{ code: 'crash', ok: false, message: 'dnn_cnn_2.ts threw: boom.' }],
  },
];

const card: Scorecard = {
  submission: { name: 'Assignment_3_Ada_Lovelace', source: 'in/Assignment_3_Ada_Lovelace.zip' },
  items,
  total: 13,
  maxTotal: 36,
  claims: [{ code: 'claim', ok: false, message: 'Q3.4 should end above Q3.3, but it does not.' }],
  problems: ["Expected 'dnn_misc.ts', found 'DNN_misc.ts'; it was used."],
  durationMs: 12345,
};

describe('totalOf', () => {
  test('sums points and maxima, to a quarter point', () => {
    expect(totalOf(items)).toEqual({ total: 13, maxTotal: 36 });

    const quarters = [
      { ...items[1], points: 2.25 },
      { ...items[1], points: 0.5 },
    ];
    expect(totalOf(quarters)).toEqual({ total: 2.75, maxTotal: 8 });
  });
});

describe('toGradescope', () => {
  const validate = new Ajv({ allErrors: true }).compile(gradescopeSchema);

  test('one visible test per rubric item; the whole object matches the schema', () => {
    const results = toGradescope(card);

    expect(validate(results)).toBe(true);
    expect(results.score).toBe(13);
    expect(results.execution_time).toBe(12.345);
    expect(results.tests).toEqual([
      {
        score: 10,
        max_score: 10,
        status: 'passed',
        name: 'Q3.2 linear_layer.forward linear_layer.forward',
        output: '✓ Matches the reference on 3 inputs.',
        visibility: 'visible',
      },
      {
        score: 3,
        max_score: 4,
        status: 'failed',
        name: 'Q3.4 Output file MLP_lr0.01_m0.0_w0.0_d0.5.json',
        output:
          '✗ Q3.4 should end above Q3.3, but it does not.\n' +
          '✓ The file is present.\n' +
          '✓ The file is valid.',
        visibility: 'visible',
      },
      {
        score: 0,
        max_score: 22,
        status: 'failed',
        name: 'Q3.9 the two-convolution CNN in dnn_cnn_2.ts',
        output: '✗ dnn_cnn_2.ts threw: boom.',
        visibility: 'visible',
      },
    ]);
    expect(results.output).toBe(
      'Assignment_3_Ada_Lovelace: 13 of 36 points.\n' +
        '\n' +
        '1 problem with the submission itself:\n' +
        "- Expected 'dnn_misc.ts', found 'DNN_misc.ts'; it was used.",
    );
  });

  test('the schema fails a missing score, a status "ok", an unknown visibility and a typo', () => {
    const good = toGradescope(card);
    const broken: Array<[string, unknown]> = [
      ['missing score', (({ score, ...rest }) => rest)(good)],
      ['status "ok"', { ...good, tests: [{ ...good.tests[0], status: 'ok' }] }],
      ['visibility "public"', { ...good, visibility: 'public' }],
      ['a test key "max_scor"', { ...good, tests: [{ ...good.tests[0], max_scor: 1 }] }],
      ['score as text', { ...good, score: '13' }],
      ['an output format "markdown"', { ...good, output_format: 'markdown' }],
    ];

    for (const [what, results] of broken) {
      expect([what, validate(results)]).toEqual([what, false]);
    }
    validate(broken[0][1]);
    expect(validate.errors).toEqual([
      expect.objectContaining({ keyword: 'required', params: { missingProperty: 'score' } }),
    ]);
  });
});

describe('renderScorecard', () => {
  test('without colour: marks, points, failed findings under items that lost points', () => {
    expect(renderScorecard(card, { color: false, verbose: false })).toBe(
      [
        'Assignment_3_Ada_Lovelace',
        '  from in/Assignment_3_Ada_Lovelace.zip',
        '',
        '  ✓ Q3.2 linear_layer.forward linear_layer.forward     10/10',
        '  ~ Q3.4 Output file MLP_lr0.01_m0.0_w0.0_d0.5.json      3/4',
        '      ✗ Q3.4 should end above Q3.3, but it does not.',
        '  ✗ Q3.9 the two-convolution CNN in dnn_cnn_2.ts        0/22',
        '      ✗ dnn_cnn_2.ts threw: boom.',
        '',
        'What the homework says students will see',
        '  ✗ Q3.4 should end above Q3.3, but it does not.',
        '',
        'Problems with the submission',
        "  - Expected 'dnn_misc.ts', found 'DNN_misc.ts'; it was used.",
        '',
        'Total 13/36',
        '',
      ].join('\n'),
    );
  });

  test('verbose shows every finding and the time; colour only when asked', () => {
    const verbose = renderScorecard(card, { color: false, verbose: true });
    expect(verbose).toContain(
      '  ✓ Q3.2 linear_layer.forward linear_layer.forward     10/10\n' +
        '      ✓ Matches the reference on 3 inputs.\n',
    );
    expect(verbose).toContain('Total 13/36 (graded in 12.3 s)');
    expect(verbose).not.toContain('\u001b[');

    const colored = renderScorecard(card, { color: true, verbose: false });
    expect(colored).toContain('\u001b[32m✓\u001b[0m Q3.2');
    expect(colored).toContain('\u001b[33m~\u001b[0m Q3.4');
    expect(colored).toContain('\u001b[1mTotal 13/36\u001b[0m');
  });

  test('long findings wrap at 100 columns under their text', () => {
    const long = 'word '.repeat(40).trim();
    const wordy: Scorecard = {
      ...card,
      items: [{ ...items[2], findings: [{ code: 'x', ok: false, message: long }] }],
      claims: [],
      problems: [],
    };
    const lines = renderScorecard(wordy, { color: false, verbose: false }).split('\n');

    expect(lines.slice(4, 7)).toEqual([
      '      ✗ ' + 'word '.repeat(18).trim(),
      '        ' + 'word '.repeat(18).trim(),
      '        ' + 'word '.repeat(4).trim(),
    ]);
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(100);
  });
});
