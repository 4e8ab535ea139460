// File content cached in fixed-size blocks, bounded in bytes. Blocks are keyed by (path generation, content
// version, block index): the version comes from the file's attributes when it was opened, so a file whose size or
// mtime changed never reads blocks of its earlier content; the generation is bumped by every invalidation of the
// path, so even a mutation that leaves the version unchanged (same size, same mtime) cannot be served stale bytes.

import { LRUCache } from 'lru-cache';

/** Where the bytes of a block come from: normally the inner Backend's ReadHandle. */
export interface BlockSource {
  /** Bytes [position, position + length); fewer only when the data ends early. */
  readAt(position: number, length: number): Promise<Buffer>;
}

export interface BlockCacheOptions {
  /** Bytes per block; a miss costs one `readAt` of this length (less for the last block). */
  blockSize: number;
  /** Upper bound of the bytes held by cached blocks. Must be at least `blockSize`. */
  maxBytes: number;
}

export interface BlockCacheStats {
  /** Reader block lookups answered from the cache. */
  hits: number;
  /** Reader block lookups that started a fetch. */
  misses: number;
  /** Reader block lookups that joined a fetch already in flight (a read-ahead's or another reader's). */
  coalesced: number;
  /** `readAt` calls made on sources (by readers and read-ahead). */
  fetches: number;
  /** Of `fetches`, those started by read-ahead. */
  prefetches: number;
  fetchErrors: number;
  /** Bytes returned by sources. */
  fetchedBytes: number;
  /** Bytes held by cached blocks now (never above `maxBytes`). */
  cachedBytes: number;
  /** Blocks held now, fetches in flight included. */
  cachedBlocks: number;
}

interface PathRecord {
  readonly path: string;
  /** Current generation; keys built with an older one are unreachable. Unique across paths and time. */
  gen: number;
  /** Keys of this path that may be in the LRU (so invalidation frees their memory at once). */
  readonly keys: Set<string>;
  /** Open files pin the record so that they and later opens share one generation. */
  openFiles: number;
}

interface FetchContext {
  file: BlockCacheFile;
  index: number;
  prefetch: boolean;
}

// NUL cannot occur in a POSIX path nor in a version string built from numbers, so it separates key fields.
const KEY_SEPARATOR = '\0';

function blockKey(gen: number, index: number, version: string, path: string): string {
  return [gen, index, version, path].join(KEY_SEPARATOR);
}

function keyPath(key: string): string {
  let at = -1;
  for (let field = 0; field < 3; field++) at = key.indexOf(KEY_SEPARATOR, at + 1);
  return key.slice(at + 1);
}

/**
 * A view of `data` that owns its memory. Sources may hand back slices of larger buffers (a socket chunk holding
 * several frames); keeping such a slice would retain the whole chunk while counting only the slice against
 * `maxBytes`.
 */
function ownedCopy(data: Buffer): Buffer {
  if (data.byteOffset === 0 && data.byteLength === data.buffer.byteLength) return data;
  const copy = Buffer.allocUnsafeSlow(data.length);
  data.copy(copy);
  return copy;
}

