// POSIX semantics over a Backend: open flags and handles, append streaming with read-your-writes,
// staging for random writes and truncate(n > 0), rename over existing targets, owners as names,
// access checks. Never imports fuse-native; fuse/ adapts this to libfuse. See docs/SEMANTICS.md.
//
// Documented behaviours worth knowing when reading the code:
// - rename onto an existing file (IGFS refuses existing targets) = rename the target aside, rename the
//   source into place, delete the aside copy (replace-file.ts): for a moment the target name does not
//   exist; on failure the target is put back.
// - unlink (and rename-over) of a file that is open on this mount: the file is renamed to a hidden name
//   (readdir never shows it) and deleted when its last handle on this mount closes, because IGFS purges a
//   deleted file's blocks under open readers within moments. Read handles keep reading; writes through
//   them fail with EIO. rmdir of the parent deletes such hidden files first. No `.fuse_hidden*` files:
//   fuse/ mounts with hard_remove, so this is the only hiding. A crash can leave hidden files behind.
// - A staged rewrite is visible at fsync/close, written to `.<name>.ifuse-xxxxxxxx` and moved into
//   place the same way; readdir hides those names.
import { constants } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Backend, EntryAttrs, WriteHandle } from './backend.js';
import { FsError, isFsError } from './errors.js';
import { HandleTable } from './handle-table.js';
import { idForName, loadSystemIdentityMap, nameForId, type IdentityMap } from './identity.js';
import type { FileHandleEntry, OpenFile } from './open-file.js';
import { decodeOpenFlags, type OpenMode } from './open-flags.js';
import { isSameOrBelow, joinPath, parentOf } from './paths.js';
import {
  S_IFDIR, S_IFREG, type Caller, type FsStats, type PosixFs, type Stat, type TimesUpdate,
} from './posix-fs.js';
import { StagingArea } from './staging.js';
import { statIfExists } from './stat-if-exists.js';
import { WriteSession } from './write-session.js';
import { isTempName, replaceFile, tempNameFor } from './replace-file.js';
import { systemClock, type Clock } from '../util/clock.js';
import { KeyedMutex } from '../util/keyed-mutex.js';

export interface FileSystemOptions {
  /** EROFS for every mutation (also implied by a read-only Backend). */
  readOnly?: boolean;
  /** Owner shown for entries that store no `usrName`/`grpName` (default: this process's ids). */
  uid?: number;
  gid?: number;
  /** Local directory for staged random writes (default: <tmpdir>/ignite-fuse-staging). */
  stagingDir?: string;
  /**
   * Bound on bytes staged locally across all files, and on a zero-filled hole; beyond it a write or
   * truncate fails with EFBIG at once (default 1 GiB).
   */
  maxStagedBytes?: number;
  /** An open writer commits at most this often (0: only at fsync/close; default 0). */
  commitIntervalMs?: number;
  /**
   * Uncommitted bytes a writer keeps in memory for readers on this mount (default 16 MiB); beyond it, a
   * read of not-yet-committed bytes commits the writer first.
   */
  maxUnflushedBytes?: number;
  clock?: Clock;
  /** uid/gid <-> names (default: /etc/passwd and /etc/group). */
  identities?: IdentityMap;
}

const DEFAULT_MAX_STAGED_BYTES = 1 << 30;
const DEFAULT_MAX_UNFLUSHED_BYTES = 16 << 20;
const DEFAULT_FILE_MODE = 0o644;
const DEFAULT_DIR_MODE = 0o755;
/** statfs block size: the page size, so `df` figures come out in familiar units. */
const STATFS_BLOCK_SIZE = 4096;
/** IGFS has no inode limit; report a large constant so tools that check free inodes are satisfied. */
const STATFS_FILES = 1 << 30;
/** IGFS itself accepts longer names (a path up to 64 KiB); 255 is what POSIX tools expect. */
const NAME_MAX = 255;
/** chown(2) passes -1 (as an unsigned 32-bit value through FUSE) for "leave unchanged". */
const UNCHANGED_ID = 0xffffffff;
const PERMISSION_BITS = 0o7777;

export class FileSystem implements PosixFs {
  private readonly table = new HandleTable();
  private readonly pathLocks = new KeyedMutex<string>();
  private readonly readOnly: boolean;
  private readonly defaultUid: number;
  private readonly defaultGid: number;
  private readonly identities: IdentityMap;
  private readonly clock: Clock;
  private readonly commitIntervalMs: number;
  private readonly maxUnflushedBytes: number;

