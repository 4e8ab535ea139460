// The caches view: a read-only Backend over Ignite caches (layout and encodings in docs/CACHES-VIEW.md).
//
//   /                              one directory per cache (IGFS's internal caches hidden), names escaped as keys
//   /<cache>/rows/<key>            one file per entry: the value (raw byte[], UTF-8 String, else JSON)
//   /<cache>/partitions/<p>.tfrecord  the entries of partition p as TFRecord records of tf.train.Example
//   /<cache>/schema.json           key/value types, fields and features seen
//
// Consistency: TensorFlow stats a file and then reads exactly that many bytes, so a size must be exact before the
// first read and never disagree with what is served. Every file is therefore served from a snapshot taken at its
// first use (a partition's records, the whole cache's row contents with a name index, the schema text), unchanged
// until --view-ttl passes; open files keep the snapshot they opened. Large snapshots live in spool files in a
// temp directory (removed when they expire and at shutdown), so the daemon's memory holds only indexes.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Backend, CreateOptions, DirEntry, EntryAttrs, ReadHandle, SetAttrs, StatFs, WriteHandle } from '../../fs/backend.js';
import { FsError } from '../../fs/errors.js';
import type { Logger } from '../../log/logger.js';
import type { CacheReader } from '../../thin/reader.js';
import { decodeRowKey, decodeRowValue } from './decode-row.js';
import { encodeRowExample } from './example.js';
import { chooseKeyNaming, encodeKeyName, type BareKeyType, type KeyNaming } from './naming.js';
import { renderValueFile } from './render-json.js';
import { SchemaBuilder } from './schema.js';
import { MemoryBudget, Spool } from './spool.js';
import { encodeTfRecord } from './tfrecord.js';
import { type Clock, type Disposable, type Lease, TtlSlot } from './ttl-slot.js';

export interface CachesBackendOptions {
  /** How long a snapshot (cache list, partition file, rows index, schema) is served unchanged. */
  viewTtlMs: number;
  /** Parent of the view's own temp directory (default: the OS temp directory). */
  tempDir?: string;
  /** A snapshot larger than this is spooled to disk (default 4 MiB). */
  maxSnapshotMemoryBytes?: number;
  /** All in-memory snapshots together stay below this (default 64 MiB); beyond it they spool to disk. */
  memoryBudgetBytes?: number;
  /** Rows per scan page (memory per scan is about two pages). */
  scanPageSize?: number;
  /** Partitions built at the same time when a listing needs all of them. */
  scanConcurrency?: number;
  logger: Logger;
  clock?: Clock;
}

/** IGFS keeps its metadata and blocks in caches named like this; they are not user data. */
const IGFS_INTERNAL_CACHE = /^igfs-internal-/;
const PARTITION_FILE = /^(0|[1-9][0-9]{0,6})\.tfrecord$/;
const ROWS_DIR = 'rows';
const PARTITIONS_DIR = 'partitions';
const SCHEMA_FILE = 'schema.json';
const CACHE_NAMING: KeyNaming = { kind: 'bare', type: 'string' };
const BARE_TYPES: ReadonlySet<string> = new Set<BareKeyType>(['byte', 'short', 'int', 'long', 'string', 'uuid']);
const DEFAULT_MAX_SNAPSHOT_MEMORY_BYTES = 4 * 1024 * 1024;
const DEFAULT_MEMORY_BUDGET_BYTES = 64 * 1024 * 1024;
// Rows of 1 MiB values are common (images, tensors): 32 per page keeps a scan near 64 MiB in flight.
const DEFAULT_SCAN_PAGE_SIZE = 32;
const DEFAULT_SCAN_CONCURRENCY = 4;
const TEMP_DIR_PREFIX = 'ignite-fuse-caches-';
const DIR_MODE = 0o555;
const FILE_MODE = 0o444;

class CacheList implements Disposable {
  constructor(
    /** Escaped directory name -> cache name. */
    readonly byDirName: ReadonlyMap<string, string>,
  ) {}

  async dispose(): Promise<void> {}
}

