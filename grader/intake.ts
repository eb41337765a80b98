/**
 * Opens a submission (a zip or a directory) and copies the files the grader needs into a fresh
 * folder of the scratch dir, under their expected names.
 *
 * Only the expected files are ever read out of a submission: other entries are listed and
 * reported, never inflated or copied. Nothing is written outside `scratchDir`, and the names
 * written are the constants of `SUBMISSION_FILES`, never a name taken from the archive.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Readable, Transform, TransformCallback } from 'stream';
import { pipeline } from 'stream/promises';
import * as zlib from 'zlib';
import * as yauzl from 'yauzl';
import { PROTECTED_FILES, SUBMISSION_FILES, SUBMISSION_NAME_PATTERN } from './submission-files';

export type IntakeProblemKind =
  | 'name-pattern' // the zip or folder name is not Assignment_3_<first>_<last>
  | 'in-subfolder' // expected files were found below the top level (and used)
  | 'wrong-case' // DNN_misc.ts for dnn_misc.ts (used)
  | 'duplicate-file' // an expected name occurs more than once; one copy was used (planSubmission)
  | 'missing-file'
  | 'nested-zip' // a zip inside the submission; not opened
  | 'extra-files' // files the grader does not need; ignored
  | 'junk-ignored' // __MACOSX, .DS_Store and the like
  | 'entry-refused'; // unsafe path, link, device, encrypted or unknown compression

/** Something the instructor should know; the submission was opened nonetheless. */
export interface IntakeProblem {
  kind: IntakeProblemKind;
  message: string; // what was expected, what was found, what to do
}

export interface Submission {
  source: string; // the zip or directory given
  name: string; // e.g. "Assignment_3_Ada_Lovelace"
  student?: { first: string; last: string };
  root: string; // a fresh folder in scratchDir holding the files found, under expected names
  files: string[]; // names present at root, sorted
  problems: IntakeProblem[];
}

export type IntakeErrorKind =
  | 'not-found'
  | 'not-a-zip'
  | 'corrupt'
  | 'empty' // no files at all, or only folders and system junk
  | 'refused' // every file was refused (unsafe path, link, encryption, unknown compression)
  | 'too-many-entries'
  | 'too-large';

/** A submission that cannot be opened at all; the message says what to do. */
export class IntakeError extends Error {
  constructor(
    readonly kind: IntakeErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'IntakeError';
  }
}

export interface IntakeLimits {
  maxEntries: number; // entries in a zip, or files and folders in a directory
  maxFileBytes: number; // per expected file, counted as bytes actually inflated or read
  maxTotalBytes: number; // all expected files together, counted the same way
}

const MiB = 1024 * 1024;

export const INTAKE_LIMITS: IntakeLimits = {
  maxEntries: 500,
  maxFileBytes: 20 * MiB,
  maxTotalBytes: 100 * MiB,
};

/** Folders nobody needs whose contents count as junk (a directory walk does not enter them). */
const JUNK_FOLDERS = new Set(['__macosx', '.git', 'node_modules', '.vscode', '.idea']);
const JUNK_FILES = new Set(['.ds_store', 'thumbs.db', 'desktop.ini']);
const MAX_DEPTH = 32;
const MAX_LISTED = 8;

/** A regular file of the submission, found while listing; read only if the grader needs it. */
interface SourceFile {
  path: string; // posix path inside the submission
  open(): Promise<Readable>;
  crc32?: number; // zip entries: checked after extraction
  entry?: number; // zip entries: 1-based position in the zip's central directory
}

/** An entry that is not read at all, and why. */
interface Refusal {
  path: string; // as named in the submission, before any normalizing
  reason: string; // e.g. "it is a symbolic link; links are never followed"
}

interface Listing {
  files: SourceFile[]; // in archive order (a zip) or name order (a directory)
  skipped: string[]; // junk folders of a directory source, reported without being entered
  refused: Refusal[];
  close(): void;
}

