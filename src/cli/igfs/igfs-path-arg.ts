// IGFS paths as users type them -> the normalized absolute paths the wire client insists on (the server does not
// normalize; see igfs/protocol/igfs-path.ts).
//
// Choice (documented in `--help`): a relative path is resolved against `/`, since IGFS has no working directory
// and no home directory; `data/x` means `/data/x`. `.` and `..` are resolved, repeated and trailing slashes dropped,
// and `..` above the root stays at the root, as in a shell.
import { posix } from 'node:path';
import { InvalidPathError } from '../../igfs/errors.js';
import { validatePath } from '../../igfs/protocol/igfs-path.js';
import { UsageError } from './cli-errors.js';

export function normalizeIgfsPath(arg: string): string {
  if (arg.length === 0) throw new UsageError('empty IGFS path');
  if (arg.includes('\0')) throw new UsageError(`IGFS path contains a NUL character: ${JSON.stringify(arg)}`);
  const path = posix.resolve('/', arg);
  try {
    return validatePath(path);
  } catch (err) {
    if (err instanceof InvalidPathError) throw new UsageError(err.message, { cause: err });
    throw err;
  }
}
