/**
 * The submission corpus: every folder of fixtures/submissions/ is a student submission
 * (dnn_misc.ts and/or dnn_cnn_2.ts) with an expected.json, graded here with the grader's own
 * checks (checkModules for Q3.2, checkCnn2 for Q3.9) and held to its expected verdict.
 *
 * expected.json:
 *   description      one sentence: the bug (or what a correct submission does differently)
 *   items            every rubric item whose points differ from full: { points, codes }, where
 *                    codes must appear among that item's failing findings; an item not listed
 *                    must get full points with no failing finding
 *   total            the Q3.2 items plus Q3.9, out of 72
 *
 * One test per submission, run one after another; each submission's two checks run side by side
 * (checkModules itself runs two children at a time).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkCnn2 } from '../grader/checks/cnn2';
import { checkModules } from '../grader/checks/modules';
import { POINTS, Q32_FUNCTIONS, RubricItem, roundPoints } from '../grader/rubric';
import { STUDENT_CODE_FILES } from '../grader/submission-files';
import { ensureDataFile, PROJECT_ROOT, StudentCode } from '../grader/workspace';

const CORPUS_DIR = path.join(PROJECT_ROOT, 'fixtures', 'submissions');

/**
 * Shorter than the grader's defaults (20 s per function, 60 s for Q3.9) only so that the one
 * endless-loop submission does not cost 80 s; a sound function takes about 1 s, the Q3.9 probes
 * about 5 s, on a loaded machine.
 */
const MODULE_TIMEOUT_MS = 10_000;
const CNN2_TIMEOUT_MS = 20_000;

const ITEM_IDS = [...Q32_FUNCTIONS.map((fn) => `Q3.2 ${fn}`), 'Q3.9'];
const MAX_POINTS: Record<string, number> = Object.fromEntries(
  ITEM_IDS.map((id) => [id, id === 'Q3.9' ? POINTS.q39 : POINTS.q32PerFunction]),
);
const MAX_TOTAL = ITEM_IDS.reduce((sum, id) => sum + MAX_POINTS[id], 0);

interface ItemSpec {
  points: number;
  codes: string[];
}

interface Verdict {
  items: Record<string, ItemSpec>;
  total: number;
}

interface Expected extends Verdict {
  description: string;
}

const submissions = fs
  .readdirSync(CORPUS_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

function studentCode(dir: string): StudentCode {
  const code: StudentCode = {};
  for (const name of STUDENT_CODE_FILES) {
    const file = path.join(dir, name);
    if (fs.existsSync(file)) code[name] = file;
  }
  return code;
}

/** Problems of an expected verdict on its own: unknown items, impossible points, a wrong sum. */
function verdictProblems(label: string, verdict: Verdict): string[] {
  const problems: string[] = [];
  let total = 0;
  for (const id of ITEM_IDS) total += verdict.items[id]?.points ?? MAX_POINTS[id];
  for (const [id, spec] of Object.entries(verdict.items)) {
    if (!(id in MAX_POINTS)) problems.push(`${label}: unknown rubric item '${id}'`);
    else if (!(spec.points >= 0 && spec.points <= MAX_POINTS[id])) {
      problems.push(`${label}: ${id} has ${spec.points} points, outside 0..${MAX_POINTS[id]}`);
    }
    if (!Array.isArray(spec.codes)) problems.push(`${label}: ${id} has no codes list`);
  }
  if (roundPoints(total) !== verdict.total) {
    problems.push(
      `${label}: the items add up to ${roundPoints(total)}, but total is ${verdict.total}`,
    );
  }
  return problems;
}

/** Where the graded items differ from a verdict, one line each; empty when they agree. */
function differences(items: RubricItem[], verdict: Verdict): string[] {
  const lines: string[] = [];
  const failing = (item: RubricItem): string =>
    item.findings
      .filter((f) => !f.ok)
      .map((f) => `[${f.code}] ${f.message.slice(0, 160)}`)
      .join(' | ') || 'no failing finding';
  const graded = new Map(items.map((item) => [item.id, item]));
  for (const id of ITEM_IDS) {
    const item = graded.get(id);
    if (!item) {
      lines.push(`${id}: not graded`);
      continue;
    }
    const spec = verdict.items[id];
    const points = spec?.points ?? item.maxPoints;
    if (item.points !== points) {
      lines.push(
        `${id}: got ${item.points}/${item.maxPoints}, expected ${points}; ${failing(item)}`,
      );
    }
    const codes = new Set(item.findings.filter((f) => !f.ok).map((f) => f.code));
    for (const code of spec?.codes ?? []) {
      if (!codes.has(code)) {
        lines.push(
          `${id}: no failing finding with code '${code}' (codes: ${[...codes].join(', ') || 'none'})`,
        );
      }
    }
    if (!spec && codes.size > 0)
      lines.push(`${id}: full points expected without failing findings; ${failing(item)}`);
  }
  const total = roundPoints(items.reduce((sum, item) => sum + item.points, 0));
  if (total !== verdict.total)
    lines.push(`total: got ${total}/${MAX_TOTAL}, expected ${verdict.total}`);
  return lines;
}

let scratchDir: string;
let dataFile: string;

beforeAll(() => {
  dataFile = ensureDataFile();
  scratchDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dnn-corpus-'));
});

afterAll(() => {
  if (scratchDir) fs.rmSync(scratchDir, { recursive: true, force: true });
});

test('the corpus holds submissions', () => {
  expect(submissions.length).toBeGreaterThanOrEqual(20);
});

for (const name of submissions) {
  test(name, async () => {
    const dir = path.join(CORPUS_DIR, name);
    const expected = JSON.parse(
      fs.readFileSync(path.join(dir, 'expected.json'), 'utf8'),
    ) as Expected;
    const student = studentCode(dir);
    expect(Object.keys(student).length).toBeGreaterThan(0);
    expect(verdictProblems('expected', expected)).toEqual([]);

    const scratch = fs.mkdtempSync(path.join(scratchDir, `${name}-`));
    try {
      const [modules, cnn2] = await Promise.all([
        checkModules(student, { scratchDir: scratch, timeoutMs: MODULE_TIMEOUT_MS }),
        checkCnn2(student, { scratchDir: scratch, dataFile, timeoutMs: CNN2_TIMEOUT_MS }),
      ]);
      const items = [...modules, cnn2];
      expect(differences(items, expected)).toEqual([]);
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });
}
