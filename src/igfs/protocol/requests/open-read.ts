// OPEN_READ (13): PathCtrl with flag = "an i32 seqReadsBeforePrefetch follows". Reply resType 3 (streamId, length
// at open time).

import { Command } from '../command.js';
import { startPathControl } from './path-control.js';

export interface OpenReadRequest {
  path: string;
  /** Overrides the server's sequentialReadsBeforePrefetch for this stream; omit to keep the server's setting. */
  seqReadsBeforePrefetch?: number;
  userName?: string | null;
}

export function encodeOpenRead(reqId: number, req: OpenReadRequest): Buffer {
  const hint = req.seqReadsBeforePrefetch !== undefined;
  const w = startPathControl(reqId, Command.OPEN_READ, { path: req.path, flag: hint, userName: req.userName });
  if (hint) w.i32(req.seqReadsBeforePrefetch as number);
  return w.finish();
}
