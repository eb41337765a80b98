/**
 * The grader's one logger: progress and diagnostics go to stderr, results to stdout.
 * `-v` raises the level; `--quiet` silences everything but errors.
 */
export type Level = 'error' | 'info' | 'debug';
const ORDER: Record<Level, number> = { error: 0, info: 1, debug: 2 };

let current: Level = 'info';

export function setLevel(level: Level): void {
  current = level;
}

function write(level: Level, message: string): void {
  if (ORDER[level] <= ORDER[current]) process.stderr.write(`${message}\n`);
}

export const log = {
  error: (message: string): void => write('error', message),
  info: (message: string): void => write('info', message),
  debug: (message: string): void => write('debug', message),
};
