/**
 * The sandbox against hostile scripts, with real child processes. Each test writes its script
 * into a fresh temp work dir; "outside" is a second temp dir the child must not touch.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import execa from 'execa';
import { runSandboxed, transpileDirectory, SandboxOptions } from '../grader/sandbox';

let workDir: string;
let outsideDir: string;

beforeEach(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-work-'));
  outsideDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-outside-'));
});

afterEach(() => {
  fs.rmSync(workDir, { recursive: true, force: true });
  fs.rmSync(outsideDir, { recursive: true, force: true });
});

/** Writes `source` as workDir/main.js and runs it with a 10 s limit unless told otherwise. */
function run(source: string, options: Partial<SandboxOptions> = {}) {
  fs.writeFileSync(path.join(workDir, 'main.js'), source);
  return runSandboxed({ workDir, entry: 'main.js', timeoutMs: 10_000, ...options });
}

test('a well-behaved TypeScript script writes its result in workDir and exits 0', async () => {
  // A package.json above workDir must not turn the transpiled files into ES modules.
  const project = path.join(outsideDir, 'project');
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(outsideDir, 'package.json'), '{ "type": "module" }');
  fs.rmSync(workDir, { recursive: true });
  workDir = project;
  fs.writeFileSync(
    path.join(workDir, 'train.ts'),
    [
      "import * as fs from 'fs';",
      'const epochs: number = Number(process.argv[2]);',
      "fs.writeFileSync('result.json', JSON.stringify({ epochs, cwd: process.cwd() }));",
      "console.log('done');",
    ].join('\n'),
  );

  expect(transpileDirectory(workDir)).toEqual([]);
  const result = await runSandboxed({ workDir, entry: 'train.js', args: ['3'], timeoutMs: 10_000 });

  expect(result).toMatchObject({ exitCode: 0, signal: null, timedOut: false, outOfMemory: false });
  expect(result.stdout.trim()).toBe('done');
  expect(result.stderr).toBe(''); // no ExperimentalWarning
  const written = JSON.parse(fs.readFileSync(path.join(workDir, 'result.json'), 'utf8'));
  expect(written).toEqual({ epochs: 3, cwd: fs.realpathSync(workDir) });
});

test('an endless loop is killed at the timeout', async () => {
  const result = await run('while (true) {}', { timeoutMs: 800 });

  expect(result.timedOut).toBe(true);
  expect(result.signal).toBe('SIGKILL');
  expect(result.exitCode).toBeNull();
  expect(result.durationMs).toBeGreaterThanOrEqual(800);
  expect(result.durationMs).toBeLessThan(5000);
});

test('writing outside workDir is refused and leaves no file', async () => {
  const target = path.join(outsideDir, 'evil.txt');
  const result = await run(`require('fs').writeFileSync(${JSON.stringify(target)}, 'x');`);

  expect(result.exitCode).not.toBe(0);
  expect(result.stderr).toContain('ERR_ACCESS_DENIED');
  expect(fs.existsSync(target)).toBe(false);
});

test('reading is limited to workDir and readPaths', async () => {
  const data = path.join(outsideDir, 'data.json');
  const secret = path.join(outsideDir, 'secret.txt');
  fs.writeFileSync(data, '[1,2,3]');
  fs.writeFileSync(secret, 'answer key');
  const source = `
    const fs = require('fs');
    console.log(fs.readFileSync(${JSON.stringify(data)}, 'utf8'));
    try { fs.readFileSync(${JSON.stringify(secret)}); console.log('secret read'); }
    catch (error) { console.log(error.code); }`;

  const result = await run(source, { readPaths: [data] });

  expect(result.exitCode).toBe(0);
  expect(result.stdout.trim().split('\n')).toEqual(['[1,2,3]', 'ERR_ACCESS_DENIED']);
});

test('starting a process is refused', async () => {
  const target = path.join(outsideDir, 'touched');
  const source = `require('child_process').execSync('touch ${target}');`;

  const result = await run(source);

  expect(result.exitCode).not.toBe(0);
  expect(result.stderr).toContain('ERR_ACCESS_DENIED');
  expect(fs.existsSync(target)).toBe(false);
});

