// A small in-memory PosixFs for testing the FUSE layer: records every call with its arguments, keeps simple
// POSIX-ish rules (enough for shell tools), and lets a test replace any method (to throw, reject, or stall).
// Not a model of fs/filesystem.ts semantics; the real FileSystem has its own tests.
import { constants } from 'node:fs';
import { FsError, type FsErrorCode } from '../../src/fs/errors.js';
import {
  S_IFDIR, S_IFREG, type Caller, type FsStats, type PosixFs, type Stat, type TimesUpdate,
} from '../../src/fs/posix-fs.js';

interface Entry {
  kind: 'file' | 'directory';
  mode: number;
  uid: number;
  gid: number;
  data: Buffer;
  atimeMs: number;
  mtimeMs: number;
}

export interface RecordedCall {
  method: keyof PosixFs;
  args: unknown[];
}

type Method = Exclude<keyof PosixFs, 'shutdown'>;

const UNCHANGED_ID = 0xffffffff;
/** Linux access-mode bits of open(2) flags (node:fs constants has no O_ACCMODE). */
const O_ACCMODE = 0o3;

export class MemoryPosixFs implements PosixFs {
  readonly calls: RecordedCall[] = [];
  private readonly entries = new Map<string, Entry>();
  /** A handle keeps its entry, so an unlinked open file stays readable (like an inode). */
  private readonly handles = new Map<number, { path: string; entry: Entry }>();
  private readonly overrides = new Map<Method, (...args: never[]) => unknown>();
  private nextFh = 1;

  /** readOnly: EROFS for every mutation; capacityBytes: ENOSPC when the data would exceed it. */
  constructor(private readonly options: { readOnly?: boolean; capacityBytes?: number } = {}) {
    this.entries.set('/', { kind: 'directory', mode: 0o755, uid: 0, gid: 0, data: Buffer.alloc(0), atimeMs: 0, mtimeMs: 0 });
  }

  /** Replaces a method; the replacement is called with the same arguments (and may throw synchronously). */
  override<M extends Method>(method: M, fn: (...args: Parameters<PosixFs[M]>) => unknown): void {
    this.overrides.set(method, fn as (...args: never[]) => unknown);
  }

  callsOf(method: keyof PosixFs): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  /** Adds a file directly (test set-up, not recorded). */
  seedFile(path: string, content: string | Buffer, mode = 0o644): void {
    this.entries.set(path, { kind: 'file', mode, uid: 0, gid: 0, data: Buffer.from(content), atimeMs: 0, mtimeMs: 0 });
  }

  seedDirectory(path: string, mode = 0o755): void {
    this.entries.set(path, { kind: 'directory', mode, uid: 0, gid: 0, data: Buffer.alloc(0), atimeMs: 0, mtimeMs: 0 });
  }

  content(path: string): Buffer | undefined {
    return this.entries.get(path)?.data;
  }

  getattr(path: string): Promise<Stat> {
    return this.call('getattr', [path], async () => toStat(this.get(path)));
  }

  fgetattr(path: string, fh: number): Promise<Stat> {
    return this.call('fgetattr', [path, fh], async () => toStat(this.handle(fh).entry));
  }

  readdir(path: string): Promise<string[]> {
    return this.call('readdir', [path], async () => {
      this.directory(path);
      const prefix = path === '/' ? '/' : `${path}/`;
      return [...this.entries.keys()].filter((p) => p !== path && p.startsWith(prefix) && !p.slice(prefix.length).includes('/'))
        .map((p) => p.slice(prefix.length));
    });
  }

  open(path: string, flags: number, caller: Caller): Promise<number> {
    return this.call('open', [path, flags, caller], async () => {
      const entry = this.get(path);
      if (entry.kind === 'directory') throw new FsError('EISDIR', 'is a directory', { path });
      if ((flags & O_ACCMODE) !== constants.O_RDONLY) this.writable(path);
      if ((flags & constants.O_TRUNC) !== 0) entry.data = Buffer.alloc(0);
      return this.addHandle(path);
    });
  }

