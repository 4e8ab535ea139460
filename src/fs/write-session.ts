// The write state of one file on this mount, shared by all its writable handles.
//
//   idle       nothing pending; the store holds the content (`committed` bytes).
//   streaming  the store's append handle is open; bytes written since the last commit (`pending`) are
//              also kept here (`tail`, up to maxUnflushedBytes) so readers on this mount see them before
//              the store shows them. Beyond that bound the tail is dropped, and a read of uncommitted
//              bytes commits first (one CLOSE + OPEN_APPEND), so writers alone never pay for readers.
//   staged     a full local copy (StagedFile) takes writes anywhere; fsync/close rewrites the file in
//              the store under a temporary name and renames it into place.
//
// Size and readable content move forward together: `size` is committed + pending (or the staged size),
// and every byte below it is readable from the store, the tail, a commit on demand or the staged copy.
// Every method must run under the file's mutex (OpenFile.mutex), except `size`/`state`/`dirty`.
import type { Backend, WriteHandle } from './backend.js';
import { FsError, isFsError } from './errors.js';
import { replaceFile, tempNameFor } from './replace-file.js';
import type { StagedFile, StagingArea } from './staging.js';
import { statIfExists } from './stat-if-exists.js';
import { ChunkList } from '../util/chunk-list.js';
import type { Clock, TimerId } from '../util/clock.js';

export type SessionState = 'idle' | 'streaming' | 'staged';

export interface WriteSessionDeps {
  backend: Backend;
  staging: StagingArea;
  clock: Clock;
  /** Periodic commit of an open stream; 0 commits only at fsync/flush/close. */
  commitIntervalMs: number;
  /** Uncommitted bytes kept in memory for readers on this mount (bounds memory per writer). */
  maxUnflushedBytes: number;
  /** Zero-filled gaps (write past the end, truncate up) beyond this fail with EFBIG. */
  maxGapBytes: number;
  /** Runs `work` under the file's mutex (used by the commit timer). */
  runExclusive(work: () => Promise<void>): Promise<void>;
  /** The store now holds a different file at the path (re-created or rewritten). */
  onReplaced(): void;
}

/** Bytes moved per store call when copying into or out of staging. */
const COPY_CHUNK_BYTES = 1 << 20;
/** Shared zeros for hole filling; never modified, so handing slices to the store is safe. */
const ZEROS = Buffer.alloc(COPY_CHUNK_BYTES);
function asFsError(err: unknown, path: string, what: string): FsError {
  if (isFsError(err)) return err;
  return new FsError('EIO', `${what}: ${path}`, { path, cause: err });
}

export class WriteSession {
  private handle: WriteHandle | undefined;
  private committed: number;
  /** Bytes written to the stream since the last commit. */
  private pending = 0;
  /** The pending bytes, while they fit in maxUnflushedBytes; empty and incomplete once dropped. */
  private readonly tail = new ChunkList();
  private tailComplete = true;
  private staged: StagedFile | undefined;
  private failure: FsError | undefined;
  private timer: TimerId | undefined;
  private lastWriteMs: number | undefined;
  /** Times set by utimens during the session, re-applied after each staged rewrite. */
  private keptTimes: { atimeMs?: number; mtimeMs?: number } | undefined;
  private orphaned = false;

  constructor(
    private readonly deps: WriteSessionDeps,
    public path: string,
    committedSize: number,
    handle?: WriteHandle,
  ) {
    this.committed = committedSize;
    this.handle = handle;
  }

  get state(): SessionState {
    if (this.staged !== undefined) return 'staged';
    return this.handle !== undefined ? 'streaming' : 'idle';
  }

  /** The file's size as this mount sees it. */
  get size(): number {
    return this.staged !== undefined ? this.staged.size : this.committed + this.pending;
  }

  /** Time of the last write not yet committed, for getattr's mtime. */
  get uncommittedWriteMs(): number | undefined {
    return this.state === 'idle' ? undefined : this.lastWriteMs;
  }

  /**
   * utimens set these times while the file is open for writing: getattr shows them, not the time of the writes so
   * far (tar x and cp -p call futimens before close). A staged rewrite replaces the file at fsync/close
   * (new times), so they are set again after it; a later write or truncate makes "now" the right mtime again.
   */
  timesSet(times: { atimeMs?: number; mtimeMs?: number }): void {
    if (times.mtimeMs !== undefined) this.lastWriteMs = undefined;
    this.keptTimes = {
      atimeMs: times.atimeMs ?? this.keptTimes?.atimeMs,
      mtimeMs: times.mtimeMs ?? this.keptTimes?.mtimeMs,
    };
  }

  private dropKeptMtime(): void {
    if (this.keptTimes !== undefined) this.keptTimes = { atimeMs: this.keptTimes.atimeMs };
  }

