// OPEN_CREATE (15): PathCtrl with flag = overwrite, colocate, optional props; then i32 replication, i64 blockSize.
// In PRIMARY mode the server ignores both tail fields (the file gets the configured block size). Reply resType 1.

import { Command } from '../command.js';
import type { StringMap } from '../frame-writer.js';
import { startPathControl } from './path-control.js';

export interface OpenCreateRequest {
  path: string;
  overwrite: boolean;
  colocate?: boolean;
  props?: StringMap | null;
  replication?: number;
  blockSize?: number;
  userName?: string | null;
}

export function encodeOpenCreate(reqId: number, req: OpenCreateRequest): Buffer {
  return startPathControl(reqId, Command.OPEN_CREATE, {
    path: req.path,
    flag: req.overwrite,
    colocate: req.colocate ?? false,
    props: req.props,
    userName: req.userName,
  })
    .i32(req.replication ?? 0)
    .i64(req.blockSize ?? 0)
    .finish();
}
