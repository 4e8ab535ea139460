// POSIX-level errors raised by the filesystem and the views. Mapped to numeric errno only in fuse/errno.ts.

export type FsErrorCode =
  | 'ENOENT' | 'EEXIST' | 'ENOTEMPTY' | 'EISDIR' | 'ENOTDIR' | 'EROFS' | 'ENOSPC' | 'EIO'
  | 'EBUSY' | 'EACCES' | 'EPERM' | 'EINVAL' | 'ENAMETOOLONG' | 'EFBIG' | 'EBADF' | 'ENOSYS'
  | 'ETIMEDOUT' | 'EXDEV' | 'ENOTSUP' | 'EMLINK' | 'ENXIO' | 'EAGAIN' | 'ENODATA';

export class FsError extends Error {
  readonly code: FsErrorCode;
  readonly path: string | undefined;

  constructor(code: FsErrorCode, message: string, options?: { path?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FsError';
    this.code = code;
    this.path = options?.path;
  }
}

export function isFsError(err: unknown, code?: FsErrorCode): err is FsError {
  return err instanceof FsError && (code === undefined || err.code === code);
}
