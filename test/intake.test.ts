/**
 * Opening submissions: real zips made with yazl, and hand-built raw zips for what yazl refuses
 * to write (`../` paths, headers that lie about sizes). Everything lives in one temp dir per test:
 * `<tmp>/in` for the submissions, `<tmp>/scratch` for the grader's copies.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import * as yazl from 'yazl';
import { IntakeError, IntakeLimits, INTAKE_LIMITS, openSubmission } from '../grader/intake';
import { SUBMISSION_FILES } from '../grader/submission-files';

const MiB = 1024 * 1024;

let tmp: string;
let inDir: string;
let scratch: string;

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'intake-'));
  inDir = path.join(tmp, 'in');
  scratch = path.join(tmp, 'scratch');
  fs.mkdirSync(inDir);
});

afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Content that names its file, so a test can tell which copy was used. */
function contentOf(name: string, variant = ''): Buffer {
  return Buffer.from(`content of ${name}${variant}\n`);
}

/** The ten expected files under `prefix`, as [path, content] pairs. */
function allFiles(prefix = ''): Array<[string, Buffer]> {
  return SUBMISSION_FILES.map((name) => [prefix + name, contentOf(name)]);
}

interface YazlEntry {
  name: string;
  data: Buffer;
  mode?: number;
}

/** A zip written by yazl (compressed, like every real zipper), saved as in/<zipName>. */
async function yazlZip(zipName: string, entries: YazlEntry[]): Promise<string> {
  const zip = new yazl.ZipFile();
  for (const entry of entries) zip.addBuffer(entry.data, entry.name, { mode: entry.mode });
  zip.end();

  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  const zipPath = path.join(inDir, zipName);
  fs.writeFileSync(zipPath, Buffer.concat(chunks));
  return zipPath;
}

function entriesOf(pairs: Array<[string, Buffer]>): YazlEntry[] {
  return pairs.map(([name, data]) => ({ name, data }));
}

interface RawEntry {
  name: string;
  data: Buffer; // uncompressed content; deflated here
  declaredSize?: number; // what the headers claim the uncompressed size is
  method?: number; // compression method written in the headers; 8 (deflate) unless told
}

/** A minimal zip built byte by byte: local headers, central directory, end record. */
function rawZip(entries: RawEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;

  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const method = entry.method ?? 8;
    const compressed = method === 8 ? zlib.deflateRawSync(entry.data) : entry.data;
    const crc = zlib.crc32(entry.data);
    const size = entry.declaredSize ?? entry.data.length;

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0x21, 12); // 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);

    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }

  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

function saveRaw(zipName: string, entries: RawEntry[]): string {
  const zipPath = path.join(inDir, zipName);
  fs.writeFileSync(zipPath, rawZip(entries));
  return zipPath;
}

function kinds(problems: Array<{ kind: string }>): string[] {
  return problems.map((problem) => problem.kind).sort();
}

/** Every path under `dir`, relative, without following links. */
function tree(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

async function intakeError(promise: Promise<unknown>): Promise<IntakeError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(IntakeError);
  return error as IntakeError;
}

test('a well-formed zip gives the ten files, the student and no problems', async () => {
  const zipPath = await yazlZip('Assignment_3_Ada_Lovelace.zip', entriesOf(allFiles()));

  const submission = await openSubmission(zipPath, scratch);

  expect(submission).toMatchObject({
    source: zipPath,
    name: 'Assignment_3_Ada_Lovelace',
    student: { first: 'Ada', last: 'Lovelace' },
    root: path.join(scratch, 'Assignment_3_Ada_Lovelace'),
    problems: [],
  });
  expect(submission.files).toEqual([...SUBMISSION_FILES].sort());
  expect(fs.readFileSync(path.join(submission.root, 'dnn_misc.ts'))).toEqual(
    contentOf('dnn_misc.ts'),
  );
});

