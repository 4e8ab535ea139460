// CLOSE (16): header only, streamId at offset 12. Reply resType 0 (true). For an output stream this commits length
// and mtime; write errors from the block store surface here.

import { Command } from '../command.js';
import { startRequest } from '../request-header.js';

export function encodeClose(reqId: number, streamId: number): Buffer {
  return startRequest(reqId, Command.CLOSE, streamId, 0, 0).finish();
}