export class BlockCache {
  readonly blockSize: number;
  readonly maxBytes: number;
  readonly #lru: LRUCache<string, Buffer, FetchContext>;
  readonly #records = new Map<string, PathRecord>();
  /** Keys whose source read is running (lru-cache reports those as absent from `has`). */
  readonly #fetching = new Set<string>();
  #lastGen = 0;
  readonly #counters = {
    hits: 0, misses: 0, coalesced: 0, fetches: 0, prefetches: 0, fetchErrors: 0, fetchedBytes: 0,
  };

  constructor(options: BlockCacheOptions) {
    const { blockSize, maxBytes } = options;
    if (!Number.isSafeInteger(blockSize) || blockSize <= 0) {
      throw new RangeError(`blockSize must be a positive integer, got ${blockSize}`);
    }
    if (!Number.isSafeInteger(maxBytes) || maxBytes < blockSize) {
      throw new RangeError(`maxBytes (${maxBytes}) must be an integer of at least blockSize (${blockSize})`);
    }
    this.blockSize = blockSize;
    this.maxBytes = maxBytes;
    this.#lru = new LRUCache<string, Buffer, FetchContext>({
      maxSize: maxBytes,
      // The memory the block keeps alive (blocks own their ArrayBuffer, see ownedCopy). lru-cache refuses a
      // size of 0, so an empty block (a source that ended early) counts as one byte.
      sizeCalculation: (block) => Math.max(1, block.buffer.byteLength),
      fetchMethod: (key, _stale, { context }) => this.#fetch(key, context),
      // Without this, a fetch whose entry is evicted (byte pressure) or deleted (invalidation) while in flight
      // rejects every waiting reader with "evicted"/"deleted". With it, waiters get the bytes they asked for and
      // the result is simply not stored.
      ignoreFetchAbort: true,
      dispose: (_block, key) => this.#forgetKey(key),
    });
  }

  /**
   * Starts caching reads of one opened file. `version` must identify the content `source` serves (the cache
   * shares blocks between files opened with the same path and version); `size` is the length it serves.
   */
  open(path: string, version: string, size: number, source: BlockSource): BlockCacheFile {
    if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`invalid file size ${size}`);
    let record = this.#records.get(path);
    if (record === undefined) {
      record = { path, gen: ++this.#lastGen, keys: new Set(), openFiles: 0 };
      this.#records.set(path, record);
    }
    record.openFiles++;
    return new BlockCacheFile(this, record, version, size, source);
  }

  /** Drops every block of `path`, all versions; files already open on it stop sharing with later opens. */
  invalidate(path: string): void {
    const record = this.#records.get(path);
    if (record !== undefined) this.#invalidateRecord(record);
  }

  /** `invalidate` for `root` and every path below it (rename, rmdir). */
  invalidateSubtree(root: string): void {
    const prefix = root === '/' ? '/' : `${root}/`;
    for (const record of [...this.#records.values()]) {
      if (record.path === root || record.path.startsWith(prefix)) this.#invalidateRecord(record);
    }
  }

  stats(): BlockCacheStats {
    return { ...this.#counters, cachedBytes: this.#lru.calculatedSize, cachedBlocks: this.#lru.size };
  }

  /**
   * Bytes the cached blocks keep alive, counted block by block rather than through lru-cache's bookkeeping;
   * tests hold it against maxBytes.
   */
  heldBytes(): number {
    let total = 0;
    for (const block of this.#lru.values()) total += block.buffer.byteLength;
    return total;
  }

  /** @internal Used by BlockCacheFile. */
  lookup(file: BlockCacheFile, gen: number, index: number, prefetch: boolean, retry = true): Promise<Buffer> {
    const record = file.record;
    const key = blockKey(gen, index, file.version, record.path);
    const status: LRUCache.Status<string, Buffer, FetchContext> = {};
    const pending = this.#lru.fetch(key, { context: { file, index, prefetch }, status });
    // lru-cache decides hit / miss / in-flight synchronously inside fetch().
    const outcome = status.fetch;
    if (!prefetch) {
      if (outcome === 'hit') this.#counters.hits++;
      else if (outcome === 'inflight') this.#counters.coalesced++;
      else this.#counters.misses++;
    }
    return pending.then(
      (block) => {
        this.#settled(key);
        if (block === undefined) throw new Error(`block cache: no data for block ${index} of ${record.path}`);
        if (block.length < file.expectedBlockLength(index) && this.#lru.peek(key) === block) {
          // The source ended before the size it promised: hand the short block to this read but keep nothing,
          // so the next read asks the source again instead of repeating the short answer.
          this.#lru.delete(key);
        }
        return block;
      },
      (err: unknown) => {
        this.#settled(key);
        if (outcome === 'inflight' && !prefetch && retry) {
          // We joined someone else's fetch (typically a read-ahead) and it failed; a reader's own request
          // gets its own attempt, whose error is the one it reports.
          return this.lookup(file, gen, index, false, false);
        }
        throw err;
      },
    );
  }

  /** @internal Used by BlockCacheFile. */
  isCachedBlock(file: BlockCacheFile, gen: number, index: number): boolean {
    return this.#lru.has(blockKey(gen, index, file.version, file.record.path));
  }

  /** @internal Called by BlockCacheFile.close. */
  release(record: PathRecord): void {
    record.openFiles--;
    this.#dropRecordIfIdle(record);
  }

  #fetch(key: string, context: FetchContext): Promise<Buffer> {
    const { file, index, prefetch } = context;
    const record = file.record;
    record.keys.add(key);
    this.#fetching.add(key);
    this.#counters.fetches++;
    if (prefetch) this.#counters.prefetches++;
    const position = index * this.blockSize;
    const length = file.expectedBlockLength(index);
    const fetched = (async () => {
      try {
        const data = await file.source.readAt(position, length);
        this.#counters.fetchedBytes += data.length;
        // A source that returns more than asked (say, a whole block at the end of a file that grew) must not
        // make a block hold bytes beyond the size this file was opened with.
        return ownedCopy(data.length > length ? data.subarray(0, length) : data);
      } catch (err) {
        this.#counters.fetchErrors++;
        throw err;
      } finally {
        this.#fetching.delete(key);
      }
    })();
    file.track(fetched);
    return fetched;
  }

  /** After a lookup settles: a key neither stored nor being fetched no longer needs invalidating. */
  #settled(key: string): void {
    if (!this.#lru.has(key) && !this.#fetching.has(key)) this.#forgetKey(key);
  }

  #forgetKey(key: string): void {
    const record = this.#records.get(keyPath(key));
    if (record === undefined) return;
    record.keys.delete(key);
    this.#dropRecordIfIdle(record);
  }

  #invalidateRecord(record: PathRecord): void {
    record.gen = ++this.#lastGen;
    const keys = [...record.keys];
    record.keys.clear();
    // Deleting an in-flight fetch aborts it, and with ignoreFetchAbort its late result is not stored.
    for (const key of keys) this.#lru.delete(key);
    this.#dropRecordIfIdle(record);
  }

  #dropRecordIfIdle(record: PathRecord): void {
    // Safe at any time: a record made later gets a generation never used before.
    if (record.openFiles === 0 && record.keys.size === 0 && this.#records.get(record.path) === record) {
      this.#records.delete(record.path);
    }
  }
}

