// Runs one FUSE operation and answers it exactly once. The binding posts one semaphore per answer: a second answer
// would release the NEXT request of that FUSE thread with this one's result, and no answer hangs the caller in
// the kernel. So whatever a handler does (returns, rejects, throws synchronously, throws a non-FsError), the kernel
// gets one reply, and every failure leaves one log line.
import { errnoName, errnoOf, isRoutineFailure } from './errno.js';

/** What the FUSE layer needs of a logger (src/log's Logger satisfies it). */
export interface FuseLogger {
  warn(message: string): void;
  debug(message: string): void;
}

/** Told about every answered op; for tests and metrics. `errno` is 0 or negative. */
export type OpObserver = (op: string, path: string, errno: number) => void;

export class OpAdapter {
  constructor(
    private readonly logger: FuseLogger,
    private readonly observer?: OpObserver,
  ) {}

  /**
   * Calls `work` and then `answer(0, value)` on success or `answer(negativeErrno)` on failure, once.
   * `answer` is the binding's callback (or a thin wrapper of it) and must not throw; if it does, that is logged.
   */
  run<T>(op: string, path: string, work: () => Promise<T>, answer: (errno: number, value?: T) => void): void {
    let answered = false;
    const reply = (errno: number, value?: T): void => {
      if (answered) {
        // Cannot happen through this class; kept as a tripwire because a double answer corrupts another request.
        this.logger.warn(`fuse ${op} ${path}: second answer suppressed`);
        return;
      }
      answered = true;
      try {
        this.observer?.(op, path, errno);
      } catch {
        // An observer is a bystander: its failure must not cost the reply.
      }
      try {
        answer(errno, value);
      } catch (err) {
        this.logger.warn(`fuse ${op} ${path}: answering failed: ${describe(err)}`);
      }
    };
    const fail = (err: unknown): void => {
      const errno = errnoOf(err);
      try {
        const line = `fuse ${op} ${path}: ${errnoName(errno)}: ${describe(err)}`;
        if (isRoutineFailure(err)) this.logger.debug(line);
        else this.logger.warn(line);
      } catch {
        // A broken logger must not keep the kernel waiting for this reply.
      }
      reply(errno);
    };

    let pending: Promise<T>;
    try {
      pending = work();
    } catch (err) {
      fail(err);
      return;
    }
    pending.then((value) => reply(0, value), fail);
  }
}

/** Message plus its cause chain, on one line. */
function describe(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    if (current instanceof Error) {
      parts.push(current.name === 'Error' || current.name === 'FsError' ? current.message : `${current.name}: ${current.message}`);
      current = current.cause;
    } else {
      parts.push(String(current));
      break;
    }
  }
  return parts.join(' <- ').replace(/\s+/g, ' ');
}
