// LIST_PATHS (9): PathCtrl; reply resType 6 (unordered child paths). Runs inline on the server.

import { Command } from '../command.js';
import { startPathControl, type PathControlFields } from './path-control.js';

export function encodeListPaths(reqId: number, req: Pick<PathControlFields, 'path' | 'userName'>): Buffer {
  return startPathControl(reqId, Command.LIST_PATHS, { path: req.path, userName: req.userName }).finish();
}
