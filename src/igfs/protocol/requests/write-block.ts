// WRITE_BLOCK (18): header streamId at 12, payload length at 20, then exactly that many raw bytes. No reply on
// success; failures come back as an unsolicited notice (reqId echoed, resType 9, streamId). Only the header is built
// here so the payload goes to the socket without being copied.

import { Command, WRITE_BLOCK_REQ_ID } from '../command.js';
import { startRequest } from '../request-header.js';

export function encodeWriteBlockHeader(streamId: number, length: number, reqId: number = WRITE_BLOCK_REQ_ID): Buffer {
  if (!Number.isInteger(length) || length < 0 || length > 0x7fffffff) {
    throw new RangeError(`WRITE_BLOCK length must be in 0..2^31-1, got ${length}`);
  }
  return startRequest(reqId, Command.WRITE_BLOCK, streamId, length, 0).finish();
}
