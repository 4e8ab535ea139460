// READ_BLOCK (17): header streamId at 12, bytes wanted at 20; body i64 position. Reply resType 8 with `len` raw bytes
// (fewer at the end of the file, none at or past it).

import { Command } from '../command.js';
import { startRequest } from '../request-header.js';

export function encodeReadBlock(reqId: number, streamId: number, position: number, length: number): Buffer {
  if (!Number.isInteger(length) || length <= 0 || length > 0x7fffffff) {
    throw new RangeError(`READ_BLOCK length must be in 1..2^31-1, got ${length}`);
  }
  return startRequest(reqId, Command.READ_BLOCK, streamId, length, 8).i64(position).finish();
}