/**
 * Opens `source` (a `.zip` file or a directory) and copies the expected files it holds into a new
 * folder of `scratchDir`. Throws IntakeError only when nothing can be graded from it.
 */
export async function openSubmission(
  source: string,
  scratchDir: string,
  limits: IntakeLimits = INTAKE_LIMITS,
): Promise<Submission> {
  const stats = await fs.promises.stat(source).catch(() => undefined);
  if (stats === undefined) {
    throw new IntakeError('not-found', `Cannot open '${source}': no such file or directory.`);
  }

  if (!stats.isDirectory() && !stats.isFile()) {
    throw new IntakeError(
      'not-a-zip',
      `Cannot open '${source}': expected a zip file or a directory.`,
    );
  }

  const name = submissionName(source, stats.isDirectory());
  const { student, problems: nameProblems } = parseSubmissionName(name);
  const listing = stats.isDirectory()
    ? await listDirectory(source, limits)
    : await listZip(source, limits);

  try {
    if (listing.files.every((file) => isJunk(file.path.split('/')))) {
      throw nothingUsable(source, listing.refused);
    }

    const plan = planSubmission(listing.files, listing.skipped);
    const root = await createRoot(scratchDir, name);
    try {
      await extractChosen(plan.chosen, root, source, limits);
    } catch (error) {
      await fs.promises.rm(root, { recursive: true, force: true });
      throw error;
    }

    const files = (await fs.promises.readdir(root)).sort();
    const refusals = listing.refused.map(refusedProblem);
    const problems = [...nameProblems, ...refusals, ...plan.problems];
    return { source, name, student, root, files, problems };
  } finally {
    listing.close();
  }
}

/** Refused entries are the reason when there are any; otherwise the submission is just empty. */
function nothingUsable(source: string, refused: Refusal[]): IntakeError {
  if (refused.length === 0) {
    return new IntakeError(
      'empty',
      `Cannot grade '${source}': it holds no files (only folders or system junk). ` +
        'Ask the student to resubmit with the files themselves inside.',
    );
  }

  const list = listOf(
    refused.map(({ path: refusedPath, reason }) => `'${refusedPath}': ${reason}`),
    '; ',
  );
  const count = refused.length === 1 ? 'its only file was' : `all ${refused.length} files were`;
  return new IntakeError(
    'refused',
    `Cannot grade '${source}': expected the submission files, but ${count} refused (${list}). ` +
      'Nothing was read from it. Ask the student to zip the plain files again and resubmit.',
  );
}

function refusedProblem({ path: refusedPath, reason }: Refusal): IntakeProblem {
  return { kind: 'entry-refused', message: `Refused '${refusedPath}': ${reason}.` };
}

function submissionName(source: string, isDirectory: boolean): string {
  const base = path.basename(path.resolve(source));
  return isDirectory ? base : base.replace(/\.zip$/i, '');
}

/** `Assignment_3_Ada_Lovelace (1)` (a browser's second download) still names Ada Lovelace. */
function parseSubmissionName(name: string): Pick<Submission, 'student' | 'problems'> {
  const expected = "Expected a name like 'Assignment_3_<first>_<last>'";
  const trimmed = name.replace(/\s*\(\d+\)$/, '');
  const exact = SUBMISSION_NAME_PATTERN.exec(trimmed);
  const loose = new RegExp(SUBMISSION_NAME_PATTERN.source, 'i').exec(trimmed);
  const match = exact ?? loose;
  if (match === null) {
    const message = `${expected}, found '${name}'; match the submission to a student by hand.`;
    return { problems: [{ kind: 'name-pattern', message }] };
  }

  const student = { first: match[1], last: match[2] };
  if (exact !== null && trimmed === name) return { student, problems: [] };

  const message =
    `${expected}, found '${name}'; read it as ${student.first} ${student.last}. ` +
    'Check the student if that is wrong.';
  return { student, problems: [{ kind: 'name-pattern', message }] };
}

