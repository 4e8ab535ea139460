// The two ways an `igfs` sub-command fails, which decide its exit code (design.md "Interfaces"):
// a usage error (exit 2: the command line itself is wrong) and an operation error (exit 1: the command line was
// fine but the operation failed). Both print one line: `ignite-fuse igfs <cmd>: <subject>: <reason>`.

/** The command line is wrong (bad path syntax, bad option value): exit 2. */
export class UsageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UsageError';
  }
}

/**
 * A POSIX-like failure the CLI detects itself (IGFS answers differently or not at all: MAKE_DIRECTORIES succeeds
 * on an existing directory, DELETE of a missing path returns false). `subject` is the path or endpoint it is about;
 * `reason` reads like strerror ("No such file or directory").
 */
export class OperationError extends Error {
  readonly subject: string;
  readonly reason: string;

  constructor(subject: string, reason: string, options?: { cause?: unknown }) {
    super(`${subject}: ${reason}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OperationError';
    this.subject = subject;
    this.reason = reason;
  }
}

/** strerror(3) texts of the conditions the CLI reports itself; the same words `ls`, `mkdir` and `rm` print. */
export const Reason = {
  notFound: 'No such file or directory',
  exists: 'File exists',
  isDirectory: 'Is a directory',
  notDirectory: 'Not a directory',
  notEmpty: 'Directory not empty',
  busy: 'Device or resource busy',
  noSpace: 'No space left on device',
  permission: 'Permission denied',
  brokenPipe: 'Broken pipe',
  io: 'Input/output error',
} as const;
