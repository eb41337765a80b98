/**
 * Grading the seven output files (grader/outputs.ts) on synthetic curves: a reference set that
 * shows every claim of HOMEWORK.md, and submissions made from it by changing a few numbers.
 * Each test writes its files into its own temp dir: `<tmp>/ref` and `<tmp>/sub`.
 * Expected points and messages are written out by hand.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv';
import runOutputSchema from '../fixtures/schemas/run-output.schema.json';
import {
  compareRerun,
  findDuplicatedCurves,
  gradeRunOutputs,
  loadReferenceRuns,
  ReferenceRun,
  RunCurves,
} from '../grader/outputs';
import type { Finding, RubricItem } from '../grader/rubric';

const FILES = {
  'Q3.3': 'MLP_lr0.01_m0.0_w0.0_d0.0.json',
  'Q3.4': 'MLP_lr0.01_m0.0_w0.0_d0.5.json',
  'Q3.5': 'MLP_lr0.01_m0.0_w0.0_d0.95.json',
  'Q3.6': 'LR_lr0.01_m0.0_w0.0_d0.0.json',
  'Q3.7': 'CNN_lr0.01_m0.0_w0.0_d0.5.json',
  'Q3.8': 'CNN_lr0.01_m0.9_w0.0_d0.5.json',
  'Q3.10': 'CNN2_lr0.001_m0.9_w0.0_d0.5.json',
} as const;
type Question = keyof typeof FILES;
const QUESTIONS = Object.keys(FILES) as Question[];

/** 30 accuracies start, start + step, ..., rounded to 4 decimals (so 0.9 + 10 * 0.003 is 0.93). */
function ramp(start: number, step: number): number[] {
  return Array.from({ length: 30 }, (_, epoch) => Number((start + epoch * step).toFixed(4)));
}

/**
 * The synthetic reference. Final accuracies (epoch 30), by hand:
 *   Q3.3  train 0.987   val 0.948
 *   Q3.4  train 0.967   val 0.9625  (above Q3.3's val)
 *   Q3.5  train 0.845   val 0.836   (both below Q3.3's)
 *   Q3.6  train 0.918   val 0.908   (0.04 below Q3.3's val)
 *   Q3.7  train 0.997   val 0.9725
 *   Q3.8  train 0.9935  val 0.974   (epoch 1: train 0.95, val 0.945)
 *   Q3.10 train 0.9925  val 0.9767  (0.0027 above Q3.8's val)
 */
function referenceCurves(): Record<Question, RunCurves> {
  return {
    'Q3.3': { train: ramp(0.9, 0.003), val: ramp(0.89, 0.002) },
    'Q3.4': { train: ramp(0.88, 0.003), val: ramp(0.89, 0.0025) },
    'Q3.5': { train: ramp(0.7, 0.005), val: ramp(0.72, 0.004) },
    'Q3.6': { train: ramp(0.86, 0.002), val: ramp(0.85, 0.002) },
    'Q3.7': { train: ramp(0.91, 0.003), val: ramp(0.9, 0.0025) },
    'Q3.8': { train: ramp(0.95, 0.0015), val: ramp(0.945, 0.001) },
    'Q3.10': { train: ramp(0.92, 0.0025), val: ramp(0.91, 0.0023) },
  };
}

let tmp: string;
let refDir: string;
let subDir: string;

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'outputs-'));
  refDir = path.join(tmp, 'ref');
  subDir = path.join(tmp, 'sub');
  fs.mkdirSync(refDir);
  fs.mkdirSync(subDir);
});

afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function writeRuns(dir: string, runs: Record<Question, RunCurves>): void {
  for (const question of QUESTIONS) {
    fs.writeFileSync(path.join(dir, FILES[question]), JSON.stringify(runs[question]));
  }
}

function writeText(question: Question, text: string): void {
  fs.writeFileSync(path.join(subDir, FILES[question]), text);
}

function reference(runs = referenceCurves()): ReferenceRun[] {
  writeRuns(refDir, runs);
  return loadReferenceRuns(refDir);
}

/** Grades `<tmp>/sub`, which starts as a copy of the reference curves after `change`. */
function grade(
  change: (runs: Record<Question, RunCurves>) => void = () => undefined,
  problems: { kind: string; message: string }[] = [],
  ref = reference(),
) {
  const runs = referenceCurves();
  change(runs);
  writeRuns(subDir, runs);
  return gradeRunOutputs({ root: subDir, problems }, ref);
}

