// What the caches view reads through: cache names, partition counts, and the rows of one partition (or several
// in parallel) as a stream. Rows keep their bytes and decode on demand; pages are pulled as the consumer goes
// (one page prefetched), and a cursor is closed whenever a scan ends before the server's last page.
import { BinaryTypeCache } from './binary-type-cache.js';
import { BoundedQueue, END } from './bounded-queue.js';
import { ThinClient, type ThinClientOptions } from './client.js';
import type { ThinConnection } from './connection.js';
import { CacheMode, type CacheConfiguration } from './protocol/cache-configuration.js';
import { PeekMode } from './protocol/cache-get-size.js';
import { partitionCountOf } from './protocol/cache-partitions.js';
import { DecodeError, ServerError } from './protocol/errors.js';
import { cacheId } from './protocol/java-hash.js';
import { OpCode } from './protocol/op-codes.js';
import {
  decodeQueryScanCursorId,
  decodeScanPage,
  encodeQueryScan,
  encodeQueryScanGetPage,
  type ScanPage,
} from './protocol/query-scan.js';
import { encodeResourceClose } from './protocol/resource-close.js';
import { TypeCode } from './protocol/type-codes.js';

/** One row. Its bytes are slices of the page they came in (holding a row holds that page's buffer). */
export class CacheRow {
  readonly ok = true as const;

  constructor(
    readonly partition: number,
    /** The key as a data object: type code first, exactly as the server sent it. */
    readonly keyBytes: Buffer,
    readonly valueBytes: Buffer,
    private readonly types: BinaryTypeCache,
  ) {}

  /** Wire type code of the key; complex objects usually arrive wrapped (27). */
  get keyTypeCode(): number {
    return this.keyBytes[0]!;
  }

  get valueTypeCode(): number {
    return this.valueBytes[0]!;
  }

  /** Type code of what the key is, looking through a wrapper (27): 103 for a complex object. */
  get keyType(): number {
    return unwrappedTypeCode(this.keyBytes);
  }

  get valueType(): number {
    return unwrappedTypeCode(this.valueBytes);
  }

  /** Decoded key (mapping in protocol/binary-decoder.ts); rejects with DecodeError for bad bytes. */
  decodeKey(): Promise<unknown> {
    return this.types.decode(this.keyBytes);
  }

  decodeValue(): Promise<unknown> {
    return this.types.decode(this.valueBytes);
  }
}

/** The type code inside a wrapped object (27: length, payload, offset of the root object), else the first byte. */
export function unwrappedTypeCode(bytes: Buffer): number {
  const code = bytes[0]!;
  if (code !== TypeCode.BINARY_OBJ || bytes.length < 9) return code;
  const len = bytes.readInt32LE(1);
  if (len < 0 || 5 + len + 4 > bytes.length) return code;
  const off = bytes.readInt32LE(5 + len);
  return off >= 0 && off < len ? bytes[5 + off]! : code;
}

/** Rows of a page that could not be delimited; the scan goes on with the next page. */
export class RowError {
  readonly ok = false as const;

  constructor(
    readonly partition: number,
    readonly error: DecodeError,
    /** Rows lost with it (this one included; 0 for trailing garbage after the last row). */
    readonly lostRows: number,
  ) {}
}

export type ScanItem = CacheRow | RowError;

export interface ScanOptions {
  /** Rows per page the server sends (memory per scan is about two pages: the current and the prefetched). */
  readonly pageSize?: number;
  /** Ask for the next page while the current one is consumed (default true). */
  readonly prefetch?: boolean;
}

export interface ParallelScanOptions extends ScanOptions {
  /** Partitions scanned at the same time, each on its own pooled connection when possible. */
  readonly concurrency?: number;
  /** Rows buffered between the scans and the consumer. */
  readonly bufferRows?: number;
}

export interface CacheInfo extends CacheConfiguration {
  readonly name: string;
  readonly partitions: number;
}

export const DEFAULT_PAGE_SIZE = 64;

export class CacheReader {
  readonly client: ThinClient;
  /** Connections that hold an open cursor of this reader, and how many. */
  private readonly cursorsOn = new Map<ThinConnection, number>();

  constructor(client: ThinClient) {
    this.client = client;
  }

  static async connect(options: ThinClientOptions): Promise<CacheReader> {
    return new CacheReader(await ThinClient.connect(options));
  }

  listCaches(): Promise<string[]> {
    return this.client.cacheNames();
  }

  async cacheInfo(name: string): Promise<CacheInfo> {
    const cfg = await this.client.cacheConfiguration(name);
    return { ...cfg, name, partitions: await this.partitionCount(name, cfg) };
  }

  /**
   * Number of partitions. From OP_CACHE_PARTITIONS when the server maps the cache (PARTITIONED, default
   * affinity); otherwise found by probing, since the protocol's cache configuration has no affinity function.
   */
  async partitionCount(name: string, cfg?: CacheConfiguration): Promise<number> {
    const reply = await this.client.cachePartitions([name]);
    const fromMap = reply ? partitionCountOf(reply, cacheId(name)) : undefined;
    if (fromMap !== undefined) return fromMap;
    const config = cfg ?? (await this.client.cacheConfiguration(name));
    if (config.cacheMode === CacheMode.LOCAL) return 1;
    return this.probePartitionCount(name);
  }

  /** Entries in the whole cache (primary copies). The protocol has no per-partition count. */
  size(name: string): Promise<bigint> {
    return this.client.cacheSize(name, [PeekMode.PRIMARY]);
  }

  /** The value bytes for key bytes (as a row's keyBytes), or null. */
  get(name: string, keyBytes: Uint8Array): Promise<Buffer | null> {
    return this.client.cacheGet(name, keyBytes);
  }