class CacheInfo implements Disposable {
  constructor(readonly partitions: number) {}

  async dispose(): Promise<void> {}
}

class SpooledFile implements Disposable {
  constructor(readonly spool: Spool, readonly rows: number) {}

  get size(): number {
    return this.spool.size;
  }

  dispose(): Promise<void> {
    return this.spool.release();
  }
}

/** The row files of one cache: contents back to back in one spool, and a compact name -> slot index. */
class RowsIndex implements Disposable {
  constructor(
    readonly spool: Spool,
    readonly slots: ReadonlyMap<string, number>,
    readonly names: readonly string[],
    readonly offsets: Float64Array,
    readonly sizes: Float64Array,
    /** Slot -> why its value could not be decoded (the file reads EIO). */
    readonly errors: ReadonlyMap<number, string>,
  ) {}

  dispose(): Promise<void> {
    return this.spool.release();
  }
}

class TextFile implements Disposable {
  constructor(readonly content: Buffer) {}

  get size(): number {
    return this.content.length;
  }

  async dispose(): Promise<void> {}
}

/** Everything the view keeps about one cache; each part has its own snapshot. */
class CacheState {
  readonly partitionFiles = new Map<number, TtlSlot<SpooledFile>>();

  constructor(
    readonly name: string,
    readonly info: TtlSlot<CacheInfo>,
    readonly rows: TtlSlot<RowsIndex>,
    readonly schema: TtlSlot<TextFile>,
  ) {}

  close(): void {
    this.info.close();
    this.rows.close();
    this.schema.close();
    for (const slot of this.partitionFiles.values()) slot.close();
    this.partitionFiles.clear();
  }
}

export class CachesBackend implements Backend {
  readonly readOnly = true;
  private readonly reader: CacheReader;
  private readonly ttlMs: number;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly dir: string;
  private readonly budget: MemoryBudget;
  private readonly maxSnapshotMemoryBytes: number;
  private readonly pageSize: number;
  private readonly concurrency: number;
  private readonly cacheList: TtlSlot<CacheList>;
  private readonly caches = new Map<string, CacheState>();
  private readonly mountedMs: number;
  private sweeper: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(reader: CacheReader, dir: string, options: CachesBackendOptions) {
    this.reader = reader;
    this.dir = dir;
    this.ttlMs = options.viewTtlMs;
    this.logger = options.logger;
    this.clock = options.clock ?? Date.now;
    this.budget = new MemoryBudget(options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET_BYTES);
    this.maxSnapshotMemoryBytes = options.maxSnapshotMemoryBytes ?? DEFAULT_MAX_SNAPSHOT_MEMORY_BYTES;
    this.pageSize = options.scanPageSize ?? DEFAULT_SCAN_PAGE_SIZE;
    this.concurrency = options.scanConcurrency ?? DEFAULT_SCAN_CONCURRENCY;
    this.cacheList = new TtlSlot(() => this.loadCacheList(), this.ttlMs, this.clock);
    this.mountedMs = this.clock();
  }

  /** Creates the view's temp directory and starts the sweeper that frees expired snapshots. */
  static async create(reader: CacheReader, options: CachesBackendOptions): Promise<CachesBackend> {
    const parent = options.tempDir ?? tmpdir();
    await removeStaleTempDirs(parent);
    const dir = await mkdtemp(join(parent, `${TEMP_DIR_PREFIX}${process.pid}-`));
    const backend = new CachesBackend(reader, dir, options);
    // Sweeping about twice per TTL bounds how long an expired spool file outlives its TTL; never busier than 1/s.
    const everyMs = Math.max(1000, Math.floor(options.viewTtlMs / 2));
    backend.sweeper = setInterval(() => backend.sweep(), everyMs);
    backend.sweeper.unref();
    return backend;
  }

  /** The temp directory holding spool files (removed at shutdown). */
  get tempDir(): string {
    return this.dir;
  }