/** One opened file read through a BlockCache. */
export class BlockCacheFile {
  readonly version: string;
  readonly size: number;
  readonly blockCount: number;
  readonly source: BlockSource;
  /** @internal */
  readonly record: PathRecord;
  readonly #cache: BlockCache;
  readonly #gen: number;
  readonly #inFlight = new Set<Promise<unknown>>();
  #closed = false;

  constructor(cache: BlockCache, record: PathRecord, version: string, size: number, source: BlockSource) {
    this.#cache = cache;
    this.record = record;
    this.#gen = record.gen;
    this.version = version;
    this.size = size;
    this.source = source;
    this.blockCount = Math.ceil(size / cache.blockSize);
  }

  get blockSize(): number {
    return this.#cache.blockSize;
  }

  /** @internal Bytes block `index` holds when the source serves the promised size. */
  expectedBlockLength(index: number): number {
    const start = index * this.#cache.blockSize;
    return Math.max(0, Math.min(this.#cache.blockSize, this.size - start));
  }

  /**
   * Bytes [position, position + length) clipped to the file's size, assembled from blocks fetched concurrently.
   * Shorter than asked only at the end of the file or where the source ended early. The buffer is the caller's.
   */
  async read(position: number, length: number): Promise<Buffer> {
    if (!Number.isSafeInteger(position) || position < 0 || !Number.isSafeInteger(length) || length < 0) {
      throw new RangeError(`invalid read of ${length} bytes at ${position}`);
    }
    this.#checkOpen();
    const end = Math.min(position + length, this.size);
    if (end <= position) return Buffer.alloc(0);
    const blockSize = this.#cache.blockSize;
    const first = Math.floor(position / blockSize);
    const last = Math.floor((end - 1) / blockSize);
    const pending: Promise<Buffer>[] = [];
    for (let index = first; index <= last; index++) {
      pending.push(this.#cache.lookup(this, this.#gen, index, false));
    }
    const blocks = await Promise.all(pending);
    // A copy, not a view: callers may patch the result (read-your-writes overlays) and must not reach the cache.
    const out = Buffer.allocUnsafe(end - position);
    let filled = 0;
    for (let i = 0; i < blocks.length; i++) {
      const block = blocks[i]!;
      const blockStart = (first + i) * blockSize;
      const from = Math.max(position, blockStart) - blockStart;
      const to = Math.min(end - blockStart, blockSize);
      const available = Math.min(to, block.length);
      if (available > from) filled += block.copy(out, filled, from, available);
      // Never skip over a short block: that would shift later bytes into the gap.
      if (available < to) break;
    }
    return filled === out.length ? out : out.subarray(0, filled);
  }

  /** Fetches block `index` into the cache unless it is there; for read-ahead. */
  async prefetch(index: number): Promise<void> {
    this.#checkOpen();
    if (index < 0 || index >= this.blockCount) return;
    await this.#cache.lookup(this, this.#gen, index, true);
  }

  /** Whether block `index` is cached now (a fetch in flight does not count). */
  isCached(index: number): boolean {
    return this.#cache.isCachedBlock(this, this.#gen, index);
  }

  /** @internal Remembers a source read so that close() can wait for it. */
  track(fetch: Promise<unknown>): void {
    this.#inFlight.add(fetch);
    const forget = () => this.#inFlight.delete(fetch);
    fetch.then(forget, forget);
  }

  /** Waits for this file's source reads still running (the source is about to close), then unpins the path. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.allSettled([...this.#inFlight]);
    this.#cache.release(this.record);
  }

  #checkOpen(): void {
    if (this.#closed) throw new Error(`block cache file ${this.record.path} is closed`);
  }
}