  /** Reports the deferred error: every write/fsync/flush/release after a failure does, until the session ends. */
  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  async write(position: number, data: Buffer, append: boolean): Promise<void> {
    this.checkUsable();
    // write(2) of nothing changes nothing (and must not extend the file to `position`).
    if (data.length === 0) return;
    this.dropKeptMtime();
    if (this.staged !== undefined) {
      await this.staged.write(append ? this.staged.size : position, data);
      this.lastWriteMs = this.deps.clock.now();
      return;
    }
    // Decide with what we know; opening the stream can reveal a longer file (another mount appended).
    if (!append && position < this.size) {
      await this.writeStaged(position, data);
      return;
    }
    await this.ensureStreaming();
    const at = append ? this.size : position;
    if (at < this.size) {
      await this.writeStaged(at, data);
      return;
    }
    await this.appendZeros(at - this.size);
    // The caller's buffer (fuse-native's) is reused after we answer; the store and the tail keep a copy.
    await this.appendBytes(Buffer.from(data));
  }

  async truncate(size: number): Promise<void> {
    this.checkUsable();
    this.dropKeptMtime();
    if (size === 0) {
      await this.recreateEmpty();
      return;
    }
    if (this.staged !== undefined) {
      await this.staged.truncate(size);
      this.lastWriteMs = this.deps.clock.now();
      return;
    }
    if (size === this.size) return;
    if (size > this.size) {
      await this.ensureStreaming();
      await this.appendZeros(size - this.size);
      return;
    }
    await this.stage(size);
  }