test('files under a wrapping folder are used; __MACOSX and .DS_Store are ignored', async () => {
  const folder = 'Assignment_3_Ada_Lovelace/';
  const zipPath = await yazlZip('Assignment_3_Ada_Lovelace.zip', [
    ...entriesOf(allFiles(folder)),
    { name: `__MACOSX/${folder}._dnn_misc.ts`, data: Buffer.from('apple double') },
    { name: `__MACOSX/${folder}dnn_misc.ts`, data: Buffer.from('not this one') },
    { name: `${folder}.DS_Store`, data: Buffer.from('finder') },
  ]);

  const submission = await openSubmission(zipPath, scratch);

  expect(submission.files).toEqual([...SUBMISSION_FILES].sort());
  expect(kinds(submission.problems)).toEqual(['in-subfolder', 'junk-ignored']);
  expect(submission.problems.find((p) => p.kind === 'in-subfolder')?.message).toContain(folder);
  expect(fs.readFileSync(path.join(submission.root, 'dnn_misc.ts'))).toEqual(
    contentOf('dnn_misc.ts'),
  );
});

test('a zip-slip entry (../evil.ts) is refused and nothing is written outside scratch', async () => {
  const zipPath = saveRaw('Assignment_3_Ada_Lovelace.zip', [
    { name: '../evil.ts', data: Buffer.from('pwned') },
    { name: '../../dnn_misc.ts', data: Buffer.from('pwned') },
    { name: '/tmp/absolute.ts', data: Buffer.from('pwned') },
    ...allFiles().map(([name, data]) => ({ name, data })),
  ]);

  const submission = await openSubmission(zipPath, scratch);

  const refused = submission.problems.filter((p) => p.kind === 'entry-refused');
  expect(refused.map((p) => p.message.match(/'([^']+)'/)?.[1])).toEqual([
    '../evil.ts',
    '../../dnn_misc.ts',
    '/tmp/absolute.ts',
  ]);
  expect(submission.files).toEqual([...SUBMISSION_FILES].sort());
  expect(fs.readFileSync(path.join(submission.root, 'dnn_misc.ts'))).toEqual(
    contentOf('dnn_misc.ts'),
  );
  expect(fs.readdirSync(tmp).sort()).toEqual(['in', 'scratch']);
  expect(tree(inDir)).toEqual(['Assignment_3_Ada_Lovelace.zip']);
  expect(tree(scratch)).toEqual(
    [
      'Assignment_3_Ada_Lovelace',
      ...SUBMISSION_FILES.map((f) => `Assignment_3_Ada_Lovelace/${f}`),
    ].sort(),
  );
});

test('a symlink entry is skipped, never created', async () => {
  const files = allFiles().filter(([name]) => name !== 'collaboration.txt');
  const zipPath = await yazlZip('Assignment_3_Ada_Lovelace.zip', [
    ...entriesOf(files),
    { name: 'collaboration.txt', data: Buffer.from('/etc/passwd'), mode: 0o120777 },
  ]);

  const submission = await openSubmission(zipPath, scratch);

  expect(kinds(submission.problems)).toEqual(['entry-refused', 'missing-file']);
  expect(submission.problems[0].message).toMatch(/collaboration\.txt.*symbolic link/);
  expect(submission.files).not.toContain('collaboration.txt');
  for (const name of submission.files) {
    expect(fs.lstatSync(path.join(submission.root, name)).isFile()).toBe(true);
  }
});

test('a highly compressible entry over the per-file cap is stopped; nothing is kept', async () => {
  const zipPath = saveRaw('Assignment_3_Ada_Lovelace.zip', [
    { name: 'dnn_misc.ts', data: Buffer.alloc(INTAKE_LIMITS.maxFileBytes + MiB) }, // ~21 KiB zipped
    ...allFiles()
      .slice(1)
      .map(([name, data]) => ({ name, data })),
  ]);
  expect(fs.statSync(zipPath).size).toBeLessThan(100 * 1024);

  const error = await intakeError(openSubmission(zipPath, scratch));

  expect(error.kind).toBe('too-large');
  expect(error.message).toMatch(/'dnn_misc\.ts' is larger than 20 MiB per file/);
  expect(tree(scratch)).toEqual([]);
});

test('the total cap counts the bytes of all expected files together', async () => {
  const limits: IntakeLimits = { maxEntries: 50, maxFileBytes: MiB, maxTotalBytes: 2 * MiB };
  const zipPath = saveRaw(
    'Assignment_3_Ada_Lovelace.zip',
    SUBMISSION_FILES.map((name) => ({ name, data: Buffer.alloc(0.9 * MiB) })),
  );

  const error = await intakeError(openSubmission(zipPath, scratch, limits));

  expect(error.kind).toBe('too-large');
  expect(error.message).toMatch(/larger than 2 MiB in total/);
});