  private constructor(
    private readonly backend: Backend,
    private readonly staging: StagingArea,
    options: FileSystemOptions,
  ) {
    this.readOnly = (options.readOnly ?? false) || backend.readOnly;
    this.defaultUid = options.uid ?? process.getuid?.() ?? 0;
    this.defaultGid = options.gid ?? process.getgid?.() ?? 0;
    this.identities = options.identities ?? loadSystemIdentityMap();
    this.clock = options.clock ?? systemClock;
    this.commitIntervalMs = options.commitIntervalMs ?? 0;
    this.maxUnflushedBytes = options.maxUnflushedBytes ?? DEFAULT_MAX_UNFLUSHED_BYTES;
  }

  /** Prepares the staging directory (removing a crashed daemon's leftovers) and builds the filesystem. */
  static async create(backend: Backend, options: FileSystemOptions = {}): Promise<FileSystem> {
    const staging = await StagingArea.open(
      options.stagingDir ?? join(tmpdir(), 'ignite-fuse-staging'),
      options.maxStagedBytes ?? DEFAULT_MAX_STAGED_BYTES,
    );
    return new FileSystem(backend, staging, options);
  }

  async getattr(path: string): Promise<Stat> {
    const file = this.table.fileAt(path);
    return this.statOpen(path, file);
  }

  async fgetattr(_path: string, fh: number): Promise<Stat> {
    const { file } = this.table.get(fh);
    return this.statOpen(file.path, file);
  }

  async readdir(path: string): Promise<string[]> {
    const entries = await this.backend.list(path);
    return entries.map((entry) => entry.name).filter((name) => !isTempName(name));
  }

  async open(path: string, flags: number, caller: Caller): Promise<number> {
    const mode = decodeOpenFlags(flags);
    if (mode.writable) this.checkWritable(path);
    return this.pathLocks.run(path, () => this.openLocked(path, mode, caller, undefined));
  }

  async create(path: string, mode: number, flags: number, caller: Caller): Promise<number> {
    this.checkWritable(path);
    const openMode = { ...decodeOpenFlags(flags), create: true };
    return this.pathLocks.run(path, () => this.openLocked(path, openMode, caller, mode & PERMISSION_BITS));
  }

  async read(_path: string, fh: number, position: number, length: number): Promise<Buffer> {
    const entry = this.table.get(fh);
    if (!entry.mode.readable) throw new FsError('EBADF', `handle ${fh} is not open for reading`, { path: entry.file.path });
    const { file } = entry;
    if (file.session === undefined) return this.readStore(entry, position, length, undefined);
    return file.mutex.run(() => {
      const session = file.session;
      if (session === undefined) return this.readStore(entry, position, length, undefined);
      return session.read(position, length, (at, count, committed) => this.readStore(entry, at, count, committed));
    });
  }

  async write(_path: string, fh: number, data: Buffer, position: number): Promise<number> {
    const entry = this.writableEntry(fh);
    this.checkWritable(entry.file.path);
    await entry.file.mutex.run(() => this.sessionOf(entry.file).write(position, data, entry.mode.append));
    return data.length;
  }

  async flush(_path: string, fh: number): Promise<void> {
    const entry = this.table.get(fh);
    if (!entry.mode.writable) return;
    const { file } = entry;
    await file.mutex.run(async () => {
      const session = file.session;
      if (session === undefined) return;
      // close(2) is the last moment an error can reach the application: the last writer commits and
      // releases the store's writer lock now (release() may come much later, or never report).
      if (file.writers <= 1) await session.settle();
      else await session.commit();
    });
  }

  async fsync(_path: string, fh: number, _dataOnly: boolean): Promise<void> {
    const { file } = this.table.get(fh);
    await file.mutex.run(async () => {
      await file.session?.commit();
    });
  }

  async release(_path: string, fh: number): Promise<void> {
    const entry = this.table.get(fh);
    this.table.remove(entry);
    await entry.reader.close();
    const { file } = entry;
    try {
      if (entry.mode.writable) await this.endSessionIfUnused(file);
    } finally {
      this.table.forgetIfUnused(file);
      await this.deleteHiddenIfUnused(file);
    }
  }

