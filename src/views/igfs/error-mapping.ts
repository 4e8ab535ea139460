// The one place where IGFS client errors become POSIX errors for the IGFS view.
import { FsError, type FsErrorCode } from '../../fs/errors.js';
import {
  ConnectError, ConnectionClosedError, InvalidPathError, ProtocolError, ServerError, TimeoutError,
} from '../../igfs/errors.js';

const KIND_TO_CODE: Record<ServerError['kind'], FsErrorCode> = {
  'generic': 'EIO',
  'igfs-generic': 'EIO',
  'is-directory': 'EISDIR',
  'already-open-for-write': 'EBUSY',
  'out-of-space': 'ENOSPC',
  'not-found': 'ENOENT',
  'already-exists': 'EEXIST',
  'directory-not-empty': 'ENOTEMPTY',
  'parent-not-directory': 'ENOTDIR',
  'invalid-hdfs-version': 'EIO',
  'corrupted': 'EIO',
  'unknown': 'EIO',
};

/** Maps any error raised by IgfsClient to an FsError (already-FsErrors pass through). */
export function toFsError(err: unknown, what: string, path: string): FsError {
  if (err instanceof FsError) return err;
  let code: FsErrorCode = 'EIO';
  if (err instanceof ServerError) code = KIND_TO_CODE[err.kind];
  else if (err instanceof InvalidPathError) code = err.reason === 'too-long' ? 'ENAMETOOLONG' : 'EINVAL';
  else if (err instanceof TimeoutError || err instanceof ConnectError || err instanceof ConnectionClosedError
    || err instanceof ProtocolError) code = 'EIO';
  const reason = err instanceof Error ? err.message : String(err);
  return new FsError(code, `${what} ${path}: ${reason}`, { path, cause: err });
}

/** Runs `op`, mapping its failure with toFsError. */
export async function mapped<T>(what: string, path: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    throw toFsError(err, what, path);
  }
}
