// The one numeric errno table: FsError codes -> the negative Linux errno a FUSE reply carries.
// Values come from node:os (the platform's own numbers), so nothing here is typed by hand.
import { constants } from 'node:os';
import { isFsError, type FsErrorCode } from '../fs/errors.js';

const E = constants.errno;

/** Every FsErrorCode (the Record makes the compiler reject a missing one). Positive values; replies negate them. */
const ERRNO: Readonly<Record<FsErrorCode, number>> = {
  ENOENT: E.ENOENT,
  EEXIST: E.EEXIST,
  ENOTEMPTY: E.ENOTEMPTY,
  EISDIR: E.EISDIR,
  ENOTDIR: E.ENOTDIR,
  EROFS: E.EROFS,
  ENOSPC: E.ENOSPC,
  EIO: E.EIO,
  EBUSY: E.EBUSY,
  EACCES: E.EACCES,
  EPERM: E.EPERM,
  EINVAL: E.EINVAL,
  ENAMETOOLONG: E.ENAMETOOLONG,
  EFBIG: E.EFBIG,
  EBADF: E.EBADF,
  ENOSYS: E.ENOSYS,
  ETIMEDOUT: E.ETIMEDOUT,
  EXDEV: E.EXDEV,
  ENOTSUP: E.ENOTSUP,
  EMLINK: E.EMLINK,
  ENXIO: E.ENXIO,
  EAGAIN: E.EAGAIN,
  ENODATA: E.ENODATA,
};

/** Outcomes a working filesystem answers all the time (lookups of absent names, mkdir -p...): logged at debug. */
const ROUTINE = new Set<FsErrorCode>([
  'ENOENT', 'EEXIST', 'ENOTEMPTY', 'EISDIR', 'ENOTDIR', 'EACCES', 'EPERM', 'ENOSYS', 'ENODATA', 'ENAMETOOLONG',
  'EROFS', 'ENOTSUP',
]);

/** Negative errno for a code. */
export function errnoFor(code: FsErrorCode): number {
  return -ERRNO[code];
}

/** Negative errno for anything a handler threw: its FsError code, or EIO for anything else (a bug, a TypeError). */
export function errnoOf(err: unknown): number {
  return isFsError(err) ? errnoFor(err.code) : -E.EIO;
}

/** The symbolic name of a negative (or positive) errno from this table, e.g. -2 -> "ENOENT"; "E<n>" otherwise. */
export function errnoName(errno: number): string {
  const positive = Math.abs(errno);
  for (const [code, value] of Object.entries(ERRNO)) if (value === positive) return code;
  return `E${positive}`;
}

/** True when a failure is a normal POSIX answer rather than a fault worth a warning. */
export function isRoutineFailure(err: unknown): boolean {
  return isFsError(err) && ROUTINE.has(err.code);
}