  async truncate(path: string, size: number): Promise<void> {
    this.checkWritable(path);
    if (size < 0) throw new FsError('EINVAL', `negative size ${size}`, { path });
    await this.pathLocks.run(path, async () => {
      const attrs = await this.backend.stat(path);
      if (attrs.kind === 'directory') throw new FsError('EISDIR', `is a directory: ${path}`, { path });
      const file = this.table.fileFor(path);
      // A transient writer keeps the session alive for the duration, like an open handle would.
      file.writers += 1;
      try {
        if (file.session === undefined) file.session = this.newSession(file, attrs.size);
        const session = file.session;
        await file.mutex.run(async () => {
          await session.truncate(size);
          // truncate(2) has no close to report through: commit now so errors surface here.
          await session.commit();
        });
      } finally {
        file.writers -= 1;
        try {
          await this.endSessionIfUnused(file);
        } finally {
          this.table.forgetIfUnused(file);
        }
      }
    });
  }

  async ftruncate(_path: string, fh: number, size: number): Promise<void> {
    const entry = this.writableEntry(fh);
    this.checkWritable(entry.file.path);
    if (size < 0) throw new FsError('EINVAL', `negative size ${size}`, { path: entry.file.path });
    await entry.file.mutex.run(() => this.sessionOf(entry.file).truncate(size));
  }

  async unlink(path: string): Promise<void> {
    this.checkWritable(path);
    await this.pathLocks.run(path, async () => {
      const attrs = await this.backend.stat(path);
      if (attrs.kind === 'directory') throw new FsError('EISDIR', `is a directory: ${path}`, { path });
      const file = await this.orphanWriters(path);
      if (file === undefined || file.handles.size === 0) {
        await this.backend.unlink(path);
        if (file !== undefined) this.table.detach(file);
        return;
      }
      // Handles on this mount still read it: keep the content under a hidden name until they close.
      const hiddenPath = tempNameFor(path);
      await this.backend.rename(path, hiddenPath);
      this.table.hide(file, hiddenPath);
    });
  }

  async mkdir(path: string, mode: number, caller: Caller): Promise<void> {
    this.checkWritable(path);
    await this.pathLocks.run(path, async () => {
      // IGFS MAKE_DIRECTORIES succeeds on an existing directory and creates missing parents.
      if ((await statIfExists(this.backend, path)) !== undefined) throw new FsError('EEXIST', `file exists: ${path}`, { path });
      const parent = await statIfExists(this.backend, parentOf(path));
      if (parent === undefined) throw new FsError('ENOENT', `no such directory: ${parentOf(path)}`, { path });
      if (parent.kind !== 'directory') throw new FsError('ENOTDIR', `not a directory: ${parentOf(path)}`, { path });
      await this.backend.mkdir(path, { mode: mode & PERMISSION_BITS, ...this.ownerNames(caller) });
    });
  }

  async rmdir(path: string): Promise<void> {
    this.checkWritable(path);
    await this.pathLocks.run(path, async () => {
      const attrs = await this.backend.stat(path);
      if (attrs.kind !== 'directory') throw new FsError('ENOTDIR', `not a directory: ${path}`, { path });
      await this.emptyOrFail(path);
      await this.backend.rmdir(path);
    });
  }

  async rename(from: string, to: string): Promise<void> {
    this.checkWritable(from);
    if (from === to) {
      await this.backend.stat(from);
      return;
    }
    if (from === '/' || isSameOrBelow(to, from)) {
      throw new FsError('EINVAL', `cannot move ${from} into itself (${to})`, { path: from });
    }
    await this.pathLocks.runAll([from, to], async () => {
      const source = await this.backend.stat(from);
      const target = await statIfExists(this.backend, to);
      if (target !== undefined) {
        if (source.kind === 'file' && target.kind === 'directory') throw new FsError('EISDIR', `is a directory: ${to}`, { path: to });
        if (source.kind === 'directory' && target.kind === 'file') throw new FsError('ENOTDIR', `not a directory: ${to}`, { path: to });
        if (target.kind === 'directory') {
          await this.emptyOrFail(to);
          await this.backend.rmdir(to);
        }
      }
      // Writers below `from` commit and drop their store streams so nothing holds the old name; a
      // later write reopens at the new path. A commit failure stays with its session (reported there).
      for (const file of this.table.filesUnder(from)) {
        const session = file.session;
        if (session !== undefined) await file.mutex.run(() => session.settle()).catch(() => undefined);
      }
      if (target?.kind === 'file') {
        // Handles open on the replaced file behave as after unlink (see the header).
        const replaced = await this.orphanWriters(to);
        const keep = replaced !== undefined && replaced.handles.size > 0;
        const hiddenPath = await replaceFile(this.backend, from, to, keep);
        if (replaced !== undefined) {
          if (hiddenPath !== undefined) this.table.hide(replaced, hiddenPath);
          else this.table.detach(replaced);
        }
      } else {
        await this.backend.rename(from, to);
      }
      this.table.moveTree(from, to);
    });
  }