function item(items: RubricItem[], question: Question): RubricItem {
  return items.find((candidate) => candidate.id === question)!;
}

function finding(rubricItem: RubricItem, code: string): Finding {
  return rubricItem.findings.find((candidate) => candidate.code === code)!;
}

function pointsOf(items: RubricItem[]): Record<string, number> {
  return Object.fromEntries(items.map((graded) => [graded.id, graded.points]));
}

const FULL = { 'Q3.3': 4, 'Q3.4': 4, 'Q3.5': 4, 'Q3.6': 4, 'Q3.7': 4, 'Q3.8': 4, 'Q3.10': 4 };

describe('run-output.schema.json', () => {
  const validate = new Ajv({ allErrors: true }).compile(runOutputSchema);

  test('accepts 30 + 30 accuracies and rejects 30 + 29', () => {
    expect(validate({ train: ramp(0.5, 0.01), val: ramp(0.5, 0.01) })).toBe(true);
    expect(validate({ train: ramp(0.5, 0.01), val: ramp(0.5, 0.01).slice(1) })).toBe(false);
  });
});

describe('gradeRunOutputs: a valid submission', () => {
  test('the reference curves themselves score 4 on each of the 7 files', () => {
    const { items, claims, duplicates } = grade();

    expect(pointsOf(items)).toEqual(FULL);
    expect(items.map((graded) => graded.status)).toEqual(Array(7).fill('passed'));
    expect(items.map((graded) => graded.title)).toEqual(
      QUESTIONS.map((question) => `Output file ${FILES[question]}`),
    );
    expect(claims.map((claim) => claim.ok)).toEqual([true, true, true, true, true]);
    expect(duplicates).toEqual([]);
  });

  test('each claim states what the files show', () => {
    const { claims } = grade();

    expect(claims.map((claim) => claim.message)).toEqual([
      'Q3.4 (dropout 0.5) should end with a higher validation accuracy than Q3.3: your files ' +
        "show final val 0.9625 against Q3.3's 0.948.",
      'Q3.5 (dropout 0.95) should end below Q3.3 in both training and validation accuracy: your ' +
        "files show final train 0.845 against Q3.3's 0.987, final val 0.836 against 0.948.",
      'Q3.6 (no relu) should end with a validation accuracy about 0.03 below Q3.3 (accepted: ' +
        "0.005 to 0.06 below): your files show final val 0.908 against Q3.3's 0.948, 0.04 below.",
      'Q3.8 (momentum 0.9) should have training and validation accuracy above 0.94 after epoch ' +
        '1: your files show train 0.95 and val 0.945 at epoch 1.',
      'Q3.10 should end slightly above Q3.8 in validation accuracy (accepted: more than 0 and ' +
        "at most 0.03 above): your files show final val 0.9767 against Q3.8's 0.974, 0.0027 above.",
    ]);
  });

  test('curves shifted by 0.02 at every epoch are still plausible (CURVE_BAND 0.03)', () => {
    const { items } = grade((runs) => {
      runs['Q3.7'].val = runs['Q3.7'].val.map((value) => value + 0.02);
    });

    expect(item(items, 'Q3.7').points).toBe(4);
  });
});

describe('gradeRunOutputs: the present point', () => {
  test('a file intake found under another case loses 1 point and is graded on the rest', () => {
    const wrongCase = {
      kind: 'wrong-case',
      message:
        "Expected 'MLP_lr0.01_m0.0_w0.0_d0.5.json', found 'mlp_lr0.01_m0.0_w0.0_d0.5.json'; it " +
        'was used under the expected name. Names are case-sensitive where the grader runs; tell ' +
        'the student.',
    };
    const { items } = grade(undefined, [wrongCase]);

    expect(pointsOf(items)).toEqual({ ...FULL, 'Q3.4': 3 });
    expect(item(items, 'Q3.4').status).toBe('partial');
    expect(finding(item(items, 'Q3.4'), 'present').message).toContain(
      "found 'mlp_lr0.01_m0.0_w0.0_d0.5.json'",
    );
  });

  test('files inside a wrapping folder keep their present point (the usual way to zip)', () => {
    const inFolder = {
      kind: 'in-subfolder',
      message:
        "Expected the files at the top level, found 7 in folder 'hw3/'; they were used from " +
        'there. Tell the student to zip the files, not their folder.',
    };
    const { items } = grade(undefined, [inFolder]);

    expect(pointsOf(items)).toEqual(FULL);
  });

  test('a missing file scores 0, and the claims that need it say so', () => {
    const ref = reference();
    writeRuns(subDir, referenceCurves());
    fs.rmSync(path.join(subDir, FILES['Q3.3']));
    const { items, claims } = gradeRunOutputs({ root: subDir, problems: [] }, ref);

    expect(pointsOf(items)).toEqual({ ...FULL, 'Q3.3': 0, 'Q3.4': 3, 'Q3.5': 3, 'Q3.6': 3 });
    expect(item(items, 'Q3.3').status).toBe('missing');
    expect(finding(item(items, 'Q3.3'), 'present').message).toBe(
      "Expected 'MLP_lr0.01_m0.0_w0.0_d0.0.json' in the submission, found no such file. Run " +
        'q33.sh and submit the file it writes.',
    );
    expect(claims[0].message).toContain(
      "not checked, because Q3.3's file 'MLP_lr0.01_m0.0_w0.0_d0.0.json' is missing",
    );
  });
});

