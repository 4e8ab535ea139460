// Checks the CLI makes before mutating, where IGFS alone would not behave like POSIX (igfs-protocol.md §5.4-5.6:
// MAKE_DIRECTORIES and OPEN_CREATE create missing parents, DELETE of a missing path is not an error).
import type { IgfsClient, IgfsFileInfo } from '../../igfs/client.js';
import { parentPath } from '../../igfs/protocol/igfs-path.js';
import { OperationError, Reason } from './cli-errors.js';

/** The entry at `path`, or an OperationError "No such file or directory". */
export async function requireEntry(client: IgfsClient, path: string): Promise<IgfsFileInfo> {
  const info = await client.info(path);
  if (info === null) throw new OperationError(path, Reason.notFound);
  return info;
}

/**
 * Fails unless the parent of `path` exists and is a directory, the way open(O_CREAT) and mkdir(2) fail, instead of
 * letting IGFS create the missing parents (with the child's properties, at that).
 */
export async function requireParentDirectory(client: IgfsClient, path: string): Promise<void> {
  const parent = parentPath(path);
  if (parent === null) return;
  const info = await client.info(parent);
  if (info === null) throw new OperationError(path, Reason.notFound);
  if (!info.isDirectory) throw new OperationError(path, Reason.notDirectory);
}
