// OPEN_APPEND (14): PathCtrl with flag = create-if-absent and optional props (used only when it creates the file,
// and then also for auto-created parents). Reply resType 1 (streamId).

import { Command } from '../command.js';
import type { StringMap } from '../frame-writer.js';
import { startPathControl } from './path-control.js';

export interface OpenAppendRequest {
  path: string;
  create: boolean;
  props?: StringMap | null;
  userName?: string | null;
}

export function encodeOpenAppend(reqId: number, req: OpenAppendRequest): Buffer {
  return startPathControl(reqId, Command.OPEN_APPEND, {
    path: req.path,
    flag: req.create,
    props: req.props,
    userName: req.userName,
  }).finish();
}
