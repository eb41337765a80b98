/**
 * Runs untrusted student code in a child Node process that can write only in its work dir.
 *
 * Isolation comes from Node 20's permission model (`--experimental-permission`): file reads are
 * limited to the work dir plus named paths, writes to the work dir, and without
 * `--allow-child-process`, `--allow-worker`, `--allow-addons` or `--allow-wasi` the child cannot
 * start processes, threads, native code or WASI. Node's own documentation calls this model a seat
 * belt, not a security boundary against code that exploits V8 or Node bugs; it also leaves the
 * network and disk space unrestricted. Run the grader as an unprivileged user in a container when
 * the submissions come from people who may attack it.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Readable } from 'stream';
import execa from 'execa';
import * as ts from 'typescript';

export interface TranspileProblem {
  file: string; // relative to the transpiled dir
  line: number; // 1-based
  column: number; // 1-based
  message: string;
}

/**
 * Transpiles every `.ts` file directly in `dir` (not `.d.ts`, not symlinks, no subfolders) to a
 * CommonJS `.js` beside it, without type checking. Syntax problems are returned, not thrown; the
 * `.js` is written even then, so that a run shows the student the error Node reports.
 */
export function transpileDirectory(dir: string): TranspileProblem[] {
  // Node reads `type` from the nearest package.json, even one above `dir` that the sandbox cannot
  // otherwise read; `"type": "module"` there would turn the .js files into ES modules.
  const packageJson = path.join(dir, 'package.json');
  if (!fs.existsSync(packageJson)) {
    fs.writeFileSync(packageJson, '{ "type": "commonjs" }\n');
  }

  const problems: TranspileProblem[] = [];
  const names = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter(
      (entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'),
    )
    .map((entry) => entry.name)
    .sort();

  for (const name of names) {
    const source = fs.readFileSync(path.join(dir, name), 'utf8');
    const output = ts.transpileModule(source, {
      fileName: name,
      reportDiagnostics: true,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
        // Inline maps plus `--enable-source-maps` make stack traces name the student's .ts lines.
        inlineSourceMap: true,
        inlineSources: true,
      },
    });

    for (const diagnostic of output.diagnostics ?? []) {
      problems.push(toProblem(name, diagnostic));
    }
    fs.writeFileSync(path.join(dir, name.replace(/\.ts$/, '.js')), output.outputText);
  }

  return problems;
}

function toProblem(name: string, diagnostic: ts.Diagnostic): TranspileProblem {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
  if (diagnostic.file === undefined || diagnostic.start === undefined) {
    return { file: name, line: 1, column: 1, message };
  }

  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return { file: name, line: line + 1, column: character + 1, message };
}

export interface SandboxOptions {
  workDir: string; // absolute; the child's cwd, HOME and TMPDIR, and the only place it may write
  entry: string; // .js file relative to workDir (already transpiled)
  args?: string[];
  timeoutMs: number; // wall-clock limit; the whole process group is SIGKILLed after it
  memoryMb?: number; // V8 heap limit (--max-old-space-size), default 1024
  readPaths?: string[]; // extra absolute files or directories the child may read
  env?: Record<string, string>; // added to the child's minimal env (PATH, HOME, TMPDIR, LANG)
  maxOutputBytes?: number; // per stream; past it, the middle is dropped (default 1 MiB)
}

export interface SandboxResult {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  outOfMemory: boolean; // best effort: V8's fatal heap message in stderr
  stdout: string;
  stderr: string;
  outputTruncated: boolean;
  durationMs: number;
}

export const DEFAULT_MEMORY_MB = 1024;
export const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;

/** After the child exits, how long its pipes may take to drain before they are cut. */
const DRAIN_GRACE_MS = 2000;

const OUT_OF_MEMORY_PATTERN =
  /JavaScript heap out of memory|Reached heap limit|Array buffer allocation failed/;

/**
 * Runs before the student's code (as `--import`, so no file the child could rewrite). It limits
 * `process.kill` to the child itself, since the permission model of Node 20 lets any process
 * signal any other process of the same user, the grader included; likewise `os.setPriority`. It
 * removes `v8.setFlagsFromString`, the one way left to change V8 flags such as
 * `--allow-natives-syntax`.
 */