test('an entry whose header lies about its size is stopped early', async () => {
  const zipPath = saveRaw('Assignment_3_Ada_Lovelace.zip', [
    { name: 'dnn_misc.ts', data: Buffer.alloc(64 * MiB), declaredSize: 1000 },
    ...allFiles()
      .slice(1)
      .map(([name, data]) => ({ name, data })),
  ]);
  const started = Date.now();

  const error = await intakeError(openSubmission(zipPath, scratch));

  expect(error.kind).toBe('corrupt');
  expect(error.message).toMatch(/dnn_misc\.ts.*does not match the size its header declares/);
  expect(Date.now() - started).toBeLessThan(2000);
  expect(tree(scratch)).toEqual([]);
});

test('a truncated zip, a text file and a RAR named .zip give IntakeErrors that say why', async () => {
  const good = fs.readFileSync(await yazlZip('good.zip', entriesOf(allFiles())));
  const truncated = path.join(inDir, 'Assignment_3_Ada_Lovelace.zip');
  fs.writeFileSync(truncated, good.subarray(0, Math.floor(good.length / 2)));
  const text = path.join(inDir, 'Assignment_3_Alan_Turing.zip');
  fs.writeFileSync(text, 'this is not a zip\n');
  const rar = path.join(inDir, 'Assignment_3_Grace_Hopper.zip');
  fs.writeFileSync(rar, Buffer.from('Rar!\x1a\x07\x00 rest of a rar', 'latin1'));

  const truncatedError = await intakeError(openSubmission(truncated, scratch));
  const textError = await intakeError(openSubmission(text, scratch));
  const rarError = await intakeError(openSubmission(rar, scratch));

  expect(truncatedError.kind).toBe('corrupt');
  expect(truncatedError.message).toMatch(/truncated or damaged.*upload it again/);
  expect(textError.kind).toBe('not-a-zip');
  expect(textError.message).toMatch(/expected a zip file.*does not start with a zip header/);
  expect(rarError.message).toMatch(/it is a RAR archive/);
  expect(tree(scratch)).toEqual([]);
});

test('an empty zip, a zero-byte file and a zip of only junk are refused as empty', async () => {
  const emptyZip = await yazlZip('Assignment_3_Ada_Lovelace.zip', []);
  const zeroBytes = path.join(inDir, 'Assignment_3_Alan_Turing.zip');
  fs.writeFileSync(zeroBytes, '');
  const onlyJunk = await yazlZip('Assignment_3_Grace_Hopper.zip', [
    { name: '__MACOSX/._dnn_misc.ts', data: Buffer.from('x') },
  ]);

  for (const zipPath of [emptyZip, zeroBytes, onlyJunk]) {
    const error = await intakeError(openSubmission(zipPath, scratch));
    expect(error.kind).toBe('empty');
  }
});

test('wrong-case names are used under the expected name and reported', async () => {
  const files = allFiles().map(([name, data]): [string, Buffer] =>
    name === 'dnn_misc.ts' ? ['DNN_misc.ts', data] : [name, data],
  );
  const zipPath = await yazlZip('Assignment_3_Ada_Lovelace.zip', entriesOf(files));

  const submission = await openSubmission(zipPath, scratch);

  expect(submission.files).toEqual([...SUBMISSION_FILES].sort());
  expect(submission.problems).toEqual([
    { kind: 'wrong-case', message: expect.stringMatching(/'dnn_misc\.ts', found 'DNN_misc\.ts'/) },
  ]);
});

