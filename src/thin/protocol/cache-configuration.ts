// OP_CACHE_GET_CONFIGURATION (1055). Only the leading fields are read: their order is the same in every 2.x
// release, while later fields differ between releases (e.g. `invalidate` appears after the group name in some),
// and nothing after the group name is needed to read rows.
import type { ByteReader } from './byte-reader.js';
import { encodeRequest } from './message.js';
import { OpCode } from './op-codes.js';

export const CacheMode = { LOCAL: 0, REPLICATED: 1, PARTITIONED: 2 } as const;
export const AtomicityMode = { TRANSACTIONAL: 0, ATOMIC: 1 } as const;

export interface CacheConfiguration {
  readonly atomicityMode: number;
  readonly backups: number;
  /** CacheMode: LOCAL 0, REPLICATED 1, PARTITIONED 2. */
  readonly cacheMode: number;
  readonly dataRegionName: string | null;
  readonly groupName: string | null;
}

export function encodeCacheGetConfiguration(requestId: bigint, cacheId: number): Buffer {
  return encodeRequest(OpCode.CACHE_GET_CONFIGURATION, requestId, (w) => w.i32(cacheId).u8(0));
}

export function decodeCacheGetConfiguration(body: ByteReader): CacheConfiguration {
  body.count(); // length of the whole configuration
  const atomicityMode = body.i32();
  const backups = body.i32();
  const cacheMode = body.i32();
  body.bool(); // copyOnRead
  const dataRegionName = body.nullableString();
  body.bool(); // eagerTtl
  body.bool(); // statisticsEnabled
  const groupName = body.nullableString();
  return { atomicityMode, backups, cacheMode, dataRegionName, groupName };
}
