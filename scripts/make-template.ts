/**
 * Builds the student handout, `student-template/`, from `reference/` and `scripts/handout/`,
 * so that the two never drift apart.
 *
 * Every reference `.ts` and `.sh` file goes into the handout. In the two files students edit
 * (dnn_misc.ts, dnn_cnn_2.ts) each solution block
 *
 *     // BEGIN SOLUTION linear_layer.forward
 *     // HINT: np.matmul multiplies matrices ...
 *     return np.add(np.matmul(X, this.params.W), this.params.b);
 *     // END SOLUTION
 *
 * becomes a stub at the block's indentation:
 *
 *     // TODO (Q3.2): implement linear_layer.forward.
 *     // np.matmul multiplies matrices ...
 *     throw new NotImplementedError('linear_layer.forward');
 *
 * and the file's header gains a line saying it is one of the two files to edit and submit.
 * Every other file is copied byte for byte. The files of `scripts/handout/` (README, package.json,
 * tsconfig.json, collaboration.txt, the self-check script) are added as they are.
 *
 * Usage: npm run make-template    (writes student-template/, removing files it no longer makes)
 */
import * as fs from 'fs';
import * as path from 'path';

const REPO_ROOT = path.resolve(__dirname, '..');
export const REFERENCE_DIR = path.join(REPO_ROOT, 'reference');
export const HANDOUT_SOURCE_DIR = path.join(REPO_ROOT, 'scripts', 'handout');
export const TEMPLATE_DIR = path.join(REPO_ROOT, 'student-template');

/** The files students edit and submit, with the homework question their stubs belong to. */
export const EDITABLE_FILES: Readonly<Record<string, string>> = {
  'dnn_misc.ts': 'Q3.2',
  'dnn_cnn_2.ts': 'Q3.9',
};

/** Files of scripts/handout/ that go into the handout as they are. */
export const HANDOUT_SOURCES = [
  'README.md',
  'package.json',
  'tsconfig.json',
  'collaboration.txt',
  'assignment3_dnn_check.ts',
] as const;

/**
 * Files of scripts/handout/ that are not part of the handout: re-exports of the reference
 * modules, so that the root `tsc` can resolve the self-check's `./np` and `./dnn_misc` there.
 */
const TYPECHECK_SHIMS = ['np.ts', 'dnn_misc.ts'];

/** Reference files with these endings are handout files; anything else there is skipped. */
const HANDOUT_EXTENSIONS = ['.ts', '.sh'];

const BEGIN_MARKER = /^(\s*)\/\/ BEGIN SOLUTION ([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\s*$/;
const END_MARKER = /^(\s*)\/\/ END SOLUTION\s*$/;
const ANY_MARKER = /\b(?:BEGIN|END) SOLUTION\b/;
const HINT_LINE = /^\s*\/\/ HINT:(?: (.*))?$/;
const IMPORTS_NOT_IMPLEMENTED =
  /\bclass NotImplementedError\b|import\s*\{[^}]*\bNotImplementedError\b[^}]*\}\s*from/;

/** A problem in a source file; the message starts with `file:line:`. */
export class TemplateError extends Error {
  constructor(file: string, line: number | null, message: string) {
    super(`${file}:${line === null ? '' : `${line}:`} ${message}`);
    this.name = 'TemplateError';
  }
}

interface OpenBlock {
  name: string;
  indent: string;
  line: number;
  hints: string[];
}

/**
 * Replaces every solution block of `text` by a stub that throws NotImplementedError.
 * `file` is used in error messages only; `question` goes into the TODO line.
 * Returns the new text and the names of the stubbed functions, in file order.
 */