  /** Decodes a value's bytes, fetching binary metadata as needed. */
  decode(bytes: Buffer): Promise<unknown> {
    return this.client.binaryTypes.decode(bytes);
  }

  /** The rows of one partition (-1: the whole cache), pulled page by page as the consumer iterates. */
  async *scanPartition(name: string, partition: number, options?: ScanOptions): AsyncGenerator<ScanItem, void, undefined> {
    const pageSize = options?.pageSize ?? DEFAULT_PAGE_SIZE;
    const prefetch = options?.prefetch ?? true;
    const conn = await this.client.acquireForCursor(new Set(this.cursorsOn.keys()));
    this.cursorsOn.set(conn, (this.cursorsOn.get(conn) ?? 0) + 1);
    let cursorId: bigint | undefined;
    let serverClosed = false;
    let next: Promise<ScanPage> | undefined;
    const fetchNext = (id: bigint): Promise<ScanPage> => {
      const p = conn.request(OpCode.QUERY_SCAN_CURSOR_GET_PAGE, (rid) => encodeQueryScanGetPage(rid, id), decodeScanPage);
      p.catch(() => {}); // a prefetch the consumer never awaits must not become an unhandled rejection
      return p;
    };
    try {
      let page = await conn.request(
        OpCode.QUERY_SCAN,
        (rid) => encodeQueryScan(rid, { cacheId: cacheId(name), pageSize, partition }),
        (body) => {
          cursorId = decodeQueryScanCursorId(body);
          return decodeScanPage(body);
        },
        {
          onLateReply: (body) => {
            // The scan timed out here but opened a cursor there: release it.
            const late = body.i64();
            conn.fireAndForget((rid) => encodeResourceClose(rid, late));
          },
        },
      );
      for (;;) {
        if (!page.hasMore) serverClosed = true;
        else if (prefetch) next = fetchNext(cursorId!);
        for (const e of page.entries) {
          yield 'error' in e ? new RowError(partition, e.error, e.lostRows) : new CacheRow(partition, e.key, e.value, this.client.binaryTypes);
        }
        if (serverClosed) return;
        const pending = next ?? fetchNext(cursorId!);
        next = undefined;
        try {
          page = await pending;
        } catch (err) {
          // The server drops a cursor whose page failed (cache destroyed, node left): nothing to close.
          if (err instanceof ServerError) serverClosed = true;
          throw err;
        }
      }
    } finally {
      const n = (this.cursorsOn.get(conn) ?? 1) - 1;
      if (n > 0) this.cursorsOn.set(conn, n);
      else this.cursorsOn.delete(conn);
      if (cursorId !== undefined && !serverClosed && !conn.closed) {
        if (next) {
          const last = await next.catch(() => undefined);
          if (last && !last.hasMore) serverClosed = true;
        }
        if (!serverClosed) {
          const id = cursorId;
          await conn.request(OpCode.RESOURCE_CLOSE, (rid) => encodeResourceClose(rid, id), () => undefined).catch(() => {});
        }
      }
    }
  }

  /**
   * Rows of several partitions, `concurrency` partitions at a time, merged in arrival order. Stopping early
   * (break/return) or an error in one partition stops every scan and closes their cursors.
   */
  async *scanPartitions(name: string, partitions: readonly number[], options?: ParallelScanOptions): AsyncGenerator<ScanItem, void, undefined> {
    const concurrency = Math.max(1, Math.min(options?.concurrency ?? 2, partitions.length));
    const queue = new BoundedQueue<ScanItem>(options?.bufferRows ?? options?.pageSize ?? DEFAULT_PAGE_SIZE);
    let nextIndex = 0;
    let stopped = false;
    const worker = async (): Promise<void> => {
      while (!stopped && nextIndex < partitions.length) {
        const partition = partitions[nextIndex++]!;
        for await (const item of this.scanPartition(name, partition, options)) {
          if (stopped) break;
          await queue.push(item);
          if (stopped) break;
        }
      }
    };
    const workers = Promise.all(Array.from({ length: concurrency }, worker)).then(
      () => queue.end(),
      (err: unknown) => {
        stopped = true;
        queue.fail(err);
      },
    );
    try {
      for (;;) {
        const item = await queue.shift();
        if (item === END) return;
        yield item;
      }
    } finally {
      stopped = true;
      queue.close();
      await workers;
    }
  }

  close(): void {
    this.client.close();
  }

  /**
   * For caches the server does not map (REPLICATED, custom affinity): the smallest partition number a scan
   * refuses, found by doubling then bisecting. Relies on the server rejecting a scan of a partition it does
   * not have; the first probe of each cache costs about 2*log2(partitions) empty scans.
   */
  private async probePartitionCount(name: string): Promise<number> {
    const exists = async (p: number): Promise<boolean> => {
      try {
        for await (const _ of this.scanPartition(name, p, { pageSize: 1, prefetch: false })) break;
        return true;
      } catch (err) {
        if (isInvalidPartitionError(err)) return false;
        throw err;
      }
    };
    if (!(await exists(0))) return 1;
    let lo = 0; // exists
    let hi = 1;
    while (await exists(hi)) {
      lo = hi;
      hi *= 2;
      if (hi > 1 << 20) throw new DecodeError(`cache ${name}: cannot find its partition count`, undefined, 0);
    }
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (await exists(mid)) lo = mid;
      else hi = mid;
    }
    return hi;
  }
}

/**
 * The server reports a scan of a partition the cache does not have only as a generic failure (status 1) whose
 * text is "Invalid partition number: N" (Ignite 2.8.1); the text is the only signal, so it is read here only.
 */
export function isInvalidPartitionError(err: unknown): boolean {
  return err instanceof ServerError && /invalid partition number/i.test(err.message);
}
