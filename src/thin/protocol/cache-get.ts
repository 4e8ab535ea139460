// OP_CACHE_GET (1000): the value of one key. The key is sent as encoded data object bytes (for example the
// exact bytes a scan returned), so any key type round-trips without re-encoding.
import { encodeRequest } from './message.js';
import { OpCode } from './op-codes.js';

export function encodeCacheGet(requestId: bigint, cacheId: number, keyBytes: Uint8Array): Buffer {
  return encodeRequest(OpCode.CACHE_GET, requestId, (w) => w.i32(cacheId).u8(0).bytes(keyBytes));
}