const PRELUDE = `
import os from 'node:os';
import v8 from 'node:v8';
const rawKill = process._kill;
const self = process.pid;
const denied = (what) => Object.assign(new Error('sandbox: ' + what + ' is not allowed'), {
  code: 'ERR_ACCESS_DENIED',
});
Object.defineProperty(process, '_kill', {
  value(pid, signal) {
    if (pid !== self) throw denied('signalling another process');
    return rawKill.call(process, pid, signal);
  },
  writable: false,
  configurable: false,
});
const setPriority = os.setPriority;
Object.defineProperty(os, 'setPriority', {
  value(pid, priority) {
    if (priority === undefined) return setPriority(pid);
    if (pid !== 0 && pid !== self) throw denied('changing the priority of another process');
    return setPriority(pid, priority);
  },
  writable: false,
  configurable: false,
});
Object.defineProperty(v8, 'setFlagsFromString', {
  value() { throw denied('changing V8 flags'); },
  writable: false,
  configurable: false,
});
`;

/** Process groups still running, killed if the grader itself exits first. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const pid of liveGroups) killGroup(pid);
  });
  // Ctrl-C or a kill: the children are process-group leaders of their own, so the terminal's
  // signal does not reach them; end them here, then die of the same signal.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      for (const pid of liveGroups) killGroup(pid);
      for (const listener of signalListeners) listener();
      process.kill(process.pid, signal);
    });
  }
}

/** Cleanups to run when the grader is interrupted (e.g. removing scratch directories). */
const signalListeners = new Set<() => void>();

export function onInterrupt(listener: () => void): () => void {
  signalListeners.add(listener);
  return () => signalListeners.delete(listener);
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** Node's command line: permission flags, limits and the entry file. */
export function sandboxNodeArgs(options: SandboxOptions): string[] {
  const memoryMb = options.memoryMb ?? DEFAULT_MEMORY_MB;
  // Node 20 takes one path per flag (a comma is part of the path, with a warning about the old
  // list syntax on stderr); a directory grants its whole tree.
  // Node needs no read access to its own binary or the prelude (a data: URL) to boot.
  // A path is granted both as given and resolved, since the child's cwd is the resolved one.
  const readable = [options.workDir, ...(options.readPaths ?? [])].flatMap(withRealPath);
  const readFlags = [...new Set(readable)].map((readPath) => `--allow-fs-read=${readPath}`);
  const writeFlags = withRealPath(options.workDir).map((dir) => `--allow-fs-write=${dir}`);

  return [
    '--experimental-permission',
    ...readFlags,
    ...writeFlags,
    '--disable-warning=ExperimentalWarning',
    `--max-old-space-size=${memoryMb}`, // Buffers live outside this heap and are not capped
    // --stack-size stays at V8's default: above the OS thread stack, deep recursion segfaults.
    '--enable-source-maps',
    '--import',
    `data:text/javascript,${encodeURIComponent(PRELUDE)}`,
    path.join(options.workDir, options.entry),
    ...(options.args ?? []),
  ];
}

function withRealPath(given: string): string[] {
  try {
    const real = fs.realpathSync(given);
    return real === given ? [given] : [given, real];
  } catch {
    return [given]; // missing: the child will get ENOENT, which is its own business
  }
}

function validateOptions(options: SandboxOptions): void {
  const absolute = [options.workDir, ...(options.readPaths ?? [])];
  for (const given of absolute) {
    if (!path.isAbsolute(given)) {
      throw new TypeError(`runSandboxed: expected an absolute path, got '${given}'`);
    }
  }

  const relative = path.relative(options.workDir, path.resolve(options.workDir, options.entry));
  if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
    throw new TypeError(`runSandboxed: entry '${options.entry}' is outside workDir`);
  }
  if (!(options.timeoutMs > 0)) {
    throw new TypeError(`runSandboxed: timeoutMs must be > 0, got ${options.timeoutMs}`);
  }
}

/**
 * Runs `node <entry>` in the sandbox and reports how it ended. It never throws for anything the
 * child does (crash, hang, flood of output, OOM); it throws only for invalid options.
 */