describe('gradeRunOutputs: the valid point', () => {
  /** Writes `text` as Q3.3's file; returns Q3.3's points and the message of its failed check. */
  function gradeQ33Text(text: string): { points: number; message: string } {
    const ref = reference();
    writeRuns(subDir, referenceCurves());
    writeText('Q3.3', text);
    const { items } = gradeRunOutputs({ root: subDir, problems: [] }, ref);
    const q33 = item(items, 'Q3.3');
    return { points: q33.points, message: q33.findings.find((f) => !f.ok)!.message };
  }

  const curves = referenceCurves()['Q3.3'];

  test('29 validation accuracies: "val has 29 numbers, expected 30"', () => {
    const { points, message } = gradeQ33Text(
      JSON.stringify({ train: curves.train, val: curves.val.slice(0, 29) }),
    );

    expect(points).toBe(1); // present only
    expect(message).toBe(
      "'MLP_lr0.01_m0.0_w0.0_d0.0.json' does not have the output format: val has 29 numbers, " +
        "expected 30. Expected exactly the keys 'train' and 'val', each a list of 30 accuracies " +
        'in [0, 1]. Regenerate it with the unchanged training script; do not edit it by hand.',
    );
  });

  test('an accuracy above 1: "train[3] is 1.2, expected a number in [0, 1]"', () => {
    const train = [...curves.train];
    train[3] = 1.2;
    const { message } = gradeQ33Text(JSON.stringify({ train, val: curves.val }));

    expect(message).toContain('train[3] is 1.2, expected a number in [0, 1]');
  });

  test('a key the format does not have: "unknown key \'valid\'"', () => {
    const { message } = gradeQ33Text(JSON.stringify({ ...curves, valid: curves.val }));

    expect(message).toContain(": unknown key 'valid'. Expected");
  });

  test('the key "valid" instead of "val": both sentences', () => {
    const { message } = gradeQ33Text(JSON.stringify({ train: curves.train, valid: curves.val }));

    expect(message).toContain("no key 'val'; unknown key 'valid'.");
  });

  test('an accuracy written as text, and a whole file of percentages', () => {
    const train = [...curves.train];
    train[0] = '0.9' as unknown as number;
    expect(gradeQ33Text(JSON.stringify({ train, val: curves.val })).message).toContain(
      'train[0] is the text "0.9", expected a number in [0, 1]',
    );

    const percent = { train: ramp(90, 0.3), val: ramp(89, 0.2) };
    expect(gradeQ33Text(JSON.stringify(percent)).message).toContain(
      'the accuracies look like percentages, expected fractions (0.97, not 97); train[0] is 90, ' +
        'expected a number in [0, 1]; train[1] is 90.3, expected a number in [0, 1]; and 58 more ' +
        'problems.',
    );
  });

  test('a list instead of an object', () => {
    const { message } = gradeQ33Text(JSON.stringify([curves.train, curves.val]));

    expect(message).toContain('the file holds a list of 2 values, expected an object.');
  });
});

