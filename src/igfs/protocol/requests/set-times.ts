// SET_TIMES (12): PathCtrl + i64 accessTime, i64 modificationTime -- access time FIRST on the wire, although the
// server method takes (modificationTime, accessTime). ms since the epoch; -1 leaves a time unchanged.

import { Command } from '../command.js';
import { startPathControl } from './path-control.js';

export interface SetTimesRequest {
  path: string;
  accessTimeMs: number;
  modificationTimeMs: number;
  userName?: string | null;
}

export function encodeSetTimes(reqId: number, req: SetTimesRequest): Buffer {
  return startPathControl(reqId, Command.SET_TIMES, { path: req.path, userName: req.userName })
    .i64(req.accessTimeMs)
    .i64(req.modificationTimeMs)
    .finish();
}