  /** Releases every snapshot and removes the temp directory. Open handles read ENOENT afterwards. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.sweeper !== undefined) clearInterval(this.sweeper);
    this.cacheList.close();
    for (const state of this.caches.values()) state.close();
    this.caches.clear();
    await rm(this.dir, { recursive: true, force: true });
  }

  // ---------------------------------------------------------------------------------------------------------
  // Reading

  async stat(path: string): Promise<EntryAttrs> {
    const parts = splitPath(path);
    if (parts.length === 0) return this.dirAttrs(this.mountedMs);
    const state = await this.cacheAt(parts[0]!, path);
    if (parts.length === 1) return this.dirAttrs(this.mountedMs);
    const [, area, name] = parts;
    if (parts.length === 2) {
      if (area === ROWS_DIR || area === PARTITIONS_DIR) return this.dirAttrs(this.mountedMs);
      if (area === SCHEMA_FILE) return this.guard(path, state, () => state.schema.with((f, at) => fileAttrs(f.size, at, 'schema')));
      throw enoent(path);
    }
    if (parts.length !== 3) throw enoent(path);
    if (area === ROWS_DIR) {
      return this.guard(path, state, () => state.rows.with((index, at) => {
        const slot = index.slots.get(name!);
        if (slot === undefined) throw enoent(path);
        return fileAttrs(index.sizes[slot]!, at, `row${slot}`);
      }));
    }
    if (area === PARTITIONS_DIR) {
      const slot = await this.partitionSlot(state, name!, path);
      return this.guard(path, state, () => slot.with((f, at) => fileAttrs(f.size, at, 'partition')));
    }
    throw enoent(path);
  }

  async list(path: string): Promise<DirEntry[]> {
    const parts = splitPath(path);
    if (parts.length === 0) {
      const caches = await this.guard(path, undefined, () => this.cacheList.with((l) => [...l.byDirName.keys()]));
      return caches.map((name) => ({ name, attrs: this.dirAttrs(this.mountedMs) }));
    }
    const state = await this.cacheAt(parts[0]!, path);
    if (parts.length === 1) {
      return [
        { name: ROWS_DIR, attrs: this.dirAttrs(this.mountedMs) },
        { name: PARTITIONS_DIR, attrs: this.dirAttrs(this.mountedMs) },
        { name: SCHEMA_FILE, attrs: await this.stat(`${path}/${SCHEMA_FILE}`) },
      ];
    }
    if (parts.length !== 2) {
      await this.stat(path); // ENOENT, or ENOTDIR for a file
      throw new FsError('ENOTDIR', `not a directory: ${path}`, { path });
    }
    const area = parts[1];
    if (area === ROWS_DIR) {
      return this.guard(path, state, () => state.rows.with((index, at) =>
        index.names.map((name, slot) => ({ name, attrs: fileAttrs(index.sizes[slot]!, at, `row${slot}`) }))));
    }
    if (area === PARTITIONS_DIR) {
      const count = await this.guard(path, state, () => state.info.with((i) => i.partitions));
      // Every partition file's size is part of the listing: build (or reuse) all snapshots, a few at a time.
      const entries: DirEntry[] = new Array(count);
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < count) {
          const p = next++;
          const name = `${p}.tfrecord`;
          const slot = await this.partitionSlot(state, name, `${path}/${name}`);
          entries[p] = { name, attrs: await this.guard(path, state, () => slot.with((f, at) => fileAttrs(f.size, at, 'partition'))) };
        }
      };
      await Promise.all(Array.from({ length: Math.min(this.concurrency, Math.max(1, count)) }, worker));
      return entries;
    }
    if (area === SCHEMA_FILE) throw new FsError('ENOTDIR', `not a directory: ${path}`, { path });
    throw enoent(path);
  }

  async openRead(path: string): Promise<ReadHandle> {
    const parts = splitPath(path);
    if (parts.length < 2) throw new FsError('EISDIR', `is a directory: ${path}`, { path });
    const state = await this.cacheAt(parts[0]!, path);
    const [, area, name] = parts;
    if (parts.length === 2 && area === SCHEMA_FILE) {
      const lease = await this.guard(path, state, () => state.schema.acquire());
      return this.handle(path, state, lease, lease.value.size, (pos, len) =>
        lease.value.content.subarray(pos, pos + len));
    }
    if (parts.length === 2 && (area === ROWS_DIR || area === PARTITIONS_DIR)) {
      throw new FsError('EISDIR', `is a directory: ${path}`, { path });
    }
    if (parts.length !== 3) throw enoent(path);
    if (area === ROWS_DIR) {
      const lease = await this.guard(path, state, () => state.rows.acquire());
      const index = lease.value;
      const slot = index.slots.get(name!);
      if (slot === undefined) {
        lease.release();
        throw enoent(path);
      }
      const error = index.errors.get(slot);
      if (error !== undefined) {
        lease.release();
        this.logger.error(`${path}: ${error}`);
        throw new FsError('EIO', `${path}: ${error}`, { path });
      }
      const base = index.offsets[slot]!;
      return this.handle(path, state, lease, index.sizes[slot]!, (pos, len) => index.spool.readAt(base + pos, len));
    }
    if (area === PARTITIONS_DIR) {
      const slot = await this.partitionSlot(state, name!, path);
      const lease = await this.guard(path, state, () => slot.acquire());
      return this.handle(path, state, lease, lease.value.size, (pos, len) => lease.value.spool.readAt(pos, len));
    }
    throw enoent(path);
  }

  async statfs(): Promise<StatFs> {
    return { totalBytes: 0, usedBytes: 0 };
  }

  // ---------------------------------------------------------------------------------------------------------
  // Every mutation: the view is read-only.

  create(path: string, _options?: CreateOptions): Promise<WriteHandle> {
    return Promise.reject(erofs(path));
  }

  append(path: string): Promise<WriteHandle> {
    return Promise.reject(erofs(path));
  }

  mkdir(path: string, _attrs?: SetAttrs): Promise<void> {
    return Promise.reject(erofs(path));
  }

  unlink(path: string): Promise<void> {
    return Promise.reject(erofs(path));
  }

  rmdir(path: string): Promise<void> {
    return Promise.reject(erofs(path));
  }

  rename(from: string, _to?: string): Promise<void> {
    return Promise.reject(erofs(from));
  }

  setAttrs(path: string, _attrs?: SetAttrs): Promise<void> {
    return Promise.reject(erofs(path));
  }

  // ---------------------------------------------------------------------------------------------------------
  // Snapshots

  /** Drops expired snapshots (spool files go once no open file holds them) and the state of vanished caches. */
  sweep(): void {
    if (this.closed) return;
    this.cacheList.sweep();
    for (const [name, state] of this.caches) {
      let empty = state.info.sweep();
      empty = state.rows.sweep() && empty;
      empty = state.schema.sweep() && empty;
      for (const [p, slot] of state.partitionFiles) {
        if (slot.sweep()) state.partitionFiles.delete(p);
        else empty = false;
      }
      if (empty) this.caches.delete(name);
    }
  }