test('duplicates, nested zips, extras and near-miss names are reported', async () => {
  const files = allFiles().filter(([name]) => name !== 'dnn_cnn_2.ts');
  const zipPath = await yazlZip('assignment_3_ada_lovelace (1).zip', [
    { name: 'old/dnn_misc.ts', data: contentOf('dnn_misc.ts', ' (old)') },
    ...entriesOf(files),
    { name: 'dnn_cnn_2.py', data: Buffer.from('python') },
    { name: 'backup.zip', data: Buffer.from('PK') },
  ]);

  const submission = await openSubmission(zipPath, scratch);

  expect(submission.student).toEqual({ first: 'ada', last: 'lovelace' });
  expect(kinds(submission.problems)).toEqual([
    'duplicate-file',
    'extra-files',
    'missing-file',
    'name-pattern',
    'nested-zip',
  ]);
  const message = (kind: string) => submission.problems.find((p) => p.kind === kind)?.message;
  expect(message('duplicate-file')).toMatch(/found 2: 'dnn_misc\.ts', 'old\/dnn_misc\.ts'/);
  expect(message('missing-file')).toMatch(/'dnn_cnn_2\.ts', found only 'dnn_cnn_2\.py'/);
  expect(fs.readFileSync(path.join(submission.root, 'dnn_misc.ts'))).toEqual(
    contentOf('dnn_misc.ts'),
  );
});

test('two entries with the same path: the first in the archive is used, and said so', async () => {
  const others = allFiles().filter(([name]) => name !== 'dnn_misc.ts');
  const zipPath = saveRaw('Assignment_3_Ada_Lovelace.zip', [
    ...others.slice(0, 2).map(([name, data]) => ({ name, data })),
    { name: 'dnn_misc.ts', data: contentOf('dnn_misc.ts', ' (first)') }, // entry 3
    ...others.slice(2).map(([name, data]) => ({ name, data })),
    { name: 'dnn_misc.ts', data: contentOf('dnn_misc.ts', ' (second)') },
  ]);

  const submission = await openSubmission(zipPath, scratch);

  expect(fs.readFileSync(path.join(submission.root, 'dnn_misc.ts'))).toEqual(
    contentOf('dnn_misc.ts', ' (first)'),
  );
  expect(submission.files).toEqual([...SUBMISSION_FILES].sort());
  expect(tree(submission.root)).toEqual([...SUBMISSION_FILES].sort());
  expect(submission.problems).toEqual([
    {
      kind: 'duplicate-file',
      message: expect.stringContaining(
        "found 2 entries named 'dnn_misc.ts'; used the first in the archive (entry 3 of the zip)",
      ),
    },
  ]);
});

test('same-path copies next to a deeper one: the shallow path, its first entry', async () => {
  const zipPath = saveRaw('Assignment_3_Ada_Lovelace.zip', [
    { name: 'old/dnn_misc.ts', data: contentOf('dnn_misc.ts', ' (old)') },
    { name: 'dnn_misc.ts', data: contentOf('dnn_misc.ts', ' (first)') }, // entry 2
    { name: 'dnn_misc.ts', data: contentOf('dnn_misc.ts', ' (second)') },
    ...allFiles()
      .slice(1)
      .map(([name, data]) => ({ name, data })),
  ]);

  const submission = await openSubmission(zipPath, scratch);

  expect(fs.readFileSync(path.join(submission.root, 'dnn_misc.ts'))).toEqual(
    contentOf('dnn_misc.ts', ' (first)'),
  );
  expect(kinds(submission.problems)).toEqual(['duplicate-file']);
  expect(submission.problems[0].message).toContain(
    "found 3: 'dnn_misc.ts' (2 entries), 'old/dnn_misc.ts'; used 'dnn_misc.ts', the shallowest, " +
      'and of its 2 entries the first in the archive (entry 2 of the zip).',
  );
});

test('an exact-case name in a subfolder beats a wrong-case name at the top level', async () => {
  const zipPath = await yazlZip('Assignment_3_Ada_Lovelace.zip', [
    { name: 'DNN_misc.ts', data: contentOf('dnn_misc.ts', ' (wrong case)') },
    ...entriesOf(allFiles().filter(([name]) => name !== 'dnn_misc.ts')),
    { name: 'hw/dnn_misc.ts', data: contentOf('dnn_misc.ts') },
  ]);

  const submission = await openSubmission(zipPath, scratch);

  expect(fs.readFileSync(path.join(submission.root, 'dnn_misc.ts'))).toEqual(
    contentOf('dnn_misc.ts'),
  );
  expect(kinds(submission.problems)).toEqual(['duplicate-file', 'in-subfolder']);
  const message = (kind: string) => submission.problems.find((p) => p.kind === kind)?.message;
  expect(message('duplicate-file')).toContain(
    "found 2: 'hw/dnn_misc.ts', 'DNN_misc.ts'; used 'hw/dnn_misc.ts', " +
      'the one named with the exact case',
  );
  expect(message('in-subfolder')).toMatch(/found 1 in folder 'hw\/'/);
});

