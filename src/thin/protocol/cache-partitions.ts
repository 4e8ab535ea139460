// OP_CACHE_PARTITIONS (1101, protocol 1.4.0+): for groups of caches, which node is primary for which partition.
// The server only maps PARTITIONED caches with the default affinity function, key mapper and no node filter
// ("applicable"); for others it sends the cache ids without any partition.
import type { ByteReader } from './byte-reader.js';
import { encodeRequest } from './message.js';
import { OpCode } from './op-codes.js';
import { readUuid } from './uuid.js';

export interface PartitionMapping {
  readonly applicable: boolean;
  readonly cacheIds: readonly number[];
  /** Node id -> primary partitions of that node (empty when not applicable). */
  readonly nodePartitions: ReadonlyMap<string, readonly number[]>;
}

export interface CachePartitions {
  readonly topologyVersion: { readonly major: bigint; readonly minor: number };
  readonly mappings: readonly PartitionMapping[];
}

export function encodeCachePartitions(requestId: bigint, cacheIds: readonly number[]): Buffer {
  return encodeRequest(OpCode.CACHE_PARTITIONS, requestId, (w) => {
    w.i32(cacheIds.length);
    for (const id of cacheIds) w.i32(id);
  });
}

export function decodeCachePartitions(body: ByteReader): CachePartitions {
  const topologyVersion = { major: body.i64(), minor: body.i32() };
  const mappings: PartitionMapping[] = [];
  for (let m = body.count(); m > 0; m--) {
    const applicable = body.bool();
    const cacheIds: number[] = [];
    for (let c = body.count(); c > 0; c--) {
      cacheIds.push(body.i32());
      if (applicable) {
        for (let k = body.count(); k > 0; k--) {
          body.i32(); // key type id
          body.i32(); // affinity key field id
        }
      }
    }
    const nodePartitions = new Map<string, number[]>();
    if (applicable) {
      for (let n = body.count(); n > 0; n--) {
        const node = readUuid(body, true) ?? '';
        const parts: number[] = [];
        for (let p = body.count(); p > 0; p--) parts.push(body.i32());
        nodePartitions.set(node, parts);
      }
    }
    mappings.push({ applicable, cacheIds, nodePartitions });
  }
  return { topologyVersion, mappings };
}

/** Partition count of one cache from a reply: highest partition number + 1, or undefined if not mapped. */
export function partitionCountOf(reply: CachePartitions, cacheId: number): number | undefined {
  for (const m of reply.mappings) {
    if (!m.cacheIds.includes(cacheId) || !m.applicable) continue;
    let max = -1;
    for (const parts of m.nodePartitions.values()) for (const p of parts) if (p > max) max = p;
    return max >= 0 ? max + 1 : undefined;
  }
  return undefined;
}
