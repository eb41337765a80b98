/**
 * The student handout, student-template/, against what scripts/make-template.ts makes of
 * reference/ and scripts/handout/: the committed copy must be exactly the generated one, hold no
 * solution, and its self-check must tell stubs (5 NOT IMPLEMENTED, exit 1) from the reference
 * solutions (5 PASS, exit 0). The self-check runs in temp copies, through the repo's tsx.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createTwoFilesPatch } from 'diff';
import execa from 'execa';
import {
  EDITABLE_FILES,
  REFERENCE_DIR,
  TEMPLATE_DIR,
  TemplateError,
  fileMode,
  renderTemplate,
  stubSolutions,
} from '../scripts/make-template';

const REPO_ROOT = path.resolve(__dirname, '..');
const TSX = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
const CHECK_SCRIPT = 'assignment3_dnn_check.ts';

const Q32_FUNCTIONS = [
  'linear_layer.forward',
  'linear_layer.backward',
  'relu.forward',
  'relu.backward',
  'dropout.backward',
];
const Q39_FUNCTIONS = ['build_model', 'forward_pass', 'backward_pass'];

const rendered = renderTemplate();

function committedFiles(): string[] {
  return fs.existsSync(TEMPLATE_DIR) ? fs.readdirSync(TEMPLATE_DIR).sort() : [];
}

function readTemplate(name: string): string {
  return fs.readFileSync(path.join(TEMPLATE_DIR, name), 'utf8');
}

describe('student-template/ is what make-template renders', () => {
  test('file by file, with the same content (a mismatch shows a unified diff)', () => {
    const problems: string[] = [];
    const committed = committedFiles();

    for (const [name, content] of rendered) {
      if (!committed.includes(name)) {
        problems.push(`missing: student-template/${name}`);
        continue;
      }
      const current = readTemplate(name);
      if (current !== content) {
        problems.push(
          createTwoFilesPatch(
            `student-template/${name} (committed)`,
            `student-template/${name} (rendered)`,
            current,
            content,
          ),
        );
      }
    }
    for (const name of committed) {
      if (!rendered.has(name)) problems.push(`not made by make-template: student-template/${name}`);
    }

    if (problems.length > 0) {
      throw new Error(
        `student-template/ is out of date; run npm run make-template\n\n${problems.join('\n')}`,
      );
    }
  });

  test('shell scripts are executable, other files are not', () => {
    for (const name of committedFiles()) {
      const mode = fs.statSync(path.join(TEMPLATE_DIR, name)).mode & 0o777;
      expect({ name, mode: mode.toString(8) }).toEqual({ name, mode: fileMode(name).toString(8) });
    }
  });
});

describe('the handout holds stubs, not solutions', () => {
  test('no SOLUTION or HINT: marker is left in any file', () => {
    for (const [name, content] of rendered) {
      expect({ name, markers: content.match(/BEGIN SOLUTION|END SOLUTION|HINT:/g) }).toEqual({
        name,
        markers: null,
      });
    }
  });

  test.each([
    ['dnn_misc.ts', 'Q3.2', Q32_FUNCTIONS],
    ['dnn_cnn_2.ts', 'Q3.9', Q39_FUNCTIONS],
  ])('%s: one stub per %s function, its TODO and its error naming it', (file, question, names) => {
    const lines = rendered.get(file)!.split('\n');
    const stubs = lines.flatMap((line, i) => {
      const thrown = /^(\s*)throw new NotImplementedError\('([^']+)'\);$/.exec(line);
      return thrown ? [{ name: thrown[2], indent: thrown[1], lineIndex: i }] : [];
    });
    expect(stubs.map((stub) => stub.name)).toEqual(names);

    for (const { name, indent, lineIndex } of stubs) {
      const todo = lines
        .slice(0, lineIndex)
        .reverse()
        .find((line) => line.includes('TODO'));
      expect(todo).toBe(`${indent}// TODO (${question}): implement ${name}.`);
    }
  });

  test('the two files students edit say so; every other .ts file may not be modified', () => {
    for (const [name, content] of rendered) {
      if (!name.endsWith('.ts')) continue;
      const editable = name in EDITABLE_FILES;
      expect({ name, editable: content.includes('the only files you edit and submit') }).toEqual({
        name,
        editable,
      });
      expect({ name, locked: content.includes('may not be modified') }).toEqual({
        name,
        locked: !editable,
      });
    }
  });

  test('files without solution blocks are copied byte for byte', () => {
    for (const name of fs.readdirSync(REFERENCE_DIR)) {
      if (!rendered.has(name) || name in EDITABLE_FILES) continue;
      expect({
        name,
        same: rendered.get(name) === fs.readFileSync(path.join(REFERENCE_DIR, name), 'utf8'),
      }).toEqual({ name, same: true });
    }
  });

  test('the README names every file students may not modify', () => {
    const readme = rendered.get('README.md')!;
    const locked = [...rendered.keys()].filter(
      (name) => /\.(ts|sh)$/.test(name) && !(name in EDITABLE_FILES),
    );
    expect(locked.filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
  });

  test("the handout's package.json pins the root's versions", () => {
    const root = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    const handout = JSON.parse(rendered.get('package.json')!);
    const rootVersions = { ...root.dependencies, ...root.devDependencies };
    for (const [name, version] of Object.entries(handout.dependencies)) {
      expect({ name, version }).toEqual({ name, version: rootVersions[name] });
    }
  });
});

describe('stubSolutions', () => {
  const block = [
    '  f() {',
    '    // BEGIN SOLUTION thing.f',
    '    // HINT: first hint',
    '    // HINT:',
    '    return 1;',
    '    // END SOLUTION',
    '  }',
  ];

  test('a block becomes TODO, hints and a throw at its indentation', () => {
    expect(stubSolutions(block.join('\n'), 'x.ts', 'Q9.9')).toEqual({
      text: [
        '  f() {',
        '    // TODO (Q9.9): implement thing.f.',
        '    // first hint',
        '    //',
        "    throw new NotImplementedError('thing.f');",
        '  }',
      ].join('\n'),
      functions: ['thing.f'],
    });
  });

  test.each([
    ['a nested BEGIN', [...block.slice(0, 3), '    // BEGIN SOLUTION g', ...block.slice(3)], 4],
    ['an END without BEGIN', ['    // END SOLUTION'], 1],
    ['a BEGIN without END', block.slice(0, 5), 2],
    ['a BEGIN without a name', ['    // BEGIN SOLUTION'], 1],
    ['a HINT outside a block', ['    // HINT: no block'], 1],
  ])('%s fails with file and line', (_what, lines, line) => {
    expect(() => stubSolutions(lines.join('\n'), 'x.ts', 'Q9.9')).toThrow(TemplateError);
    expect(() => stubSolutions(lines.join('\n'), 'x.ts', 'Q9.9')).toThrow(`x.ts:${line}: `);
  });
});

describe('assignment3_dnn_check.ts', () => {
  const tempDirs: string[] = [];

  afterAll(() => {
    for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Copies `files` (name -> content) into a fresh temp dir and runs the check there. */
  async function runCheck(files: Iterable<[string, string]>) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'template-check-'));
    tempDirs.push(dir);
    for (const [name, content] of files) fs.writeFileSync(path.join(dir, name), content);
    return execa(TSX, [CHECK_SCRIPT], { cwd: dir, reject: false, timeout: 60_000 });
  }

  function statusLines(stdout: string): string[] {
    return Q32_FUNCTIONS.map(
      (name) =>
        stdout.split('\n').find((line) => line.startsWith(`${name} `)) ?? `${name}: no line`,
    );
  }

  /** The committed student-template/ files, name -> content. */
  function templateFiles(): [string, string][] {
    return committedFiles().map((name) => [name, readTemplate(name)]);
  }

  test('on the handout: all five NOT IMPLEMENTED, exit code 1', async () => {
    const result = await runCheck(templateFiles());

    expect(result.stderr).toBe('');
    expect(statusLines(result.stdout).map((line) => line.replace(/\s+/g, ' '))).toEqual(
      Q32_FUNCTIONS.map((name) => `${name} NOT IMPLEMENTED`),
    );
    expect(result.exitCode).toBe(1);
  });

  test('on the reference solutions: all five PASS, exit code 0', async () => {
    const referenceFiles = fs
      .readdirSync(REFERENCE_DIR)
      .filter((name) => name.endsWith('.ts'))
      .map((name): [string, string] => [
        name,
        fs.readFileSync(path.join(REFERENCE_DIR, name), 'utf8'),
      ]);
    const result = await runCheck([...referenceFiles, [CHECK_SCRIPT, readTemplate(CHECK_SCRIPT)]]);

    expect(result.stderr).toBe('');
    expect(statusLines(result.stdout).map((line) => line.replace(/\s+/g, ' '))).toEqual(
      Q32_FUNCTIONS.map((name) => `${name} PASS`),
    );
    expect(result.exitCode).toBe(0);
  });
});