  async chmod(path: string, mode: number): Promise<void> {
    this.checkWritable(path);
    await this.backend.setAttrs(path, { mode: mode & PERMISSION_BITS });
  }

  async chown(path: string, uid: number, gid: number): Promise<void> {
    this.checkWritable(path);
    const user = isUnchangedId(uid) ? undefined : nameForId(uid, this.identities.userName(uid));
    const group = isUnchangedId(gid) ? undefined : nameForId(gid, this.identities.groupName(gid));
    if (user === undefined && group === undefined) {
      await this.backend.stat(path);
      return;
    }
    await this.backend.setAttrs(path, { user, group });
  }

  async utimens(path: string, times: TimesUpdate): Promise<void> {
    this.checkWritable(path);
    if (times.atimeMs === undefined && times.mtimeMs === undefined) {
      await this.backend.stat(path);
      return;
    }
    await this.backend.setAttrs(path, { atimeMs: times.atimeMs, mtimeMs: times.mtimeMs });
    // Times set while the file is open for writing must outlive its commits (tar x and cp -p set them before close).
    this.table.fileAt(path)?.session?.timesSet(times);
  }

  async statfs(_path: string): Promise<FsStats> {
    const { totalBytes, usedBytes } = await this.backend.statfs();
    const totalBlocks = Math.floor(totalBytes / STATFS_BLOCK_SIZE);
    const freeBlocks = Math.max(0, Math.floor((totalBytes - usedBytes) / STATFS_BLOCK_SIZE));
    return {
      blockSize: STATFS_BLOCK_SIZE, totalBlocks, freeBlocks, availableBlocks: freeBlocks,
      totalFiles: STATFS_FILES, freeFiles: STATFS_FILES, maxNameLength: NAME_MAX,
    };
  }

  async access(path: string, mode: number, caller: Caller): Promise<void> {
    const stat = await this.getattr(path);
    if (mode === constants.F_OK) return;
    if ((mode & constants.W_OK) !== 0 && this.readOnly) throw new FsError('EROFS', `read-only filesystem: ${path}`, { path });
    const wanted = mode & (constants.R_OK | constants.W_OK | constants.X_OK);
    let granted: number;
    if (caller.uid === 0) {
      // root reads and writes anything; it executes only what has some execute bit (or is a directory).
      const anyExec = (stat.mode & 0o111) !== 0 || (stat.mode & S_IFDIR) !== 0;
      granted = constants.R_OK | constants.W_OK | (anyExec ? constants.X_OK : 0);
    } else if (caller.uid === stat.uid) {
      granted = (stat.mode >> 6) & 7;
    } else if (caller.gid === stat.gid) {
      granted = (stat.mode >> 3) & 7;
    } else {
      granted = stat.mode & 7;
    }
    if ((granted & wanted) !== wanted) throw new FsError('EACCES', `permission denied: ${path}`, { path });
  }

  async shutdown(): Promise<void> {
    const failures: unknown[] = [];
    const failedPaths: string[] = [];
    for (const file of this.table.allFiles()) {
      const session = file.session;
      if (session === undefined) continue;
      try {
        await file.mutex.run(() => session.finish());
      } catch (err) {
        failures.push(err);
        failedPaths.push(file.path);
      } finally {
        file.session = undefined;
      }
    }
    for (const entry of this.table.allHandles()) {
      this.table.remove(entry);
      await entry.reader.close();
      this.table.forgetIfUnused(entry.file);
    }
    for (const file of this.table.allHidden()) await this.deleteHiddenIfUnused(file);
    if (failures.length > 0) {
      throw new FsError('EIO', `${failures.length} open writer(s) failed to commit at shutdown: ${failedPaths.join(', ')}`, {
        cause: new AggregateError(failures),
      });
    }
  }

  /** Resolves once every queued per-file operation (including timer commits) has finished. For tests. */
  async drain(): Promise<void> {
    for (const file of this.table.allFiles()) await file.mutex.idle();
  }

