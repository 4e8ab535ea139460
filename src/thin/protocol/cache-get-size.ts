// OP_CACHE_GET_SIZE (1020): number of entries of a whole cache for the given peek modes. The protocol has no
// per-partition size (CacheGetSize takes only peek modes), so a partition's row count is known only by
// scanning it.
import type { ByteReader } from './byte-reader.js';
import { encodeRequest } from './message.js';
import { OpCode } from './op-codes.js';

export const PeekMode = { ALL: 0, NEAR: 1, PRIMARY: 2, BACKUP: 3 } as const;

export function encodeCacheGetSize(requestId: bigint, cacheId: number, peekModes: readonly number[]): Buffer {
  return encodeRequest(OpCode.CACHE_GET_SIZE, requestId, (w) => {
    w.i32(cacheId).u8(0).i32(peekModes.length);
    for (const m of peekModes) w.u8(m);
  });
}

export function decodeCacheGetSize(body: ByteReader): bigint {
  return body.i64();
}
