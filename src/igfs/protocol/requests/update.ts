// UPDATE (5): PathCtrl with props (merged into the existing map; a null value removes the key). The server refuses a
// null or empty map with error 0. Reply resType 2 (the updated file, hasVal=false if the path does not exist).

import { Command } from '../command.js';
import type { StringMap } from '../frame-writer.js';
import { startPathControl } from './path-control.js';

export interface UpdateRequest {
  path: string;
  props: StringMap;
  userName?: string | null;
}

export function encodeUpdate(reqId: number, req: UpdateRequest): Buffer {
  return startPathControl(reqId, Command.UPDATE, { path: req.path, props: req.props, userName: req.userName }).finish();
}