describe('gradeRunOutputs: files that are not JSON', () => {
  function messageFor(text: string): string {
    const ref = reference();
    writeRuns(subDir, referenceCurves());
    writeText('Q3.4', text);
    const { items } = gradeRunOutputs({ root: subDir, problems: [] }, ref);
    const q34 = item(items, 'Q3.4');
    expect(q34.points).toBe(1);
    return finding(q34, 'json-parse').message;
  }

  test('a trailing comma: line, column and what was expected', () => {
    expect(messageFor('{"train": [0.9, 0.91,], "val": []}')).toBe(
      "'MLP_lr0.01_m0.0_w0.0_d0.5.json' is not valid JSON: at line 1, column 22: expected a " +
        "value, found ']'. Regenerate it with the unchanged training script; do not edit it " +
        'by hand.',
    );
  });

  test('a missing comma on line 2', () => {
    expect(messageFor('{\n  "train": [0.9 0.8]}')).toContain(
      "at line 2, column 17: expected ',' or ']', found '0.8'",
    );
  });

  test('a file cut off', () => {
    expect(messageFor('{"train": [0.9')).toContain(
      "at line 1, column 15: expected ',' or ']', found the end of the file (is it cut off?)",
    );
  });

  test('nan, as the trainer writes a diverged accuracy', () => {
    expect(messageFor('{"train": [0.9, nan], "val": []}')).toContain(
      "at line 1, column 17 it holds 'nan', which JSON does not allow",
    );
  });

  test('an empty file', () => {
    expect(messageFor('')).toContain('is empty, expected the accuracies as JSON.');
  });

  test('a file over 1 MiB is not read', () => {
    const ref = reference();
    writeRuns(subDir, referenceCurves());
    writeText('Q3.4', ' '.repeat(1024 * 1024 + 1));
    const q34 = item(gradeRunOutputs({ root: subDir, problems: [] }, ref).items, 'Q3.4');

    expect(q34.points).toBe(1);
    expect(finding(q34, 'unreadable').message).toContain(
      "'MLP_lr0.01_m0.0_w0.0_d0.5.json' is 1048577 bytes, more than the 1048576 bytes (1 MiB)",
    );
  });
});

describe('gradeRunOutputs: the plausible point', () => {
  test('one epoch 0.065 off the reference loses it; Q3.7 counts it double', () => {
    const { items } = grade((runs) => {
      runs['Q3.7'].val[10] = 0.99; // the reference has 0.925 at epoch 11
    });

    expect(item(items, 'Q3.7').points).toBe(2);
    expect(finding(item(items, 'Q3.7'), 'plausible')).toEqual({
      code: 'plausible',
      ok: false,
      message:
        'Expected every epoch within 0.03 of the reference run; 1 of 60 are not, the worst: val ' +
        'at epoch 11 is 0.99, the reference run has 0.925 (0.065 off). The file does not look ' +
        'like this run: re-run q37.sh with the handout files unchanged and submit its output.',
    });
  });

  test('the worst epoch is named when many are off', () => {
    const { items } = grade((runs) => {
      runs['Q3.4'].train = runs['Q3.4'].train.map((value) => value - 0.05);
      runs['Q3.4'].train[29] = 0.867; // the reference has 0.967: 0.1 off
    });

    expect(item(items, 'Q3.4').points).toBe(3); // present, valid, claim (val is unchanged)
    expect(finding(item(items, 'Q3.4'), 'plausible').message).toContain(
      '30 of 60 are not, the worst: train at epoch 30 is 0.867, the reference run has 0.967',
    );
  });
});

