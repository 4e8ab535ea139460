// PATH_SUMMARY (4): PathCtrl; reply resType 12; a missing path is error 2.

import { Command } from '../command.js';
import { startPathControl, type PathControlFields } from './path-control.js';

export function encodePathSummary(reqId: number, req: Pick<PathControlFields, 'path' | 'userName'>): Buffer {
  return startPathControl(reqId, Command.PATH_SUMMARY, { path: req.path, userName: req.userName }).finish();
}
