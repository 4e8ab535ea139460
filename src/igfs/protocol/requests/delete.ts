// DELETE (7): PathCtrl with flag = recursive. Reply resType 0: true if deleted, false if missing (or the root).

import { Command } from '../command.js';
import { startPathControl } from './path-control.js';

export interface DeleteRequest {
  path: string;
  recursive: boolean;
  userName?: string | null;
}

export function encodeDelete(reqId: number, req: DeleteRequest): Buffer {
  return startPathControl(reqId, Command.DELETE, { path: req.path, flag: req.recursive, userName: req.userName }).finish();
}