  private async openLocked(path: string, mode: OpenMode, caller: Caller, createMode: number | undefined): Promise<number> {
    let attrs = await statIfExists(this.backend, path);
    if (attrs !== undefined && mode.create && mode.exclusive) throw new FsError('EEXIST', `file exists: ${path}`, { path });
    if (attrs === undefined) {
      if (!mode.create) throw new FsError('ENOENT', `no such file or directory: ${path}`, { path });
      this.checkWritable(path);
      return this.createLocked(path, mode, caller, createMode ?? DEFAULT_FILE_MODE);
    }
    if (attrs.kind === 'directory' && mode.writable) throw new FsError('EISDIR', `is a directory: ${path}`, { path });
    const file = this.table.fileFor(path);
    file.lastAttrs = attrs;
    const entry = this.table.add(file, mode);
    try {
      if (mode.writable && file.session === undefined) file.session = this.newSession(file, attrs.size);
      if (mode.truncate) {
        const session = file.session!;
        await file.mutex.run(() => session.truncate(0));
        attrs = { ...attrs, size: 0 };
      }
      // Opening the store stream now checks existence and keeps the handle readable after an unlink.
      if (mode.readable && !mode.writable && attrs.kind === 'file') {
        await entry.reader.reopen(() => this.backend.openRead(path), file.generation);
      }
    } catch (err) {
      await this.release(path, entry.fh).catch(() => undefined);
      throw err;
    }
    return entry.fh;
  }

  private async createLocked(path: string, mode: OpenMode, caller: Caller, permissions: number): Promise<number> {
    const owner = this.ownerNames(caller);
    const handle = await this.backend.create(path, { overwrite: false, mode: permissions, ...owner });
    const nowMs = this.clock.now();
    const file = this.table.fileFor(path);
    file.lastAttrs = {
      kind: 'file', size: 0, mtimeMs: nowMs, atimeMs: nowMs, mode: permissions, ...owner, version: `new:${nowMs}`,
    };
    if (!mode.writable) {
      // open(O_CREAT | O_RDONLY): the file must exist, but nothing will write through this handle.
      await handle.close();
      return this.table.add(file, mode).fh;
    }
    const entry = this.table.add(file, mode);
    if (file.session === undefined) file.session = this.newSession(file, 0, handle);
    else await handle.close();
    return entry.fh;
  }

  private newSession(file: OpenFile, committedSize: number, handle?: WriteHandle): WriteSession {
    return new WriteSession(
      {
        backend: this.backend,
        staging: this.staging,
        clock: this.clock,
        commitIntervalMs: this.commitIntervalMs,
        maxUnflushedBytes: this.maxUnflushedBytes,
        maxGapBytes: this.staging.maxBytes,
        runExclusive: (work) => file.mutex.run(work),
        onReplaced: () => {
          file.generation += 1;
        },
      },
      file.path,
      committedSize,
      handle,
    );
  }

  /** Ends the write session once the last writer is gone, reporting its deferred error. */
  private async endSessionIfUnused(file: OpenFile): Promise<void> {
    await file.mutex.run(async () => {
      const session = file.session;
      if (session === undefined || file.writers > 0) return;
      try {
        await session.finish();
      } finally {
        // A writer that opened meanwhile keeps (and reuses) the session.
        if (file.writers === 0 && file.session === session) file.session = undefined;
      }
    });
  }

  /** The open file at `path` (if any) is about to be removed: its writers stop (see the header). */
  private async orphanWriters(path: string): Promise<OpenFile | undefined> {
    const file = this.table.fileAt(path);
    const session = file?.session;
    if (file !== undefined && session !== undefined) await file.mutex.run(() => session.orphan());
    return file;
  }

  /** Deletes the hidden copy of an unlinked file once nothing on this mount uses it. */
  private async deleteHiddenIfUnused(file: OpenFile): Promise<void> {
    if (file.hiddenPath === undefined || file.handles.size > 0 || file.writers > 0) return;
    const hiddenPath = this.table.unhide(file);
    // A failure leaves a hidden file behind (invisible through the mount), never a wrong visible one.
    if (hiddenPath !== undefined) await this.backend.unlink(hiddenPath).catch(() => undefined);
  }

  /**
   * ENOTEMPTY unless `dir` holds nothing but this mount's hidden copies of unlinked open files; those
   * are deleted (their handles then read what the store still serves), so rmdir and rename-over work.
   */
  private async emptyOrFail(dir: string): Promise<void> {
    const hidden = this.table.hiddenIn(dir);
    const ours = new Set(hidden.map((file) => file.hiddenPath));
    const entries = await this.backend.list(dir);
    if (entries.some((entry) => !ours.has(joinPath(dir, entry.name)))) {
      throw new FsError('ENOTEMPTY', `directory not empty: ${dir}`, { path: dir });
    }
    for (const file of hidden) {
      const hiddenPath = this.table.unhide(file);
      if (hiddenPath !== undefined) await this.backend.unlink(hiddenPath).catch(() => undefined);
    }
  }

