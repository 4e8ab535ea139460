// AFFINITY (11): PathCtrl + i64 start, i64 length. Reply resType 7 (block locations).

import { Command } from '../command.js';
import { startPathControl } from './path-control.js';

export interface AffinityRequest {
  path: string;
  start: number;
  length: number;
  userName?: string | null;
}

export function encodeAffinity(reqId: number, req: AffinityRequest): Buffer {
  return startPathControl(reqId, Command.AFFINITY, { path: req.path, userName: req.userName })
    .i64(req.start)
    .i64(req.length)
    .finish();
}
