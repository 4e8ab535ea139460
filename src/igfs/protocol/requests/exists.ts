// EXISTS (2): PathCtrl; reply resType 0 (bool).

import { Command } from '../command.js';
import { startPathControl, type PathControlFields } from './path-control.js';

export function encodeExists(reqId: number, req: Pick<PathControlFields, 'path' | 'userName'>): Buffer {
  return startPathControl(reqId, Command.EXISTS, { path: req.path, userName: req.userName }).finish();
}