  create(path: string, mode: number, flags: number, caller: Caller): Promise<number> {
    return this.call('create', [path, mode, flags, caller], async () => {
      this.writable(path);
      this.directory(parentOf(path));
      const existing = this.entries.get(path);
      if (existing?.kind === 'directory') throw new FsError('EISDIR', 'is a directory', { path });
      if (existing === undefined || (flags & constants.O_TRUNC) !== 0) {
        this.entries.set(path, { kind: 'file', mode: mode & 0o7777, uid: caller.uid, gid: caller.gid, data: Buffer.alloc(0), atimeMs: 0, mtimeMs: 0 });
      }
      return this.addHandle(path);
    });
  }

  read(path: string, fh: number, position: number, length: number): Promise<Buffer> {
    return this.call('read', [path, fh, position, length], async () => {
      const data = this.handle(fh).entry.data;
      return Buffer.from(data.subarray(Math.min(position, data.length), Math.min(position + length, data.length)));
    });
  }

  write(path: string, fh: number, data: Buffer, position: number): Promise<number> {
    return this.call('write', [path, fh, data, position], async () => {
      const { path: target, entry } = this.handle(fh);
      this.writable(target);
      const end = position + data.length;
      if (this.options.capacityBytes !== undefined && this.usedBytes() - entry.data.length + Math.max(end, entry.data.length) > this.options.capacityBytes) {
        throw new FsError('ENOSPC', 'no space left', { path: target });
      }
      const grown = Buffer.alloc(Math.max(end, entry.data.length));
      entry.data.copy(grown);
      data.copy(grown, position);
      entry.data = grown;
      return data.length;
    });
  }

  flush(path: string, fh: number): Promise<void> {
    return this.call('flush', [path, fh], async () => void this.handle(fh));
  }

  fsync(path: string, fh: number, dataOnly: boolean): Promise<void> {
    return this.call('fsync', [path, fh, dataOnly], async () => void this.handle(fh));
  }

  release(path: string, fh: number): Promise<void> {
    return this.call('release', [path, fh], async () => {
      this.handle(fh);
      this.handles.delete(fh);
    });
  }

  truncate(path: string, size: number): Promise<void> {
    return this.call('truncate', [path, size], async () => this.resize(path, size));
  }

  ftruncate(path: string, fh: number, size: number): Promise<void> {
    return this.call('ftruncate', [path, fh, size], async () => this.resize(this.handle(fh).path, size));
  }

  unlink(path: string): Promise<void> {
    return this.call('unlink', [path], async () => {
      this.writable(path);
      if (this.get(path).kind === 'directory') throw new FsError('EISDIR', 'is a directory', { path });
      this.entries.delete(path);
    });
  }

  mkdir(path: string, mode: number, caller: Caller): Promise<void> {
    return this.call('mkdir', [path, mode, caller], async () => {
      this.writable(path);
      this.directory(parentOf(path));
      if (this.entries.has(path)) throw new FsError('EEXIST', 'exists', { path });
      this.entries.set(path, { kind: 'directory', mode: mode & 0o7777, uid: caller.uid, gid: caller.gid, data: Buffer.alloc(0), atimeMs: 0, mtimeMs: 0 });
    });
  }

  rmdir(path: string): Promise<void> {
    return this.call('rmdir', [path], async () => {
      this.writable(path);
      this.directory(path);
      if ([...this.entries.keys()].some((p) => p.startsWith(`${path}/`))) throw new FsError('ENOTEMPTY', 'not empty', { path });
      this.entries.delete(path);
    });
  }

  rename(from: string, to: string): Promise<void> {
    return this.call('rename', [from, to], async () => {
      this.writable(from);
      const entry = this.get(from);
      this.directory(parentOf(to));
      const target = this.entries.get(to);
      if (target?.kind === 'directory' && entry.kind !== 'directory') throw new FsError('EISDIR', 'is a directory', { path: to });
      for (const [p, e] of [...this.entries]) {
        if (p === from || p.startsWith(`${from}/`)) {
          this.entries.delete(p);
          this.entries.set(to + p.slice(from.length), e);
        }
      }
    });
  }

