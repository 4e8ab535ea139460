// OP_CACHE_GET_NAMES (1050): the names of every cache.
import type { ByteReader } from './byte-reader.js';
import { encodeRequest } from './message.js';
import { OpCode } from './op-codes.js';

export function encodeCacheGetNames(requestId: bigint): Buffer {
  return encodeRequest(OpCode.CACHE_GET_NAMES, requestId);
}

export function decodeCacheGetNames(body: ByteReader): string[] {
  const names: string[] = [];
  for (let n = body.count(); n > 0; n--) names.push(body.string());
  return names;
}