// ---------------------------------------------------------------------------------------------
// Choosing the files

interface Plan {
  chosen: Map<string, SourceFile>; // expected name -> the one entry or file to copy for it
  problems: IntakeProblem[];
}

/**
 * Finds each expected name anywhere in the tree (ignoring case) and reports all else. When a
 * name occurs more than once, the copy used is the one named with the exact case, then the
 * shallowest, then the first in the archive (or in name order, for a directory).
 */
function planSubmission(files: SourceFile[], skipped: string[]): Plan {
  const problems: IntakeProblem[] = [];
  // Copies of protected handout files are taken too (never required), to diff them.
  const wanted = [...SUBMISSION_FILES, ...PROTECTED_FILES];
  const expectedByLower = new Map(wanted.map((file) => [file.toLowerCase(), file]));
  const candidates = new Map<string, SourceFile[]>(wanted.map((file) => [file, []]));
  const junk = [...skipped];
  const extra: string[] = [];

  for (const file of files) {
    const filePath = file.path;
    const segments = filePath.split('/');
    const base = segments[segments.length - 1];
    const expected = expectedByLower.get(base.toLowerCase());
    if (isJunk(segments)) {
      junk.push(filePath);
    } else if (expected !== undefined) {
      candidates.get(expected)?.push(file);
    } else if (/\.zip$/i.test(base)) {
      problems.push({
        kind: 'nested-zip',
        message:
          `Found a zip inside the submission ('${filePath}'); nested zips are not opened. ` +
          'If the expected files are inside it, grade that zip on its own.',
      });
    } else {
      extra.push(filePath);
    }
  }

  const chosen = new Map<string, SourceFile>();
  for (const [expected, found] of candidates) {
    if (found.length === 0) {
      if (SUBMISSION_FILES.includes(expected)) {
        problems.push(missingProblem(expected, [...extra, ...junk]));
      }
      continue;
    }

    // Stable sort: `found` is in archive order, which breaks the remaining ties.
    const ranked = [...found].sort((a, b) => compareCandidates(expected, a, b));
    const used = ranked[0];
    chosen.set(expected, used);

    if (found.length > 1) problems.push(duplicateProblem(expected, ranked));
    if (path.posix.basename(used.path) !== expected) {
      problems.push({
        kind: 'wrong-case',
        message:
          `Expected '${expected}', found '${path.posix.basename(used.path)}'; it was used under ` +
          'the expected name. Names are case-sensitive where the grader runs; tell the student.',
      });
    }
  }

  problems.push(...subfolderProblems([...chosen.values()].map((file) => file.path)));
  if (extra.length > 0) {
    problems.push({
      kind: 'extra-files',
      message:
        `Expected only the ${SUBMISSION_FILES.length} submission files; ignored the others: ` +
        `${quoteList(extra)}.`,
    });
  }
  if (junk.length > 0) {
    problems.push({
      kind: 'junk-ignored',
      message: `Ignored system or tool files: ${quoteList(junk)}.`,
    });
  }

  return { chosen, problems };
}

/** Exact-case names first, then the shallowest; 0 leaves the archive order. */
function compareCandidates(expected: string, a: SourceFile, b: SourceFile): number {
  const inexact = (file: SourceFile) => (path.posix.basename(file.path) === expected ? 0 : 1);
  return inexact(a) - inexact(b) || depth(a.path) - depth(b.path);
}