  chmod(path: string, mode: number): Promise<void> {
    return this.call('chmod', [path, mode], async () => {
      this.writable(path);
      this.get(path).mode = mode & 0o7777;
    });
  }

  chown(path: string, uid: number, gid: number): Promise<void> {
    return this.call('chown', [path, uid, gid], async () => {
      this.writable(path);
      const entry = this.get(path);
      if (uid !== UNCHANGED_ID) entry.uid = uid;
      if (gid !== UNCHANGED_ID) entry.gid = gid;
    });
  }

  utimens(path: string, times: TimesUpdate): Promise<void> {
    return this.call('utimens', [path, times], async () => {
      this.writable(path);
      const entry = this.get(path);
      if (times.atimeMs !== undefined) entry.atimeMs = times.atimeMs;
      if (times.mtimeMs !== undefined) entry.mtimeMs = times.mtimeMs;
    });
  }

  statfs(path: string): Promise<FsStats> {
    return this.call('statfs', [path], async () => {
      const blockSize = 4096;
      const totalBlocks = Math.ceil((this.options.capacityBytes ?? 1 << 30) / blockSize);
      const freeBlocks = totalBlocks - Math.ceil(this.usedBytes() / blockSize);
      return { blockSize, totalBlocks, freeBlocks, availableBlocks: freeBlocks, totalFiles: 1_000_000, freeFiles: 1_000_000 - this.entries.size, maxNameLength: 255 };
    });
  }

  access(path: string, mode: number, caller: Caller): Promise<void> {
    return this.call('access', [path, mode, caller], async () => void this.get(path));
  }

  async shutdown(): Promise<void> {
    this.calls.push({ method: 'shutdown', args: [] });
  }

  private call<T>(method: Method, args: unknown[], body: () => Promise<T>): Promise<T> {
    this.calls.push({ method, args });
    const override = this.overrides.get(method);
    if (override !== undefined) return override(...(args as never[])) as Promise<T>;
    return body();
  }

  private get(path: string): Entry {
    const entry = this.entries.get(path);
    if (entry === undefined) {
      const parent = this.entries.get(parentOf(path));
      if (parent?.kind === 'file') throw new FsError('ENOTDIR', 'a parent is not a directory', { path });
      throw new FsError('ENOENT', 'no such file or directory', { path });
    }
    return entry;
  }

  private directory(path: string): Entry {
    const entry = this.get(path);
    if (entry.kind !== 'directory') throw new FsError('ENOTDIR', 'not a directory', { path });
    return entry;
  }

  private writable(path: string): void {
    if (this.options.readOnly === true) throw new FsError('EROFS', 'read-only filesystem', { path });
  }

  private handle(fh: number): { path: string; entry: Entry } {
    const handle = this.handles.get(fh);
    if (handle === undefined) throw new FsError('EBADF', `unknown handle ${fh}`);
    return handle;
  }

  private addHandle(path: string): number {
    const fh = this.nextFh++;
    this.handles.set(fh, { path, entry: this.get(path) });
    return fh;
  }

  private resize(path: string, size: number): void {
    this.writable(path);
    const entry = this.get(path);
    const resized = Buffer.alloc(size);
    entry.data.copy(resized, 0, 0, Math.min(size, entry.data.length));
    entry.data = resized;
  }

  private usedBytes(): number {
    let total = 0;
    for (const entry of this.entries.values()) total += entry.data.length;
    return total;
  }
}

function parentOf(path: string): string {
  const index = path.lastIndexOf('/');
  return index <= 0 ? '/' : path.slice(0, index);
}

function toStat(entry: Entry): Stat {
  const type = entry.kind === 'directory' ? S_IFDIR : S_IFREG;
  return {
    mode: type | entry.mode,
    size: entry.data.length,
    uid: entry.uid,
    gid: entry.gid,
    nlink: entry.kind === 'directory' ? 2 : 1,
    atimeMs: entry.atimeMs,
    mtimeMs: entry.mtimeMs,
    ctimeMs: entry.mtimeMs,
  };
}

/** An FsError with the given code, for overrides. */
export function fsError(code: FsErrorCode, path?: string): FsError {
  return new FsError(code, `injected ${code}`, { path });
}