export function stubSolutions(
  text: string,
  file: string,
  question: string,
): { text: string; functions: string[] } {
  const out: string[] = [];
  const functions: string[] = [];
  let open: OpenBlock | null = null;

  for (const [index, line] of text.split('\n').entries()) {
    const lineNumber = index + 1;
    const begin = BEGIN_MARKER.exec(line);
    const end = END_MARKER.exec(line);

    if (begin) {
      if (open) {
        throw new TemplateError(
          file,
          lineNumber,
          `BEGIN SOLUTION ${begin[2]} inside the block ${open.name} opened at line ${open.line}; ` +
            'solution blocks cannot nest',
        );
      }
      if (functions.includes(begin[2])) {
        throw new TemplateError(file, lineNumber, `a second solution block named ${begin[2]}`);
      }
      open = { name: begin[2], indent: begin[1], line: lineNumber, hints: [] };
    } else if (end) {
      if (!open) {
        throw new TemplateError(
          file,
          lineNumber,
          'END SOLUTION without a BEGIN SOLUTION before it',
        );
      }
      if (end[1] !== open.indent) {
        throw new TemplateError(
          file,
          lineNumber,
          `END SOLUTION is indented ${end[1].length} spaces but BEGIN SOLUTION ${open.name} ` +
            `at line ${open.line} is indented ${open.indent.length}`,
        );
      }
      out.push(...stubLines(open, question));
      functions.push(open.name);
      open = null;
    } else if (ANY_MARKER.test(line)) {
      throw new TemplateError(
        file,
        lineNumber,
        `malformed solution marker "${line.trim()}": expected ` +
          '"// BEGIN SOLUTION <function name>" or "// END SOLUTION" alone on the line',
      );
    } else if (open) {
      const hint = HINT_LINE.exec(line);
      if (hint) open.hints.push(hint[1] ?? '');
    } else if (HINT_LINE.test(line)) {
      throw new TemplateError(file, lineNumber, 'a HINT line outside a solution block');
    } else {
      out.push(line);
    }
  }

  if (open) {
    throw new TemplateError(file, open.line, `BEGIN SOLUTION ${open.name} has no END SOLUTION`);
  }
  return { text: out.join('\n'), functions };
}

function stubLines(block: OpenBlock, question: string): string[] {
  const { indent, name } = block;
  return [
    `${indent}// TODO (${question}): implement ${name}.`,
    ...block.hints.map((hint) => (hint === '' ? `${indent}//` : `${indent}// ${hint}`)),
    `${indent}throw new NotImplementedError('${name}');`,
  ];
}

/** Adds the "you edit and submit this file" line after the title line of the file's header. */
function addEditableHeader(text: string, file: string): string {
  const lines = text.split('\n');
  if (lines[0] !== '/**' || !lines[1]?.startsWith(' * ')) {
    throw new TemplateError(file, 1, 'expected a header comment: "/**", then " * <title>"');
  }
  const others = Object.keys(EDITABLE_FILES).filter((name) => name !== path.basename(file));
  const header = ` * This file and ${others.join(', ')} are the only files you edit and submit.`;
  lines.splice(2, 0, ' *', header);
  return lines.join('\n');
}

/** A text file's content; throws unless it is valid UTF-8 (so that copies stay byte for byte). */
function readText(file: string): string {
  const bytes = fs.readFileSync(file);
  const text = bytes.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(bytes)) {
    throw new TemplateError(file, 1, 'not valid UTF-8; the handout holds text files only');
  }
  return text;
}

function relative(file: string): string {
  return path.relative(REPO_ROOT, file);
}

/** One reference file as it goes into the handout. */
function renderReferenceFile(name: string): string {
  const file = path.join(REFERENCE_DIR, name);
  const text = readText(file);
  const question = EDITABLE_FILES[name];

  if (question === undefined) {
    const marker = text.split('\n').findIndex((line) => ANY_MARKER.test(line));
    if (marker >= 0) {
      throw new TemplateError(
        relative(file),
        marker + 1,
        `solution marker in a file students may not edit; only ${Object.keys(EDITABLE_FILES).join(
          ' and ',
        )} have solution blocks`,
      );
    }
    return text;
  }

  const stubbed = stubSolutions(text, relative(file), question);
  if (stubbed.functions.length === 0) {
    throw new TemplateError(relative(file), 1, 'no solution block in a file students edit');
  }
  if (!IMPORTS_NOT_IMPLEMENTED.test(stubbed.text)) {
    throw new TemplateError(
      relative(file),
      1,
      'has solution blocks but neither defines nor imports NotImplementedError, which its stubs throw',
    );
  }
  return addEditableHeader(stubbed.text, relative(file));
}