export async function runSandboxed(options: SandboxOptions): Promise<SandboxResult> {
  validateOptions(options);
  const maxOutputBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const started = Date.now();

  // Minimal env: nothing of the grader's (tokens, NODE_OPTIONS, paths) leaks into the child.
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: options.workDir,
    TMPDIR: options.workDir,
    LANG: 'C.UTF-8',
    ...options.env,
  };

  // `detached` makes the child a process-group leader, so the timeout kills the whole group.
  // execa's own buffering is off: it would hold all output and kill the child at maxBuffer.
  const child = execa(process.execPath, sandboxNodeArgs(options), {
    cwd: options.workDir,
    env,
    extendEnv: false,
    detached: true,
    stdin: 'ignore',
    buffer: false,
    reject: false,
    cleanup: false,
  });

  const stdout = new BoundedOutput(maxOutputBytes);
  const stderr = new BoundedOutput(maxOutputBytes);
  const drained = Promise.all([stdout.drain(child.stdout), stderr.drain(child.stderr)]);

  const pid = child.pid;
  if (pid !== undefined) {
    liveGroups.add(pid);
    installExitHook();
  }

  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    if (pid !== undefined) killGroup(pid);
    child.kill('SIGKILL');
  }, options.timeoutMs);

  const result = await child;
  clearTimeout(timer);
  const durationMs = Date.now() - started;

  // The leader is gone; anything left in its group would only hold the pipes open.
  if (pid !== undefined) {
    killGroup(pid);
    liveGroups.delete(pid);
  }
  await withTimeout(drained, DRAIN_GRACE_MS);
  child.stdout?.destroy();
  child.stderr?.destroy();

  const exitCode = result.exitCode ?? null;
  const signal = result.signal ?? null;
  let stderrText = stderr.text();
  if (exitCode === null && signal === null) {
    const reason = 'shortMessage' in result ? String(result.shortMessage) : 'unknown error';
    stderrText += `\n[grader: could not start node: ${reason}]`;
  }

  return {
    exitCode,
    signal,
    timedOut,
    // A process that survived cannot have run out of memory, whatever it printed.
    outOfMemory: exitCode !== 0 && OUT_OF_MEMORY_PATTERN.test(stderrText),
    stdout: stdout.text(),
    stderr: stderrText,
    outputTruncated: stdout.truncated || stderr.truncated,
    durationMs,
  };
}

async function withTimeout(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([promise.then(() => undefined), expired]);
  clearTimeout(timer);
}

/**
 * Keeps the first and the last half of `limit` bytes of a stream and counts what falls in between:
 * a long log keeps both its start and the crash at its end. The stream is always read to its end,
 * so the child never blocks on a full pipe.
 */
class BoundedOutput {
  private readonly headLimit: number;
  private readonly tailLimit: number;
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private omittedBytes = 0;

  constructor(limit: number) {
    this.headLimit = Math.ceil(limit / 2);
    this.tailLimit = Math.floor(limit / 2);
  }

  get truncated(): boolean {
    return this.omittedBytes > 0;
  }

  drain(stream: Readable | null): Promise<void> {
    if (stream === null) return Promise.resolve();

    return new Promise((resolve) => {
      stream.on('data', (chunk: Buffer) => this.add(chunk));
      stream.on('error', () => resolve());
      stream.on('close', () => resolve());
      stream.on('end', () => resolve());
    });
  }

  private add(chunk: Buffer): void {
    const headRoom = this.headLimit - this.headBytes;
    if (headRoom > 0) {
      const part = chunk.subarray(0, headRoom);
      this.head.push(part);
      this.headBytes += part.length;
      chunk = chunk.subarray(part.length);
    }
    if (chunk.length === 0) return;

    // Copy, so a small slice does not pin a large chunk in memory.
    this.tail.push(Buffer.from(chunk));
    this.tailBytes += chunk.length;
    while (this.tailBytes > this.tailLimit) {
      const excess = this.tailBytes - this.tailLimit;
      const first = this.tail[0];
      if (first.length <= excess) {
        this.tail.shift();
        this.tailBytes -= first.length;
        this.omittedBytes += first.length;
      } else {
        this.tail[0] = Buffer.from(first.subarray(excess));
        this.tailBytes -= excess;
        this.omittedBytes += excess;
      }
    }
  }

  text(): string {
    const head = Buffer.concat(this.head).toString('utf8');
    const tail = Buffer.concat(this.tail).toString('utf8');
    if (!this.truncated) return head + tail;

    return `${head}\n[... ${this.omittedBytes} bytes omitted by the grader ...]\n${tail}`;
  }
}