describe('gradeRunOutputs: the claims', () => {
  function claimOf(items: RubricItem[], question: Question): Finding {
    return finding(item(items, question), 'claim');
  }

  test("Q3.4 fails when its final val only equals Q3.3's", () => {
    const { items } = grade((runs) => {
      runs['Q3.4'].val[29] = 0.948;
    });

    expect(item(items, 'Q3.4').points).toBe(3);
    expect(claimOf(items, 'Q3.4').message).toBe(
      'Q3.4 (dropout 0.5) should end with a higher validation accuracy than Q3.3, but your ' +
        "files show final val 0.948 against Q3.3's 0.948. Check that each file comes from its " +
        "own script (q34.sh and q33.sh) run with the handout's command line.",
    );
  });

  test("Q3.5 fails when its final train is above Q3.3's", () => {
    const { items } = grade((runs) => {
      runs['Q3.5'].train[29] = 0.99;
    });

    expect(claimOf(items, 'Q3.5').ok).toBe(false);
    expect(claimOf(items, 'Q3.5').message).toContain(
      "final train 0.99 against Q3.3's 0.987, final val 0.836 against 0.948",
    );
  });

  test('Q3.6 holds at 0.04 below, fails at 0.062 and at 0.003 below', () => {
    const tooFar = grade((runs) => {
      runs['Q3.3'].val[29] = 0.97;
    });
    expect(claimOf(tooFar.items, 'Q3.6').ok).toBe(false);
    expect(claimOf(tooFar.items, 'Q3.6').message).toContain(
      "final val 0.908 against Q3.3's 0.97, 0.062 below",
    );

    const tooClose = grade((runs) => {
      runs['Q3.3'].val[29] = 0.938;
      runs['Q3.6'].val[29] = 0.935;
    });
    expect(claimOf(tooClose.items, 'Q3.6').ok).toBe(false);
    expect(claimOf(tooClose.items, 'Q3.6').message).toContain('0.003 below');

    const edge = grade((runs) => {
      runs['Q3.6'].val[29] = 0.888; // 0.948 - 0.06
    });
    expect(claimOf(edge.items, 'Q3.6').ok).toBe(true);
  });

  test('Q3.8 fails when epoch 1 is exactly 0.94, not above', () => {
    const { items } = grade((runs) => {
      runs['Q3.8'].train[0] = 0.94;
    });

    expect(item(items, 'Q3.8').points).toBe(3);
    expect(claimOf(items, 'Q3.8').message).toContain('train 0.94 and val 0.945 at epoch 1.');
  });

  test('Q3.10 fails when equal to Q3.8, and when 0.0317 above (not "slightly")', () => {
    const equal = grade((runs) => {
      runs['Q3.10'].val[29] = 0.974;
    });
    expect(claimOf(equal.items, 'Q3.10').ok).toBe(false);
    expect(claimOf(equal.items, 'Q3.10').message).toContain(
      "final val 0.974 against Q3.8's 0.974, equal",
    );

    const far = grade((runs) => {
      runs['Q3.8'].val[29] = 0.945;
    });
    expect(claimOf(far.items, 'Q3.10').ok).toBe(false);
    expect(claimOf(far.items, 'Q3.10').message).toContain('0.0317 above');
  });

  test('a claim on two files is not awarded when the other file is invalid', () => {
    const ref = reference();
    writeRuns(subDir, referenceCurves());
    writeText('Q3.8', '{"train": [], "val": []}');
    const { items, claims } = gradeRunOutputs({ root: subDir, problems: [] }, ref);

    expect(pointsOf(items)).toEqual({ ...FULL, 'Q3.8': 1, 'Q3.10': 3 });
    expect(claims[4]).toEqual({
      code: 'claim',
      ok: false,
      message:
        'Q3.10 should end slightly above Q3.8 in validation accuracy (accepted: more than 0 and ' +
        "at most 0.03 above); not checked, because Q3.8's file 'CNN_lr0.01_m0.9_w0.0_d0.5.json' " +
        'is not valid. This point needs every file it compares.',
    });
  });

  test('a claim the reference runs do not show follows the plausible point', () => {
    const runs = referenceCurves();
    runs['Q3.8'].train[0] = 0.93; // the reference itself is below 0.94 at epoch 1
    const ref = reference(runs);

    const reproduced = grade(
      (sub) => {
        sub['Q3.8'].train[0] = 0.93;
      },
      [],
      ref,
    );
    expect(item(reproduced.items, 'Q3.8').points).toBe(4);
    expect(claimOf(reproduced.items, 'Q3.8').message).toBe(
      'Q3.8 (momentum 0.9) should have training and validation accuracy above 0.94 after epoch ' +
        '1; the reference runs do not show it either (train 0.93 and val 0.945 at epoch 1), so ' +
        'this point follows the plausibility check, which passed. Your files show train 0.93 ' +
        'and val 0.945 at epoch 1.',
    );

    const offBand = grade(
      (sub) => {
        sub['Q3.8'].val = sub['Q3.8'].val.map((value) => value - 0.1);
      },
      [],
      ref,
    );
    expect(item(offBand.items, 'Q3.8').points).toBe(2); // present and valid
  });
});

describe('loadReferenceRuns', () => {
  test('reads the 7 runs in rubric order', () => {
    const runs = reference();

    expect(runs.map((run) => run.question)).toEqual(QUESTIONS);
    expect(runs[6].file).toBe('CNN2_lr0.001_m0.9_w0.0_d0.5.json');
    expect(runs[0].val[29]).toBe(0.948);
  });

  test('a folder that does not exist, and a missing run, are named', () => {
    expect(() => loadReferenceRuns(path.join(tmp, 'nowhere'))).toThrow(
      /Cannot grade the output files: folder '.*nowhere' does not exist/,
    );

    writeRuns(refDir, referenceCurves());
    fs.rmSync(path.join(refDir, FILES['Q3.10']));
    expect(() => loadReferenceRuns(refDir)).toThrow(
      "no reference run 'CNN2_lr0.001_m0.9_w0.0_d0.5.json'",
    );
  });
});

