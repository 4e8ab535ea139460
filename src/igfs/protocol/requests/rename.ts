// RENAME (6): PathCtrl with path = source, destPath = destination. Reply resType 0, always true (failures are errors).
// Onto an existing directory the source moves *inside* it; onto an existing file it fails with code 3.

import { Command } from '../command.js';
import { startPathControl } from './path-control.js';

export interface RenameRequest {
  path: string;
  destPath: string;
  userName?: string | null;
}

export function encodeRename(reqId: number, req: RenameRequest): Buffer {
  return startPathControl(reqId, Command.RENAME, req).finish();
}
