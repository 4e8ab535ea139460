// INFO (3): PathCtrl; reply resType 2 (IgfsFile, hasVal=false when the path does not exist).

import { Command } from '../command.js';
import { startPathControl, type PathControlFields } from './path-control.js';

export function encodeInfo(reqId: number, req: Pick<PathControlFields, 'path' | 'userName'>): Buffer {
  return startPathControl(reqId, Command.INFO, { path: req.path, userName: req.userName }).finish();
}