  /** Reads through the session; `readStore` reads committed bytes [position, position+length) of the store. */
  async read(
    position: number,
    length: number,
    readStore: (position: number, length: number, committedSize: number) => Promise<Buffer>,
  ): Promise<Buffer> {
    if (this.staged !== undefined) return this.staged.read(position, length);
    const end = Math.min(this.size, position + length);
    if (end <= position) return Buffer.alloc(0);
    // The tail no longer holds every pending byte: make the store hold them.
    if (end > this.committed && !this.tailComplete) await this.commit();
    const committed = this.committed;
    const parts: Buffer[] = [];
    if (position < committed) {
      const stored = await readStore(position, Math.min(end, committed) - position, committed);
      parts.push(stored);
      // A short store read ends the reply there: never return bytes after a gap.
      if (stored.length < Math.min(end, committed) - position) return stored;
    }
    if (end > committed) {
      const from = Math.max(position, committed);
      parts.push(this.tail.read(from - committed, end - from));
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  /** fsync: make everything written visible to other clients. */
  async commit(): Promise<void> {
    this.throwIfFailed();
    if (this.staged !== undefined) {
      await this.commitStaged();
      return;
    }
    if (this.handle === undefined || this.pending === 0) return;
    this.clearTimer();
    try {
      await this.handle.flush();
    } catch (err) {
      throw this.fail(err, 'commit failed');
    }
    this.markCommitted();
  }

  /**
   * Commits and releases the store's writer lock (close(2) of the last writer, rename of an open file).
   * The session stays usable: a later write reopens the stream for append.
   */
  async settle(): Promise<void> {
    this.throwIfFailed();
    if (this.staged !== undefined) await this.commitStaged();
    else await this.closeStream();
  }

  /** The last writer went away: settle, report any deferred error, and free everything. */
  async finish(): Promise<void> {
    this.clearTimer();
    try {
      await this.settle();
    } finally {
      await this.release();
    }
  }

  /** The file was unlinked on this mount: stop writing to the store; later writes fail. */
  async orphan(): Promise<void> {
    this.orphaned = true;
    await this.release();
  }

  /** Drops the stream (closing it), the tail and the staged copy, keeping the sticky error. */
  private async release(): Promise<void> {
    this.clearTimer();
    const handle = this.handle;
    this.handle = undefined;
    this.markCommitted();
    if (handle !== undefined) await handle.close().catch(() => undefined);
    const staged = this.staged;
    this.staged = undefined;
    if (staged !== undefined) await staged.dispose();
  }

  private checkUsable(): void {
    this.throwIfFailed();
    if (this.orphaned) {
      throw new FsError('EIO', `file was unlinked while open for writing; writes are not kept: ${this.path}`, {
        path: this.path,
      });
    }
  }

  private fail(err: unknown, what: string): FsError {
    const error = asFsError(err, this.path, what);
    this.failure ??= error;
    this.clearTimer();
    return this.failure;
  }

  private async ensureStreaming(): Promise<void> {
    if (this.handle !== undefined) return;
    // Not sticky: the file is unchanged when the stream cannot be opened (e.g. EBUSY from another mount).
    const handle = await this.deps.backend.append(this.path);
    this.handle = handle;
    this.committed = handle.size;
  }

  private async appendBytes(data: Buffer): Promise<void> {
    this.pending += data.length;
    if (this.tailComplete && this.tail.length + data.length <= this.deps.maxUnflushedBytes) {
      this.tail.append(data);
    } else if (this.tailComplete) {
      this.tail.clear();
      this.tailComplete = false;
    }
    this.lastWriteMs = this.deps.clock.now();
    try {
      await this.handle!.write(data);
    } catch (err) {
      throw this.fail(err, 'write failed');
    }
    this.armTimer();
  }

  private async appendZeros(count: number): Promise<void> {
    if (count <= 0) return;
    if (count > this.deps.maxGapBytes) {
      throw new FsError(
        'EFBIG',
        `a hole of ${count} bytes past the end would be written as zeros, above the limit of ` +
          `${this.deps.maxGapBytes} (maxStagedBytes): ${this.path}`,
        { path: this.path },
      );
    }
    for (let left = count; left > 0; left -= ZEROS.length) {
      await this.appendBytes(ZEROS.subarray(0, Math.min(left, ZEROS.length)));
    }
  }

  private async writeStaged(position: number, data: Buffer): Promise<void> {
    await this.stage(this.size, Math.max(this.size, position + data.length));
    await this.staged!.write(position, data);
    this.lastWriteMs = this.deps.clock.now();
  }

  /**
   * Switches to staged mode with a local copy of the first `copyBytes` of the file. Checks the limit
   * for `neededBytes` before any I/O, so EFBIG leaves the file untouched.
   */
  private async stage(copyBytes: number, neededBytes = copyBytes): Promise<void> {
    this.deps.staging.check(neededBytes, this.path);
    // The store must hold everything before we copy from it.
    await this.closeStream();
    const staged = await this.deps.staging.createFile(this.path);
    try {
      const reader = await this.deps.backend.openRead(this.path);
      try {
        if (reader.size < copyBytes) {
          throw new FsError('EIO', `store shows ${reader.size} bytes, expected ${copyBytes}: ${this.path}`, {
            path: this.path,
          });
        }
        for (let position = 0; position < copyBytes; ) {
          const chunk = await reader.readAt(position, Math.min(COPY_CHUNK_BYTES, copyBytes - position));
          if (chunk.length === 0) throw new FsError('EIO', `store ended early while staging: ${this.path}`);
          await staged.write(position, chunk);
          position += chunk.length;
        }
      } finally {
        await reader.close().catch(() => undefined);
      }
    } catch (err) {
      await staged.dispose();
      throw asFsError(err, this.path, 'staging copy failed');
    }
    this.staged = staged;
    this.lastWriteMs = this.deps.clock.now();
  }

  private async closeStream(): Promise<void> {
    this.clearTimer();
    const handle = this.handle;
    if (handle === undefined) return;
    this.handle = undefined;
    try {
      await handle.close();
    } catch (err) {
      throw this.fail(err, 'close failed');
    }
    this.markCommitted();
  }

  private markCommitted(): void {
    this.committed += this.pending;
    this.pending = 0;
    this.tail.clear();
    this.tailComplete = true;
  }

  /** O_TRUNC / truncate(0): the store's native overwrite, keeping owner, group and mode. */
  private async recreateEmpty(): Promise<void> {
    const attrs = await statIfExists(this.deps.backend, this.path);
    // The old content is being discarded, so a failure to commit it is not this file's failure any more.
    await this.release();
    this.handle = await this.deps.backend.create(this.path, {
      overwrite: true, mode: attrs?.mode, user: attrs?.user, group: attrs?.group,
    });
    this.deps.onReplaced();
    this.committed = 0;
    this.lastWriteMs = this.deps.clock.now();
  }

  /** Rewrites the staged copy under a temporary name, then replaces the file with it. */
  private async commitStaged(): Promise<void> {
    const staged = this.staged!;
    const attrs = await statIfExists(this.deps.backend, this.path);
    const temp = tempNameFor(this.path);
    const { backend } = this.deps;
    let handle: WriteHandle | undefined;
    try {
      handle = await backend.create(temp, { overwrite: false, mode: attrs?.mode, user: attrs?.user, group: attrs?.group });
      for (let position = 0; position < staged.size; position += COPY_CHUNK_BYTES) {
        await handle.write(await staged.read(position, COPY_CHUNK_BYTES));
      }
      const written = handle;
      handle = undefined;
      await written.close();
    } catch (err) {
      if (handle !== undefined) await handle.close().catch(() => undefined);
      await backend.unlink(temp).catch(() => undefined);
      throw this.fail(err, 'rewrite of a staged file failed');
    }
    try {
      if (attrs !== undefined) await replaceFile(backend, temp, this.path);
      else await backend.rename(temp, this.path);
    } catch (err) {
      throw this.fail(err, `replacing the file with its rewrite failed (content kept in ${temp})`);
    }
    this.deps.onReplaced();
    this.committed = staged.size;
    this.staged = undefined;
    await staged.dispose();
    const times = this.keptTimes;
    if (times !== undefined && (times.atimeMs !== undefined || times.mtimeMs !== undefined)) {
      try {
        await backend.setAttrs(this.path, times);
      } catch (err) {
        throw this.fail(err, 'setting the times again after the rewrite failed');
      }
    }
  }

  private armTimer(): void {
    if (this.deps.commitIntervalMs <= 0 || this.timer !== undefined) return;
    this.timer = this.deps.clock.setTimeout(() => {
      this.timer = undefined;
      // A failure becomes the sticky error (see commit), reported by the next operation.
      void this.deps.runExclusive(() => this.commit()).catch(() => undefined);
    }, this.deps.commitIntervalMs);
  }

  private clearTimer(): void {
    if (this.timer === undefined) return;
    this.deps.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
