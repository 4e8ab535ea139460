// The 24-byte request header (§2.2). streamId and length only matter for CLOSE / READ_BLOCK / WRITE_BLOCK.

import { FrameWriter } from './frame-writer.js';
import { REQUEST_HEADER_BYTES, type CommandCode } from './command.js';

export function startRequest(reqId: number, cmd: CommandCode, streamId = 0, length = 0, bodyBytesHint = 64): FrameWriter {
  return new FrameWriter(REQUEST_HEADER_BYTES + bodyBytesHint).i64(reqId).i32(cmd).i64(streamId).i32(length);
}
