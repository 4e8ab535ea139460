// Backend over IGFS: the IGFS view of the mount. Knows IGFS's rules (append-only streams committed at CLOSE,
// properties for owner/group/mode, LIST_FILES of a file returning the file) and hides them behind the seam.
import type {
  Backend, CreateOptions, DirEntry, EntryAttrs, ReadHandle, SetAttrs, StatFs, WriteHandle,
} from '../../fs/backend.js';
import { FsError } from '../../fs/errors.js';
import type { IgfsClient, IgfsFileInfo, IgfsReader, IgfsWriter } from '../../igfs/client.js';
import { mapped, toFsError } from './error-mapping.js';
import { attrsToProps, propsToAttrs } from './properties.js';

export function infoToAttrs(info: IgfsFileInfo): EntryAttrs {
  return {
    kind: info.isDirectory ? 'directory' : 'file',
    size: info.isDirectory ? 0 : info.length,
    mtimeMs: info.modificationTimeMs,
    atimeMs: info.accessTimeMs,
    // Length and mtime change together at every CLOSE, so they identify a committed version of the content.
    version: `${info.length}:${info.modificationTimeMs}`,
    ...propsToAttrs(info.properties),
  };
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** NAME_MAX, the limit statfs announces: IGFS itself takes longer names, which local tools could not copy back. */
const MAX_NAME_BYTES = 255;

/**
 * The filesystem layer's hidden names for rename-over and staged rewrites (`.<name>.ifuse-xxxxxxxx`): they may
 * exceed NAME_MAX for long multibyte names and are never shown, so they are not held to it.
 */
const INTERNAL_TEMP_NAME = /^\..*\.ifuse-[0-9a-f]{8}$/;

/** The kernel checks names only against FUSE's own 1024-byte limit, so names are checked here. */
function checkNewName(what: string, path: string): void {
  const name = baseName(path);
  if (Buffer.byteLength(name) > MAX_NAME_BYTES && !INTERNAL_TEMP_NAME.test(name)) {
    throw new FsError('ENAMETOOLONG', `${what} ${path}: name longer than ${MAX_NAME_BYTES} bytes`, { path });
  }
}

class IgfsReadHandle implements ReadHandle {
  constructor(private readonly reader: IgfsReader, readonly size: number, private readonly path: string) {}

  readAt(position: number, length: number): Promise<Buffer> {
    if (position >= this.size || length <= 0) return Promise.resolve(Buffer.alloc(0));
    return mapped('read', this.path, () => this.reader.read(position, Math.min(length, this.size - position)));
  }

  close(): Promise<void> {
    return mapped('close', this.path, () => this.reader.close());
  }
}

interface Times {
  accessTimeMs?: number;
  modificationTimeMs?: number;
}

/**
 * IGFS has no flush: fsync is CLOSE (which commits length and mtime) followed by OPEN_APPEND.
 *
 * Every CLOSE sets the file's modification time to the server's clock, so times set while the file is open for
 * writing (`tar x` and `cp -p` call futimens before close) would be lost at the commit: they are kept here and
 * set again after each commit, until a later write makes "now" the right modification time again.
 */
class IgfsWriteHandle implements WriteHandle {
  private writer: IgfsWriter | null;
  private committedBytes: number;
  private pendingTimes: Times | null = null;

  constructor(
    private readonly client: IgfsClient,
    private readonly path: string,
    writer: IgfsWriter,
    initialSize: number,
    private readonly onClosed: (handle: IgfsWriteHandle) => void,
  ) {
    this.writer = writer;
    this.committedBytes = initialSize;
  }

  /** Times just set on the path by utimens: keep them across the commits to come. */
  keepTimes(times: Times): void {
    this.pendingTimes = { ...this.pendingTimes, ...dropUndefined(times) };
  }

  private async restoreTimes(what: string): Promise<void> {
    const times = this.pendingTimes;
    if (times === null) return;
    await mapped(`${what} (times)`, this.path, () => this.client.setTimes(this.path, times));
  }

  get size(): number {
    return this.committedBytes + (this.writer?.bytesWritten ?? 0);
  }

  async write(data: Buffer): Promise<void> {
    const writer = this.requireWriter('write');
    if (data.length > 0 && this.pendingTimes?.modificationTimeMs !== undefined) {
      // A write after utimens: POSIX sets mtime to now, which is what the commit does; atime stays as set.
      const { accessTimeMs } = this.pendingTimes;
      this.pendingTimes = accessTimeMs === undefined ? null : { accessTimeMs };
    }
    await mapped('write', this.path, () => writer.write(data));
  }

  async flush(): Promise<void> {
    const writer = this.requireWriter('fsync');
    this.writer = null;
    this.committedBytes += writer.bytesWritten;
    await mapped('fsync', this.path, () => writer.close());
    await this.restoreTimes('fsync');
    this.writer = await mapped('fsync (reopen)', this.path, () => this.client.openAppend(this.path));
  }

  async close(): Promise<void> {
    const writer = this.writer;
    if (writer === null) return;
    this.writer = null;
    this.committedBytes += writer.bytesWritten;
    try {
      await mapped('close', this.path, () => writer.close());
      await this.restoreTimes('close');
    } finally {
      this.onClosed(this);
    }
  }

  private requireWriter(what: string): IgfsWriter {
    if (this.writer === null) throw new FsError('EBADF', `${what} ${this.path}: stream is not open`, { path: this.path });
    return this.writer;
  }
}

function dropUndefined(times: Times): Times {
  const out: Times = {};
  if (times.accessTimeMs !== undefined) out.accessTimeMs = times.accessTimeMs;
  if (times.modificationTimeMs !== undefined) out.modificationTimeMs = times.modificationTimeMs;
  return out;
}

export interface IgfsBackendOptions {
  readOnly?: boolean;
}

export class IgfsBackend implements Backend {
  readonly readOnly: boolean;
  /** Write handles not yet closed, by path: utimens must reach them (see IgfsWriteHandle). */
  private readonly openWriters = new Map<string, Set<IgfsWriteHandle>>();

  constructor(private readonly client: IgfsClient, options: IgfsBackendOptions = {}) {
    this.readOnly = options.readOnly ?? false;
  }

  async stat(path: string): Promise<EntryAttrs> {
    // A name no local filesystem could hold is not looked up either (ENAMETOOLONG, as lookups elsewhere answer).
    checkNewName('stat', path);
    const info = await mapped('stat', path, () => this.client.info(path));
    if (info === null) throw new FsError('ENOENT', `stat ${path}: no such file or directory`, { path });
    return infoToAttrs(info);
  }

  async list(path: string): Promise<DirEntry[]> {
    const files = await mapped('list', path, () => this.client.listFiles(path));
    // LIST_FILES of a file answers with the file itself.
    if (files.length === 1 && files[0].path === path && files[0].isFile) {
      throw new FsError('ENOTDIR', `list ${path}: not a directory`, { path });
    }
    return files.map((f) => ({ name: baseName(f.path), attrs: infoToAttrs(f) }));
  }

  async openRead(path: string): Promise<ReadHandle> {
    const reader = await mapped('open', path, () => this.client.openRead(path));
    return new IgfsReadHandle(reader, reader.length, path);
  }

  async create(path: string, options: CreateOptions): Promise<WriteHandle> {
    checkNewName('create', path);
    const props = attrsToProps(options);
    const writer = await mapped('create', path, () => this.client.openCreate(path, {
      overwrite: options.overwrite,
      props: Object.keys(props).length > 0 ? props : null,
    }));
    return this.track(new IgfsWriteHandle(this.client, path, writer, 0, (h) => this.untrack(path, h)), path);
  }

  async append(path: string): Promise<WriteHandle> {
    const info = await mapped('open', path, () => this.client.info(path));
    if (info === null) throw new FsError('ENOENT', `open ${path}: no such file or directory`, { path });
    if (info.isDirectory) throw new FsError('EISDIR', `open ${path}: is a directory`, { path });
    const writer = await mapped('open', path, () => this.client.openAppend(path));
    return this.track(new IgfsWriteHandle(this.client, path, writer, info.length, (h) => this.untrack(path, h)), path);
  }

  private track(handle: IgfsWriteHandle, path: string): IgfsWriteHandle {
    let set = this.openWriters.get(path);
    if (set === undefined) this.openWriters.set(path, set = new Set());
    set.add(handle);
    return handle;
  }

  private untrack(path: string, handle: IgfsWriteHandle): void {
    const set = this.openWriters.get(path);
    if (set === undefined) return;
    set.delete(handle);
    if (set.size === 0) this.openWriters.delete(path);
  }

  async mkdir(path: string, attrs: SetAttrs): Promise<void> {
    checkNewName('mkdir', path);
    const props = attrsToProps(attrs);
    await mapped('mkdir', path, () => this.client.mkdirs(path, Object.keys(props).length > 0 ? props : null));
  }

  async unlink(path: string): Promise<void> {
    const info = await mapped('unlink', path, () => this.client.info(path));
    if (info === null) throw new FsError('ENOENT', `unlink ${path}: no such file or directory`, { path });
    if (info.isDirectory) throw new FsError('EISDIR', `unlink ${path}: is a directory`, { path });
    const deleted = await mapped('unlink', path, () => this.client.delete(path));
    if (!deleted) throw new FsError('ENOENT', `unlink ${path}: no such file or directory`, { path });
  }

  async rmdir(path: string): Promise<void> {
    const info = await mapped('rmdir', path, () => this.client.info(path));
    if (info === null) throw new FsError('ENOENT', `rmdir ${path}: no such file or directory`, { path });
    if (!info.isDirectory) throw new FsError('ENOTDIR', `rmdir ${path}: not a directory`, { path });
    if (path === '/') throw new FsError('EBUSY', 'rmdir /: the root cannot be removed', { path });
    const deleted = await mapped('rmdir', path, () => this.client.delete(path, { recursive: false }));
    if (!deleted) throw new FsError('ENOENT', `rmdir ${path}: no such file or directory`, { path });
  }

  async rename(from: string, to: string): Promise<void> {
    checkNewName('rename', to);
    try {
      await this.client.rename(from, to);
    } catch (err) {
      throw toFsError(err, 'rename', `${from} -> ${to}`);
    }
  }

  async setAttrs(path: string, attrs: SetAttrs): Promise<void> {
    const props = attrsToProps(attrs);
    if (Object.keys(props).length > 0) {
      const updated = await mapped('setattr', path, () => this.client.update(path, props));
      if (updated === null) throw new FsError('ENOENT', `setattr ${path}: no such file or directory`, { path });
    }
    if (attrs.atimeMs !== undefined || attrs.mtimeMs !== undefined) {
      const times = { accessTimeMs: attrs.atimeMs, modificationTimeMs: attrs.mtimeMs };
      await mapped('utimens', path, () => this.client.setTimes(path, times));
      for (const handle of this.openWriters.get(path) ?? []) handle.keepTimes(times);
    }
  }

  async statfs(): Promise<StatFs> {
    const status = await mapped('statfs', '/', () => this.client.status());
    return { totalBytes: status.spaceTotal, usedBytes: status.spaceUsed };
  }
}