describe('compareRerun', () => {
  // 5 epochs by hand; the rest of the 30 do not matter for epochs <= 5.
  const submitted: RunCurves = {
    train: [0.9085, 0.9341, 0.9515, 0.96, 0.965],
    val: [0.8995, 0.921, 0.9615, 0.95, 0.955],
  };

  test('a file that does not come from the code is flagged at its first differing epoch', () => {
    const produced: RunCurves = {
      train: [0.9085, 0.9341, 0.9515, 0.96, 0.965],
      val: [0.8995, 0.921, 0.941, 0.93, 0.955],
    };

    expect(compareRerun(submitted, produced, 3)).toEqual([
      {
        code: 'rerun-match',
        ok: true,
        message: 'train matches your code at epochs 1-3 within 0.005.',
      },
      {
        code: 'rerun-mismatch',
        ok: false,
        message:
          'val[2] (epoch 3) in the submitted file is 0.9615, your code produces 0.941: the file ' +
          'does not come from this code (allowed difference 0.005).',
      },
    ]);
  });

  test('differences within 0.005, or after epoch k, pass', () => {
    const produced: RunCurves = {
      train: [0.9105, 0.9341, 0.9515, 0.5, 0.5],
      val: [0.8995, 0.918, 0.9615, 0.5, 0.5],
    };

    expect(compareRerun(submitted, produced, 3).map((f) => f.ok)).toEqual([true, true]);
    expect(compareRerun(submitted, produced, 4).map((f) => f.ok)).toEqual([false, false]);
  });

  test('a rerun that produced fewer epochs, or NaN, is not a match', () => {
    const short = compareRerun(submitted, { train: [0.9085], val: submitted.val }, 2);
    expect(short[0].message).toBe(
      'Expected 2 epochs of train from the rerun of your code, it produced 1; the file could not ' +
        'be compared.',
    );

    const nan = compareRerun(submitted, { train: [NaN, 0.9341], val: submitted.val }, 2);
    expect(nan[0].message).toContain(
      'train[0] (epoch 1) in the submitted file is 0.9085, your code produces NaN',
    );
  });

  test('epochs outside 1..30 is a programming error', () => {
    expect(() => compareRerun(submitted, submitted, 0)).toThrow(
      'compareRerun: epochs is 0, expected an integer in [1, 30].',
    );
  });
});

describe('findDuplicatedCurves', () => {
  test('the same curve in two files is flagged; different and constant curves are not', () => {
    const shared = ramp(0.9, 0.002);
    const files = new Map<string, RunCurves>([
      ['A.json', { train: ramp(0.91, 0.003), val: shared }],
      ['B.json', { train: ramp(0.92, 0.003), val: [...shared] }],
      ['C.json', { train: Array(30).fill(0.0995), val: ramp(0.8, 0.001) }],
      ['D.json', { train: Array(30).fill(0.0995), val: ramp(0.81, 0.001) }],
    ]);

    expect(findDuplicatedCurves(files)).toEqual([
      {
        code: 'duplicated-curve',
        ok: false,
        message:
          "The val curve of 'A.json' and val curve of 'B.json' are identical (30 equal " +
          'accuracies); different runs do not produce the same curve. Ask the student how these ' +
          'files were made.',
      },
    ]);
  });

  test('gradeRunOutputs reports a file copied over another', () => {
    const { duplicates, items } = grade((runs) => {
      runs['Q3.4'] = runs['Q3.3'];
    });

    expect(duplicates.map((d) => d.message.split(' are identical')[0])).toEqual([
      "The train curve of 'MLP_lr0.01_m0.0_w0.0_d0.0.json' and train curve of " +
        "'MLP_lr0.01_m0.0_w0.0_d0.5.json'",
      "The val curve of 'MLP_lr0.01_m0.0_w0.0_d0.0.json' and val curve of " +
        "'MLP_lr0.01_m0.0_w0.0_d0.5.json'",
    ]);
    // Q3.3's curves are within 0.03 of Q3.4's reference, so only the claim is lost.
    expect(item(items, 'Q3.4').points).toBe(3);
  });
});