test('signalling or renicing another process is refused', async () => {
  const victim = execa('sleep', ['30']);
  try {
    const source = `
      const attempt = (action) => { try { action(); return 'done'; } catch (e) { return e.code; } };
      console.log(attempt(() => process.kill(${victim.pid}, 'SIGKILL')));
      console.log(attempt(() => process.kill(0, 'SIGKILL')));
      console.log(attempt(() => require('os').setPriority(${victim.pid}, 19)));
      console.log(attempt(() => require('v8').setFlagsFromString('--allow-natives-syntax')));
      console.log(attempt(() => process.kill(process.pid, 0)));`;

    const result = await run(source);

    expect(result.exitCode).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual([
      'ERR_ACCESS_DENIED',
      'ERR_ACCESS_DENIED',
      'ERR_ACCESS_DENIED',
      'ERR_ACCESS_DENIED',
      'done',
    ]);
    expect(victim.exitCode).toBeNull();
    expect(victim.killed).toBe(false);
  } finally {
    victim.kill('SIGKILL');
    await victim.catch(() => undefined);
  }
});

test('50 MB on stdout is truncated to about maxOutputBytes, keeping head and tail', async () => {
  const source = `
    const chunk = 'y'.repeat(1024 * 1024 - 1) + '\\n';
    process.stdout.write('FIRST\\n');
    for (let i = 0; i < 50; i++) process.stdout.write(chunk);
    process.stdout.write('LAST\\n');`;
  const rssBefore = process.memoryUsage().rss;

  const result = await run(source, { maxOutputBytes: 64 * 1024 });

  expect(result.exitCode).toBe(0);
  expect(result.outputTruncated).toBe(true);
  expect(result.stdout.length).toBeLessThan(64 * 1024 + 100);
  expect(result.stdout.startsWith('FIRST\n')).toBe(true);
  expect(result.stdout.endsWith('LAST\n')).toBe(true);
  expect(result.stdout).toMatch(/\[\.\.\. \d+ bytes omitted by the grader \.\.\.\]/);
  expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);
});

test('allocating without bound is reported as out of memory', async () => {
  const source = 'const kept = []; while (true) kept.push({ values: [Math.random(), 1, 2, 3] });';

  const result = await run(source, { memoryMb: 32 });

  expect(result.outOfMemory).toBe(true);
  expect(result.timedOut).toBe(false);
  expect(result.exitCode === 0).toBe(false);
});

test('a syntax error comes back from transpileDirectory with file, line and column', () => {
  fs.writeFileSync(path.join(workDir, 'ok.ts'), 'export const x: number = 1;\n');
  fs.writeFileSync(
    path.join(workDir, 'dnn_misc.ts'),
    'export function f(): number {\n  return 1;\n  const = 2;\n}\n',
  );

  const problems = transpileDirectory(workDir);

  expect(problems.length).toBeGreaterThan(0);
  expect(problems[0]).toMatchObject({ file: 'dnn_misc.ts', line: 3, column: 9 });
  expect(problems[0].message).toMatch(/expected/i);
  expect(fs.existsSync(path.join(workDir, 'ok.js'))).toBe(true);
});

test('process.exit(3) gives exit code 3', async () => {
  const result = await run('process.exit(3);');

  expect(result).toMatchObject({ exitCode: 3, signal: null, timedOut: false });
});

test("the grader's environment is not visible to the child", async () => {
  process.env.DNN_GRADER_CANARY = 'canary-value';
  try {
    const result = await run('console.log(JSON.stringify(process.env));', {
      env: { RUN_NAME: 'q33' },
    });

    const childEnv = JSON.parse(result.stdout);
    expect(childEnv.DNN_GRADER_CANARY).toBeUndefined();
    expect(result.stdout).not.toContain('canary-value');
    expect(childEnv).toMatchObject({ HOME: workDir, RUN_NAME: 'q33' });
    expect(childEnv.NODE_OPTIONS).toBeUndefined();
  } finally {
    delete process.env.DNN_GRADER_CANARY;
  }
});