/** The handout: file name (relative to student-template/) -> content, sorted by name. */
export function renderTemplate(): Map<string, string> {
  const files = new Map<string, string>();

  const referenceNames = fs
    .readdirSync(REFERENCE_DIR)
    .filter((name) => HANDOUT_EXTENSIONS.some((extension) => name.endsWith(extension)));
  for (const name of referenceNames) files.set(name, renderReferenceFile(name));
  for (const name of Object.keys(EDITABLE_FILES)) {
    if (!files.has(name))
      throw new TemplateError(relative(REFERENCE_DIR), null, `${name} is missing`);
  }

  for (const name of fs.readdirSync(HANDOUT_SOURCE_DIR)) {
    const known = (HANDOUT_SOURCES as readonly string[]).includes(name);
    if (!known && !TYPECHECK_SHIMS.includes(name)) {
      throw new TemplateError(
        relative(path.join(HANDOUT_SOURCE_DIR, name)),
        null,
        'not a known handout source; add it to HANDOUT_SOURCES in scripts/make-template.ts',
      );
    }
  }
  for (const name of HANDOUT_SOURCES) {
    const file = path.join(HANDOUT_SOURCE_DIR, name);
    if (files.has(name)) {
      throw new TemplateError(relative(file), null, `reference/${name} has the same name`);
    }
    files.set(name, readText(file));
  }

  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The permission bits a handout file gets: shell scripts are executable. */
export function fileMode(name: string): number {
  return name.endsWith('.sh') ? 0o755 : 0o644;
}

/** Writes `files` into `dir`; removes what else is there. Returns what changed. */
export function writeTemplate(
  dir: string,
  files: ReadonlyMap<string, string>,
): { written: string[]; removed: string[] } {
  fs.mkdirSync(dir, { recursive: true });
  const removed: string[] = [];
  for (const name of fs.readdirSync(dir)) {
    if (files.has(name)) continue;
    fs.rmSync(path.join(dir, name), { recursive: true, force: true });
    removed.push(name);
  }

  const written: string[] = [];
  for (const [name, content] of files) {
    const file = path.join(dir, name);
    const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
    if (current !== content) {
      fs.writeFileSync(file, content);
      written.push(name);
    }
    if ((fs.statSync(file).mode & 0o777) !== fileMode(name)) fs.chmodSync(file, fileMode(name));
  }
  return { written, removed };
}

const USAGE = `usage: npm run make-template

Writes ${relative(TEMPLATE_DIR)}/ from ${relative(REFERENCE_DIR)}/ and ${relative(HANDOUT_SOURCE_DIR)}/:
solution blocks become stubs that throw NotImplementedError, other files are copied as they are,
and files the handout no longer has are removed.`;

export function main(argv: readonly string[]): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  if (argv.length > 0) {
    process.stderr.write(`make-template: unknown argument "${argv[0]}"; it takes none\n`);
    return 2;
  }

  let files: Map<string, string>;
  try {
    files = renderTemplate();
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    process.stderr.write(`make-template: ${error.message}\n`);
    return 1;
  }

  const { written, removed } = writeTemplate(TEMPLATE_DIR, files);
  for (const name of removed) process.stderr.write(`removed ${relative(TEMPLATE_DIR)}/${name}\n`);
  console.log(
    `${relative(TEMPLATE_DIR)}/: ${files.size} files, ${written.length} written, ` +
      `${removed.length} removed`,
  );
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
