/**
 * Exit codes of the CLI, one per kind of ending, and the error type that carries them.
 */
export const EXIT = {
  ok: 0,
  /** Graded or checked, and something failed or lost points. */
  failures: 1,
  /** The command line or an input path is wrong; nothing was graded. */
  usage: 2,
  /** A submission could not be opened at all. */
  badSubmission: 3,
  /** A bug or an environment problem in the grader itself. */
  internal: 70,
} as const;

/** An error the user can fix; its message says what was expected, what was found, what to do. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
    this.name = 'UserError';
  }
}
