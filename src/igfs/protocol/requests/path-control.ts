// The body shared by every path command (IgfsPathControlRequest, §3.1): user, path, destPath, flag, colocate, props,
// then a command-specific tail that the caller appends.

import type { CommandCode } from '../command.js';
import type { FrameWriter, StringMap } from '../frame-writer.js';
import { startRequest } from '../request-header.js';
import { validatePath } from '../igfs-path.js';

export interface PathControlFields {
  /** Only used for impersonation toward a secondary file system; null lets the server use its own user. */
  userName?: string | null;
  path: string;
  destPath?: string | null;
  flag?: boolean;
  colocate?: boolean;
  /** null (wire -1) is not the same as an empty map (§5.6). */
  props?: StringMap | null;
}

/** Validates the paths (before anything is written) and writes header + PathCtrl body; the caller adds the tail. */
export function startPathControl(reqId: number, cmd: CommandCode, f: PathControlFields): FrameWriter {
  validatePath(f.path);
  if (f.destPath != null) validatePath(f.destPath);
  return startRequest(reqId, cmd, 0, 0, 64 + f.path.length * 3)
    .nstr(f.userName ?? null)
    .opath(f.path)
    .opath(f.destPath ?? null)
    .bool(f.flag ?? false)
    .bool(f.colocate ?? false)
    .smap(f.props ?? null);
}