test('a zip whose every file is refused says which and why, not "empty"', async () => {
  const slip = saveRaw('Assignment_3_Ada_Lovelace.zip', [
    { name: '../dnn_misc.ts', data: Buffer.from('outside') },
  ]);
  const bzip2 = saveRaw('Assignment_3_Alan_Turing.zip', [
    { name: 'dnn_misc.ts', data: Buffer.from('BZh91AY&SY not really'), method: 12 },
    { name: '__MACOSX/._dnn_misc.ts', data: Buffer.from('apple double') },
  ]);

  const slipError = await intakeError(openSubmission(slip, scratch));
  const bzip2Error = await intakeError(openSubmission(bzip2, scratch));

  expect(slipError.kind).toBe('refused');
  expect(slipError.message).toMatch(/'\.\.\/dnn_misc\.ts': its path .*leaves the submission/);
  expect(slipError.message).not.toMatch(/no files/);
  expect(bzip2Error.kind).toBe('refused');
  expect(bzip2Error.message).toMatch(
    /'dnn_misc\.ts': it uses compression method 12 \(bzip2\).*standard Deflate method/,
  );
  expect(bzip2Error.message).toMatch(/zip the plain files again and resubmit/);
  expect(tree(scratch)).toEqual([]);
  expect(fs.readdirSync(tmp).sort()).toEqual(['in']);
});

test('a name off the pattern leaves the student unknown', async () => {
  const zipPath = await yazlZip('hw3 final.zip', entriesOf(allFiles()));

  const submission = await openSubmission(zipPath, scratch);

  expect(submission.student).toBeUndefined();
  expect(kinds(submission.problems)).toEqual(['name-pattern']);
  expect(submission.root).toBe(path.join(scratch, 'hw3_final'));
});

test('too many entries is refused before anything is extracted', async () => {
  const limits: IntakeLimits = { ...INTAKE_LIMITS, maxEntries: 5 };
  const zipPath = await yazlZip('Assignment_3_Ada_Lovelace.zip', entriesOf(allFiles()));

  const error = await intakeError(openSubmission(zipPath, scratch, limits));

  expect(error.kind).toBe('too-many-entries');
  expect(tree(scratch)).toEqual([]);
});

test('a directory submission is copied without following links out of it', async () => {
  const dir = path.join(inDir, 'Assignment_3_Ada_Lovelace');
  const folder = path.join(dir, 'work');
  fs.mkdirSync(path.join(folder, 'node_modules', 'pkg'), { recursive: true });
  for (const [name, data] of allFiles()) {
    if (name !== 'collaboration.txt') fs.writeFileSync(path.join(folder, name), data);
  }
  const secret = path.join(tmp, 'secret.txt');
  fs.writeFileSync(secret, 'outside the submission');
  fs.symlinkSync(secret, path.join(folder, 'collaboration.txt'));
  fs.writeFileSync(path.join(folder, 'node_modules', 'pkg', 'dnn_misc.ts'), 'not this one');

  const submission = await openSubmission(dir, scratch);

  expect(submission.name).toBe('Assignment_3_Ada_Lovelace');
  expect(submission.files).toEqual(
    SUBMISSION_FILES.filter((f) => f !== 'collaboration.txt').sort(),
  );
  expect(kinds(submission.problems)).toEqual([
    'entry-refused',
    'in-subfolder',
    'junk-ignored',
    'missing-file',
  ]);
  expect(fs.readFileSync(path.join(submission.root, 'dnn_misc.ts'))).toEqual(
    contentOf('dnn_misc.ts'),
  );
  expect(fs.readFileSync(secret, 'utf8')).toBe('outside the submission');
});

test('two submissions with the same name get separate roots', async () => {
  const zipPath = await yazlZip('Assignment_3_Ada_Lovelace.zip', entriesOf(allFiles()));

  const first = await openSubmission(zipPath, scratch);
  const second = await openSubmission(zipPath, scratch);

  expect(second.root).toBe(`${first.root}-2`);
  expect(second.files).toEqual(first.files);
});