  private async loadCacheList(): Promise<CacheList> {
    const names = await this.reader.listCaches();
    const byDirName = new Map<string, string>();
    for (const name of names.sort()) {
      if (IGFS_INTERNAL_CACHE.test(name)) continue;
      byDirName.set(encodeKeyName({ type: 'string', value: name }, CACHE_NAMING), name);
    }
    return new CacheList(byDirName);
  }

  /** The state of the cache shown as `dirName`, ENOENT when the (current) cache list does not have it. */
  private async cacheAt(dirName: string, path: string): Promise<CacheState> {
    if (this.closed) throw enoent(path);
    const name = await this.guard(path, undefined, () => this.cacheList.with((l) => l.byDirName.get(dirName)));
    if (name === undefined) throw enoent(path);
    let state = this.caches.get(name);
    if (state === undefined) {
      state = new CacheState(
        name,
        new TtlSlot(async () => new CacheInfo(await this.reader.partitionCount(name)), this.ttlMs, this.clock),
        new TtlSlot(() => this.buildRows(name), this.ttlMs, this.clock),
        new TtlSlot(() => this.buildSchema(name), this.ttlMs, this.clock),
      );
      this.caches.set(name, state);
    }
    return state;
  }

  private async partitionSlot(state: CacheState, fileName: string, path: string): Promise<TtlSlot<SpooledFile>> {
    const m = PARTITION_FILE.exec(fileName);
    if (m === null) throw enoent(path);
    const p = Number(m[1]);
    const count = await this.guard(path, state, () => state.info.with((i) => i.partitions));
    if (p >= count) throw enoent(path);
    let slot = state.partitionFiles.get(p);
    if (slot === undefined) {
      slot = new TtlSlot(() => this.buildPartition(state.name, p), this.ttlMs, this.clock);
      state.partitionFiles.set(p, slot);
    }
    return slot;
  }