/** `ranked` holds every copy found, the one used first; says why that one was used. */
function duplicateProblem(expected: string, ranked: SourceFile[]): IntakeProblem {
  const used = ranked[0];
  const check = 'Check that it is the version the student meant.';
  const sameAsUsed = ranked.filter((file) => file.path === used.path);
  const first =
    used.entry !== undefined
      ? `the first in the archive (entry ${used.entry} of the zip)`
      : 'the first in name order';

  if (sameAsUsed.length === ranked.length) {
    return {
      kind: 'duplicate-file',
      message:
        `Expected one '${expected}', found ${ranked.length} entries named '${used.path}'; ` +
        `used ${first}. ${check}`,
    };
  }

  const paths = [...new Set(ranked.map((file) => file.path))].map((filePath) => {
    const copies = ranked.filter((file) => file.path === filePath).length;
    return copies > 1 ? `'${filePath}' (${copies} entries)` : `'${filePath}'`;
  });
  // The best copy at another path: why the used path beat it.
  const runnerUp = ranked.find((file) => file.path !== used.path) ?? used;
  let why: string;
  if (compareCandidates(expected, used, runnerUp) === 0) {
    why = first;
  } else if (path.posix.basename(runnerUp.path) !== expected) {
    why = 'the one named with the exact case';
  } else {
    why = 'the shallowest';
  }
  const firstCopy =
    sameAsUsed.length > 1 ? `, and of its ${sameAsUsed.length} entries ${first}` : '';
  return {
    kind: 'duplicate-file',
    message:
      `Expected one '${expected}', found ${ranked.length}: ${listOf(paths)}; ` +
      `used '${used.path}', ${why}${firstCopy}. ${check}`,
  };
}

function isJunk(segments: string[]): boolean {
  const base = segments[segments.length - 1].toLowerCase();
  return (
    segments.slice(0, -1).some((folder) => JUNK_FOLDERS.has(folder.toLowerCase())) ||
    JUNK_FILES.has(base) ||
    base.startsWith('._')
  );
}

function depth(filePath: string): number {
  return filePath.split('/').length - 1;
}

function quoteList(items: string[]): string {
  return listOf(items.map((item) => `'${item}'`));
}

function listOf(items: string[], separator = ', '): string {
  const shown = items.slice(0, MAX_LISTED);
  const more = items.length - shown.length;
  return more > 0 ? `${shown.join(separator)} and ${more} more` : shown.join(separator);
}

/** Names like `dnn_misc.py` or `dnn_misc (1).ts` hint at what the student did instead. */
function missingProblem(expected: string, others: string[]): IntakeProblem {
  const stem = expected.replace(/\.[^.]+$/, '').toLowerCase();
  const similar = others.filter((other) =>
    path.posix.basename(other).toLowerCase().startsWith(stem),
  );
  const found = similar.length > 0 ? `found only ${quoteList(similar)}` : 'found no such file';

  return {
    kind: 'missing-file',
    message: `Expected '${expected}', ${found}. It counts as missing until the student sends it.`,
  };
}

function subfolderProblems(usedPaths: string[]): IntakeProblem[] {
  const byFolder = new Map<string, string[]>();
  for (const used of usedPaths) {
    const folder = path.posix.dirname(used);
    if (folder !== '.') byFolder.set(folder, [...(byFolder.get(folder) ?? []), used]);
  }

  return [...byFolder].map(([folder, files]) => ({
    kind: 'in-subfolder' as const,
    message:
      `Expected the files at the top level, found ${files.length} in folder '${folder}/'; ` +
      'they were used from there. Tell the student to zip the files, not their folder.',
  }));
}

// ---------------------------------------------------------------------------------------------
// Copying the chosen files

