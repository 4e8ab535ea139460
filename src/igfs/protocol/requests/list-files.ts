// LIST_FILES (10): PathCtrl; reply resType 5 (unordered child IgfsFiles; a file lists as itself). Runs inline.

import { Command } from '../command.js';
import { startPathControl, type PathControlFields } from './path-control.js';

export function encodeListFiles(reqId: number, req: Pick<PathControlFields, 'path' | 'userName'>): Buffer {
  return startPathControl(reqId, Command.LIST_FILES, { path: req.path, userName: req.userName }).finish();
}