  private newSpool(): Spool {
    return new Spool({ dir: this.dir, maxMemoryBytes: this.maxSnapshotMemoryBytes, budget: this.budget });
  }

  private async buildPartition(cache: string, partition: number): Promise<SpooledFile> {
    const spool = this.newSpool();
    let rows = 0;
    try {
      for await (const item of this.reader.scanPartition(cache, partition, { pageSize: this.pageSize })) {
        if (!item.ok) {
          this.logger.warn(`cache ${cache} partition ${partition}: ${item.lostRows} row(s) skipped: ${item.error.message}`);
          continue;
        }
        let record: Buffer;
        try {
          const key = await decodeRowKey(item);
          const value = await decodeRowValue(item);
          record = encodeTfRecord(encodeRowExample({ key, value }));
        } catch (err) {
          this.logger.warn(`cache ${cache} partition ${partition}: row skipped: ${errorText(err)}`);
          continue;
        }
        await spool.append(record);
        rows++;
      }
      await spool.finish();
    } catch (err) {
      await spool.release();
      throw err;
    }
    return new SpooledFile(spool, rows);
  }

  private async buildRows(cache: string): Promise<RowsIndex> {
    const spool = this.newSpool();
    const keyTypes = new Set<string>();
    const typedNames: string[] = [];
    // Filled only while every key so far has one bare-nameable type; dropped as soon as a second type shows.
    let bareNames: string[] | undefined = [];
    const offsets: number[] = [];
    const sizes: number[] = [];
    const errors = new Map<number, string>();
    try {
      for await (const item of this.reader.scanPartition(cache, -1, { pageSize: this.pageSize })) {
        if (!item.ok) {
          this.logger.warn(`cache ${cache}: ${item.lostRows} row(s) not listed: ${item.error.message}`);
          continue;
        }
        let key;
        try {
          key = await decodeRowKey(item);
        } catch (err) {
          this.logger.warn(`cache ${cache}: row not listed: ${errorText(err)}`);
          continue;
        }
        if (key === null) continue;
        keyTypes.add(key.type);
        if (bareNames !== undefined) {
          bareNames = keyTypes.size === 1 && BARE_TYPES.has(key.type)
            ? (bareNames.push(encodeKeyName(key, { kind: 'bare', type: key.type as BareKeyType })), bareNames)
            : undefined;
        }
        const slot = typedNames.length;
        typedNames.push(encodeKeyName(key, { kind: 'typed' }));
        let content: Buffer;
        try {
          content = renderValueFile(await decodeRowValue(item));
        } catch (err) {
          const why = errorText(err);
          this.logger.error(`cache ${cache}: row ${typedNames[slot]} reads EIO: ${why}`);
          errors.set(slot, why);
          content = Buffer.alloc(0);
        }
        offsets.push(await spool.append(content));
        sizes.push(content.length);
      }
      await spool.finish();
    } catch (err) {
      await spool.release();
      throw err;
    }
    const naming = chooseKeyNaming(keyTypes);
    const names = naming.kind === 'bare' && bareNames !== undefined ? bareNames : typedNames;
    const slots = new Map<string, number>();
    names.forEach((name, slot) => slots.set(name, slot));
    return new RowsIndex(spool, slots, names, Float64Array.from(offsets), Float64Array.from(sizes), errors);
  }

