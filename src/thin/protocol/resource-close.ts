// OP_RESOURCE_CLOSE (0): releases a server-side resource such as a query cursor.
import { encodeRequest } from './message.js';
import { OpCode } from './op-codes.js';

export function encodeResourceClose(requestId: bigint, resourceId: bigint): Buffer {
  return encodeRequest(OpCode.RESOURCE_CLOSE, requestId, (w) => w.i64(resourceId));
}