/** A fresh folder named after the submission; a second submission of that name gets `-2`. */
async function createRoot(scratchDir: string, name: string): Promise<string> {
  await fs.promises.mkdir(scratchDir, { recursive: true });
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_') || 'submission';

  for (let attempt = 1; ; attempt++) {
    const root = path.join(scratchDir, attempt === 1 ? safe : `${safe}-${attempt}`);
    try {
      await fs.promises.mkdir(root); // not recursive: fails if it exists, so it is ours alone
      return root;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** Copies exactly the one entry chosen for each expected name, never another of the same path. */
async function extractChosen(
  chosen: Map<string, SourceFile>,
  root: string,
  source: string,
  limits: IntakeLimits,
): Promise<void> {
  const budget = { totalBytes: 0 };

  for (const [expected, file] of chosen) {
    const filePath = file.path;
    const counter = new ByteCounter(filePath, source, limits, budget);
    try {
      const input = await file.open();
      await pipeline(
        input,
        counter,
        fs.createWriteStream(path.join(root, expected), { flags: 'wx' }),
      );
    } catch (error) {
      throw error instanceof IntakeError ? error : corruptEntry(source, filePath, error);
    }

    if (file.crc32 !== undefined && counter.crc32 !== file.crc32) {
      throw corruptEntry(source, filePath, new Error('CRC-32 mismatch'));
    }
  }
}

function corruptEntry(source: string, filePath: string, error: unknown): IntakeError {
  const reason = error instanceof Error ? error.message : String(error);
  const bomb = /too many bytes|too few bytes/.test(reason)
    ? ' Its content does not match the size its header declares (a damaged zip or a zip bomb).'
    : '';
  return new IntakeError(
    'corrupt',
    `Cannot read '${filePath}' from '${source}': ${reason}.${bomb} ` +
      'Ask the student to zip the files again and resubmit.',
  );
}

/** Counts the bytes that really come out (not what a header declares) and stops at the caps. */
class ByteCounter extends Transform {
  crc32 = 0;
  private fileBytes = 0;

  constructor(
    private readonly filePath: string,
    private readonly source: string,
    private readonly limits: IntakeLimits,
    private readonly budget: { totalBytes: number },
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.fileBytes += chunk.length;
    this.budget.totalBytes += chunk.length;
    if (this.fileBytes > this.limits.maxFileBytes) {
      return done(this.tooLarge(`'${this.filePath}' is`, this.limits.maxFileBytes, 'per file'));
    }
    if (this.budget.totalBytes > this.limits.maxTotalBytes) {
      return done(this.tooLarge('the expected files are', this.limits.maxTotalBytes, 'in total'));
    }

    this.crc32 = zlib.crc32(chunk, this.crc32);
    done(null, chunk);
  }

  private tooLarge(what: string, limit: number, scope: string): IntakeError {
    return new IntakeError(
      'too-large',
      `Cannot open '${this.source}': ${what} larger than ${formatBytes(limit)} ${scope} once ` +
        'unpacked (the real files are a few kB to a few MB; this looks like a zip bomb or a ' +
        'wrong file). Nothing was kept; inspect the submission by hand.',
    );
  }
}

function formatBytes(bytes: number): string {
  return bytes >= MiB ? `${+(bytes / MiB).toFixed(1)} MiB` : `${bytes} bytes`;
}

// ---------------------------------------------------------------------------------------------
// Zip sources

/** yauzl exports these, but its type definitions (for yauzl 2) do not declare them. */
const yauzlLowLevel = yauzl as typeof yauzl & {
  getFileNameLowLevel(
    generalPurposeBitFlag: number,
    fileNameBuffer: Buffer,
    extraFields: Array<{ id: number; data: Buffer }>,
    strictFileNames: boolean,
  ): string;
};
type RawEntry = yauzl.Entry & { fileNameRaw: Buffer };

const UNIX_HOSTS = new Set([3, 19]); // "version made by" of Unix and macOS zippers
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

async function listZip(zipPath: string, limits: IntakeLimits): Promise<Listing> {
  await assertLooksLikeZip(zipPath);
  const zipfile = await openZip(zipPath);

  try {
    if (zipfile.entryCount > limits.maxEntries) throw tooManyEntries(zipPath, limits);
    const entries = await readEntries(zipfile, zipPath, limits);

    const files: SourceFile[] = [];
    const refused: Refusal[] = [];
    for (const [index, entry] of entries.entries()) {
      const name = yauzlLowLevel.getFileNameLowLevel(
        entry.generalPurposeBitFlag,
        entry.fileNameRaw,
        entry.extraFields,
        false, // turns the backslashes of some Windows zippers into slashes
      );
      const refusal = refuseEntry(entry, name);
      if (refusal === 'directory') continue;
      if (refusal !== undefined) {
        refused.push({ path: name, reason: refusal });
        continue;
      }

      files.push({
        path: normalizeEntryPath(name),
        crc32: entry.crc32,
        entry: index + 1,
        open: () => openEntry(zipfile, entry),
      });
    }

    return { files, skipped: [], refused, close: () => zipfile.close() };
  } catch (error) {
    zipfile.close();
    throw error;
  }
}

/** Why an entry is not a usable regular file, or `'directory'`, or undefined when it is fine. */
function refuseEntry(entry: yauzl.Entry, name: string): string | undefined {
  if (yauzl.validateFileName(name) !== null || name.includes('\0')) {
    return 'its path is absolute or leaves the submission folder (..); nothing was written for it';
  }

  const mode = entry.externalFileAttributes >>> 16;
  const type = UNIX_HOSTS.has(entry.versionMadeBy >> 8) ? mode & S_IFMT : 0;
  if (name.endsWith('/') || type === S_IFDIR) return 'directory';
  if (type === S_IFLNK) return 'it is a symbolic link; links are never followed or recreated';
  if (type !== 0 && type !== S_IFREG) return 'it is not a regular file (a device or a pipe)';
  if (entry.isEncrypted()) return 'it is encrypted; ask the student for a zip without a password';
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
    const method = entry.compressionMethod;
    const known = COMPRESSION_METHODS.get(method);
    return (
      `it uses compression method ${method}${known !== undefined ? ` (${known})` : ''}, which ` +
      'the grader cannot read; ask for a zip made with the standard Deflate method ' +
      '(the default of "Compress" and `zip`)'
    );
  }
  return undefined;
}

/** Zip compression methods other than Stored (0) and Deflate (8) that zippers offer. */
const COMPRESSION_METHODS = new Map([
  [9, 'Deflate64'],
  [12, 'bzip2'],
  [14, 'LZMA'],
  [93, 'Zstandard'],
  [95, 'XZ'],
  [98, 'PPMd'],
]);

function normalizeEntryPath(name: string): string {
  return name
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.')
    .join('/');
}

/** Other archive formats renamed to .zip are common; say which one it is. */
async function assertLooksLikeZip(zipPath: string): Promise<void> {
  const handle = await fs.promises.open(zipPath, 'r');
  const head = Buffer.alloc(8);
  let length: number;
  try {
    ({ bytesRead: length } = await handle.read(head, 0, head.length, 0));
  } finally {
    await handle.close();
  }

  if (length === 0) {
    throw new IntakeError(
      'empty',
      `Cannot open '${zipPath}': the file is empty (0 bytes). Ask the student to upload it again.`,
    );
  }
  if (head.subarray(0, 2).toString('latin1') === 'PK') return;

  const formats: Array<[string, string]> = [
    ['Rar!', 'a RAR archive'],
    ['7z\xbc\xaf', 'a 7-Zip archive'],
    ['\x1f\x8b', 'a gzip file'],
    ['%PDF', 'a PDF document'],
  ];
  const format = formats.find(([magic]) => head.toString('latin1').startsWith(magic));
  const found = format !== undefined ? `it is ${format[1]}` : 'it does not start with a zip header';
  throw new IntakeError(
    'not-a-zip',
    `Cannot open '${zipPath}': expected a zip file, but ${found}. ` +
      'Ask the student to resubmit a .zip (made with "Compress" or `zip`), not a renamed file.',
  );
}

function openZip(zipPath: string): Promise<yauzl.ZipFile> {
  const options = {
    lazyEntries: true,
    autoClose: false,
    decodeStrings: false, // so that a bad name refuses one entry instead of the whole zip
    validateEntrySizes: true, // yauzl also stops an entry that inflates past its declared size
  };

  return new Promise((resolve, reject) => {
    yauzl.open(zipPath, options, (error, zipfile) => {
      if (error === null && zipfile !== undefined) return resolve(zipfile);
      reject(corruptZip(zipPath, error));
    });
  });
}

function corruptZip(zipPath: string, error: unknown): IntakeError {
  const reason = error instanceof Error ? error.message : String(error);
  return new IntakeError(
    'corrupt',
    `Cannot open '${zipPath}': the zip is truncated or damaged (${reason}). ` +
      'Ask the student to upload it again; check that the upload finished.',
  );
}

function tooManyEntries(source: string, limits: IntakeLimits): IntakeError {
  return new IntakeError(
    'too-many-entries',
    `Cannot open '${source}': it holds more than ${limits.maxEntries} files and folders, ` +
      `expected ${SUBMISSION_FILES.length} files. Ask the student to submit only those ` +
      '(not node_modules or the data set).',
  );
}

function readEntries(
  zipfile: yauzl.ZipFile,
  zipPath: string,
  limits: IntakeLimits,
): Promise<RawEntry[]> {
  const entries: RawEntry[] = [];

  return new Promise((resolve, reject) => {
    zipfile.on('entry', (entry: RawEntry) => {
      entries.push(entry);
      if (entries.length > limits.maxEntries) return reject(tooManyEntries(zipPath, limits));
      zipfile.readEntry();
    });
    zipfile.on('end', () => resolve(entries));
    zipfile.on('error', (error) => reject(corruptZip(zipPath, error)));
    zipfile.readEntry();
  });
}

function openEntry(zipfile: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zipfile.openReadStream(entry, (error, stream) => (error ? reject(error) : resolve(stream)));
  });
}