  private async readStore(entry: FileHandleEntry, position: number, length: number, committedSize: number | undefined): Promise<Buffer> {
    const { file, reader } = entry;
    const wantEnd = committedSize === undefined ? position + length : Math.min(position + length, committedSize);
    const current = reader.size;
    const replaced = reader.generation !== file.generation;
    // An unlinked file is only reachable under its hidden name (if this mount kept one).
    const storePath = file.unlinked ? file.hiddenPath : file.path;
    if (storePath !== undefined && (current === undefined || replaced || current < wantEnd)) {
      // A store stream's length is fixed at open: reopen when the file may have grown since. Without a
      // session we ask the store first, so reading a file's last block does not reopen it every time.
      const reopen = replaced || committedSize !== undefined || current === undefined ||
        (await this.backend.stat(storePath)).size > current;
      if (reopen) await reader.reopen(() => this.backend.openRead(storePath), file.generation);
    }
    const data = await reader.read(position, wantEnd - position);
    if (data === undefined) throw new FsError('ENOENT', `file was removed: ${file.path}`, { path: file.path });
    return data;
  }

  private async statOpen(path: string, file: OpenFile | undefined): Promise<Stat> {
    let attrs: EntryAttrs;
    try {
      if (file?.unlinked === true) {
        if (file.lastAttrs === undefined) throw new FsError('ENOENT', `file was removed: ${path}`, { path });
        attrs = file.lastAttrs;
      } else {
        attrs = await this.backend.stat(path);
      }
      if (file !== undefined) file.lastAttrs = attrs;
    } catch (err) {
      // An open file with a pending writer is briefly missing while a staged rewrite is renamed into place.
      if (!isFsError(err, 'ENOENT') || file?.session === undefined || file.lastAttrs === undefined) throw err;
      attrs = file.lastAttrs;
    }
    const session = file?.session;
    if (session === undefined || session.state === 'idle' || attrs.kind !== 'file') return this.toStat(attrs);
    const writeMs = session.uncommittedWriteMs;
    return this.toStat({
      ...attrs, size: session.size, mtimeMs: writeMs === undefined ? attrs.mtimeMs : Math.max(attrs.mtimeMs, writeMs),
    });
  }

  private toStat(attrs: EntryAttrs): Stat {
    const isDir = attrs.kind === 'directory';
    const permissions = (attrs.mode ?? (isDir ? DEFAULT_DIR_MODE : DEFAULT_FILE_MODE)) & PERMISSION_BITS;
    return {
      mode: (isDir ? S_IFDIR : S_IFREG) | permissions,
      size: attrs.size,
      uid: idForName(attrs.user, (name) => this.identities.uid(name), this.defaultUid),
      gid: idForName(attrs.group, (name) => this.identities.gid(name), this.defaultGid),
      nlink: isDir ? 2 : 1,
      atimeMs: attrs.atimeMs,
      mtimeMs: attrs.mtimeMs,
      // IGFS keeps no change time; the modification time is the closest it has.
      ctimeMs: attrs.mtimeMs,
    };
  }

  private ownerNames(caller: Caller): { user: string; group: string } {
    return {
      user: nameForId(caller.uid, this.identities.userName(caller.uid)),
      group: nameForId(caller.gid, this.identities.groupName(caller.gid)),
    };
  }

  private writableEntry(fh: number): FileHandleEntry {
    const entry = this.table.get(fh);
    if (!entry.mode.writable) throw new FsError('EBADF', `handle ${fh} is not open for writing`, { path: entry.file.path });
    return entry;
  }

  private sessionOf(file: OpenFile): WriteSession {
    // Writable handles always have a session; its absence means release raced ahead of this call.
    if (file.session === undefined) throw new FsError('EBADF', `no write session: ${file.path}`, { path: file.path });
    return file.session;
  }

  private checkWritable(path: string): void {
    if (this.readOnly) throw new FsError('EROFS', `read-only filesystem: ${path}`, { path });
  }
}

function isUnchangedId(id: number): boolean {
  return id === -1 || id === UNCHANGED_ID;
}