  private async buildSchema(cache: string): Promise<TextFile> {
    const builder = new SchemaBuilder(cache);
    for await (const item of this.reader.scanPartition(cache, -1, { pageSize: this.pageSize })) {
      if (!item.ok) continue;
      try {
        builder.add({ key: await decodeRowKey(item), value: await decodeRowValue(item) });
      } catch {
        // Logged where the row is served (rows/, partitions/); the schema describes the rows that decode.
      }
    }
    return new TextFile(Buffer.from(builder.render(), 'utf8'));
  }

  // ---------------------------------------------------------------------------------------------------------
  // Handles and errors

  private handle<T extends Disposable>(
    path: string,
    state: CacheState,
    lease: Lease<T>,
    size: number,
    read: (position: number, length: number) => Buffer | Promise<Buffer>,
  ): ReadHandle {
    let closed = false;
    return {
      size,
      readAt: async (position: number, length: number): Promise<Buffer> => {
        if (closed || this.closed) throw new FsError('ENOENT', `${path}: the view was closed`, { path });
        // An open file keeps its snapshot; once that expired, it is served only while the cache still exists.
        if (this.clock() >= lease.expiresMs) await this.cacheAt(splitPath(path)[0]!, path);
        const end = Math.min(size, position + length);
        if (end <= position) return Buffer.alloc(0);
        try {
          return await read(position, end - position);
        } catch (err) {
          throw await this.toFsError(err, path, state);
        }
      },
      close: async (): Promise<void> => {
        if (closed) return;
        closed = true;
        lease.release();
      },
    };
  }

  /** Runs `op`, turning thin-client and server failures into FsError (ENOENT when the cache is gone). */
  private async guard<R>(path: string, state: CacheState | undefined, op: () => Promise<R>): Promise<R> {
    try {
      return await op();
    } catch (err) {
      throw await this.toFsError(err, path, state);
    }
  }

  private async toFsError(err: unknown, path: string, state: CacheState | undefined): Promise<FsError> {
    if (err instanceof FsError) return err;
    if (state !== undefined) {
      // A scan of a destroyed cache fails on the server: that is ENOENT, not an I/O error.
      const names = await this.reader.listCaches().catch(() => undefined);
      if (names !== undefined && !names.includes(state.name)) {
        return new FsError('ENOENT', `${path}: cache ${state.name} no longer exists`, { path, cause: err });
      }
    }
    this.logger.error(`${path}: ${errorText(err)}`);
    return new FsError('EIO', `${path}: ${errorText(err)}`, { path, cause: err });
  }

  private dirAttrs(ms: number): EntryAttrs {
    return { kind: 'directory', size: 0, mtimeMs: ms, atimeMs: ms, mode: DIR_MODE, version: String(ms) };
  }
}

function fileAttrs(size: number, createdMs: number, what: string): EntryAttrs {
  return { kind: 'file', size, mtimeMs: createdMs, atimeMs: createdMs, mode: FILE_MODE, version: `${what}:${createdMs}:${size}` };
}

/** Spool directories of daemons that died without a shutdown (kill -9): the pid in the name is gone. */
async function removeStaleTempDirs(parent: string): Promise<void> {
  const names = await readdir(parent).catch(() => [] as string[]);
  for (const name of names) {
    const m = new RegExp(`^${TEMP_DIR_PREFIX}(\\d+)-`).exec(name);
    if (m === null || processExists(Number(m[1]))) continue;
    await rm(join(parent, name), { recursive: true, force: true }).catch(() => undefined);
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function splitPath(path: string): string[] {
  return path.split('/').filter((p) => p !== '');
}

function enoent(path: string): FsError {
  return new FsError('ENOENT', `no such file or directory: ${path}`, { path });
}

function erofs(path: string): FsError {
  return new FsError('EROFS', `read-only filesystem (the caches view): ${path}`, { path });
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