// ---------------------------------------------------------------------------------------------
// Directory sources

/** Walks without following links; junk folders are reported, not entered. */
async function listDirectory(dir: string, limits: IntakeLimits): Promise<Listing> {
  const files: SourceFile[] = [];
  const skipped: string[] = [];
  const refused: Refusal[] = [];
  let visited = 0;

  const walk = async (relative: string, level: number): Promise<void> => {
    const entries = await fs.promises.readdir(path.join(dir, relative), { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

    for (const entry of entries) {
      visited += 1;
      if (visited > limits.maxEntries) throw tooManyEntries(dir, limits);

      const entryPath = relative === '' ? entry.name : `${relative}/${entry.name}`;
      const absolute = path.join(dir, entryPath);
      if (entry.isDirectory() && JUNK_FOLDERS.has(entry.name.toLowerCase())) {
        skipped.push(`${entryPath}/`);
      } else if (entry.isDirectory() && level < MAX_DEPTH) {
        await walk(entryPath, level + 1);
      } else if (entry.isFile()) {
        files.push({ path: entryPath, open: () => openNoFollow(absolute) });
      } else if (entry.isSymbolicLink()) {
        const reason = 'it is a symbolic link; links are never followed';
        refused.push({ path: entryPath, reason });
      } else if (!entry.isDirectory()) {
        refused.push({ path: entryPath, reason: 'it is not a regular file (a device or a pipe)' });
      }
    }
  };

  try {
    await walk('', 0);
  } catch (error) {
    if (error instanceof IntakeError) throw error;
    throw new IntakeError(
      'corrupt',
      `Cannot read directory '${dir}': ${(error as Error).message}.`,
    );
  }

  return { files, skipped, refused, close: () => undefined };
}

/** O_NOFOLLOW: a file swapped for a link after the walk is not followed either. */
async function openNoFollow(absolute: string): Promise<Readable> {
  const handle = await fs.promises.open(absolute, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  return handle.createReadStream();
}
