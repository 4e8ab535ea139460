// A small in-memory Backend for the cache tests: it counts every call, logs every readAt, and lets a test hold
// reads at a gate, fail them, or make them misbehave (answer more bytes than asked, or slices of big buffers).

import type {
  Backend, CreateOptions, DirEntry, EntryAttrs, ReadHandle, SetAttrs, StatFs, WriteHandle,
} from '../../../src/fs/backend.js';
import { FsError } from '../../../src/fs/errors.js';

interface FakeFile {
  data: Buffer;
  mtimeMs: number;
  mode: number;
}

export interface ReadCall {
  path: string;
  position: number;
  length: number;
}

export type CallName =
  | 'stat' | 'list' | 'openRead' | 'readAt' | 'readClose' | 'create' | 'append' | 'write' | 'flush'
  | 'writeClose' | 'mkdir' | 'unlink' | 'rmdir' | 'rename' | 'setAttrs' | 'statfs';

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
}

function nameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function below(path: string, root: string): boolean {
  return path !== root && (root === '/' ? path.startsWith('/') : path.startsWith(`${root}/`));
}

export class FakeBackend implements Backend {
  readonly readOnly = false;
  readonly files = new Map<string, FakeFile>();
  readonly dirs = new Map<string, { mtimeMs: number }>([['/', { mtimeMs: 0 }]]);
  readonly calls = new Map<CallName, number>();
  readonly reads: ReadCall[] = [];
  /** While set, every readAt waits for it before answering. */
  readGate: Promise<void> | undefined;
  /** Returns an error to fail a readAt with, or undefined to serve it. */
  failRead: ((call: ReadCall) => Error | undefined) | undefined;
  /** Extra bytes past the requested range that readAt returns (a store that over-answers). */
  overreadBytes = 0;
  /** readAt answers with a slice of a buffer this many bytes larger (like a socket chunk holding more). */
  sliceSlackBytes = 0;
  /**
   * When true, a read handle serves the content the file had when it was opened (as IGFS does: an overwrite
   * makes a new file, and streams already open keep reading the old one); otherwise the current content.
   */
  snapshotReads = false;
  /** When true, mutations leave mtime alone, so a rewrite of the same length keeps the same version. */
  frozenMtime = false;
  #tick = 1;

  count(name: CallName): number {
    return this.calls.get(name) ?? 0;
  }

  resetCounts(): void {
    this.calls.clear();
    this.reads.length = 0;
  }

  /** Adds or replaces a file directly (as another client would). */
  put(path: string, data: Buffer): void {
    const existing = this.files.get(path);
    this.files.set(path, { data: Buffer.from(data), mtimeMs: this.#nextMtime(existing?.mtimeMs), mode: 0o644 });
  }

  async stat(path: string): Promise<EntryAttrs> {
    this.#called('stat');
    return this.#attrs(path);
  }

  async list(path: string): Promise<DirEntry[]> {
    this.#called('list');
    if (!this.dirs.has(path)) throw new FsError('ENOENT', `no directory ${path}`, { path });
    const entries: DirEntry[] = [];
    for (const p of [...this.dirs.keys(), ...this.files.keys()]) {
      if (p !== '/' && parentOf(p) === path) entries.push({ name: nameOf(p), attrs: this.#attrs(p) });
    }
    return entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  async openRead(path: string): Promise<ReadHandle> {
    this.#called('openRead');
    const file = this.files.get(path);
    if (file === undefined) {
      throw new FsError(this.dirs.has(path) ? 'EISDIR' : 'ENOENT', `cannot open ${path}`, { path });
    }
    const size = file.data.length;
    const snapshot = file.data;
    return {
      size,
      readAt: async (position: number, length: number) => {
        this.#called('readAt');
        const call = { path, position, length };
        this.reads.push(call);
        if (this.readGate !== undefined) await this.readGate;
        const error = this.failRead?.(call);
        if (error !== undefined) throw error;
        const current = this.snapshotReads ? snapshot : (this.files.get(path)?.data ?? Buffer.alloc(0));
        const end = Math.min(current.length, position + length + this.overreadBytes);
        const bytes = current.subarray(Math.min(position, end), end);
        if (this.sliceSlackBytes === 0) return Buffer.from(bytes);
        const big = Buffer.alloc(bytes.length + this.sliceSlackBytes);
        bytes.copy(big, 0);
        return big.subarray(0, bytes.length);
      },
      close: async () => {
        this.#called('readClose');
      },
    };
  }

  async create(path: string, options: CreateOptions): Promise<WriteHandle> {
    this.#called('create');
    this.#requireParent(path);
    if (this.dirs.has(path)) throw new FsError('EISDIR', `${path} is a directory`, { path });
    if (this.files.has(path) && !options.overwrite) throw new FsError('EEXIST', `${path} exists`, { path });
    this.put(path, Buffer.alloc(0));
    this.#touchDir(parentOf(path));
    return this.#writeHandle(path);
  }

  async append(path: string): Promise<WriteHandle> {
    this.#called('append');
    if (!this.files.has(path)) throw new FsError('ENOENT', `no file ${path}`, { path });
    return this.#writeHandle(path);
  }

  async mkdir(path: string, _attrs: SetAttrs): Promise<void> {
    this.#called('mkdir');
    this.#requireParent(path);
    if (this.dirs.has(path) || this.files.has(path)) throw new FsError('EEXIST', `${path} exists`, { path });
    this.dirs.set(path, { mtimeMs: this.#nextMtime(0) });
    this.#touchDir(parentOf(path));
  }

  async unlink(path: string): Promise<void> {
    this.#called('unlink');
    if (!this.files.delete(path)) throw new FsError('ENOENT', `no file ${path}`, { path });
    this.#touchDir(parentOf(path));
  }

  async rmdir(path: string): Promise<void> {
    this.#called('rmdir');
    if (!this.dirs.has(path)) throw new FsError('ENOENT', `no directory ${path}`, { path });
    for (const p of [...this.dirs.keys(), ...this.files.keys()]) {
      if (below(p, path)) throw new FsError('ENOTEMPTY', `${path} is not empty`, { path });
    }
    this.dirs.delete(path);
    this.#touchDir(parentOf(path));
  }

  async rename(from: string, to: string): Promise<void> {
    this.#called('rename');
    if (this.files.has(to) || this.dirs.has(to)) throw new FsError('EEXIST', `${to} exists`, { path: to });
    this.#requireParent(to);
    const file = this.files.get(from);
    if (file !== undefined) {
      this.files.delete(from);
      this.files.set(to, file);
    } else if (this.dirs.has(from)) {
      for (const map of [this.dirs, this.files] as Map<string, unknown>[]) {
        for (const [p, value] of [...map]) {
          if (p === from || below(p, from)) {
            map.delete(p);
            map.set(to + p.slice(from.length), value);
          }
        }
      }
    } else {
      throw new FsError('ENOENT', `no entry ${from}`, { path: from });
    }
    this.#touchDir(parentOf(from));
    this.#touchDir(parentOf(to));
  }

  async setAttrs(path: string, attrs: SetAttrs): Promise<void> {
    this.#called('setAttrs');
    const file = this.files.get(path);
    if (file === undefined) throw new FsError('ENOENT', `no file ${path}`, { path });
    if (attrs.mode !== undefined) file.mode = attrs.mode;
    if (attrs.mtimeMs !== undefined) file.mtimeMs = attrs.mtimeMs;
  }

  async statfs(): Promise<StatFs> {
    this.#called('statfs');
    let used = 0;
    for (const file of this.files.values()) used += file.data.length;
    return { totalBytes: 1 << 30, usedBytes: used };
  }

  #writeHandle(path: string): WriteHandle {
    const files = this.files;
    const called = (name: CallName) => this.#called(name);
    const nextMtime = (current: number) => this.#nextMtime(current);
    return {
      get size() {
        return files.get(path)?.data.length ?? 0;
      },
      async write(data: Buffer) {
        called('write');
        const file = files.get(path);
        if (file === undefined) throw new FsError('ENOENT', `${path} vanished`, { path });
        file.data = Buffer.concat([file.data, data]);
        file.mtimeMs = nextMtime(file.mtimeMs);
      },
      async flush() {
        called('flush');
      },
      async close() {
        called('writeClose');
      },
    };
  }

  #attrs(path: string): EntryAttrs {
    const file = this.files.get(path);
    if (file !== undefined) {
      const size = file.data.length;
      return {
        kind: 'file', size, mtimeMs: file.mtimeMs, atimeMs: file.mtimeMs, mode: file.mode,
        version: `${size}:${file.mtimeMs}`,
      };
    }
    const dir = this.dirs.get(path);
    if (dir !== undefined) {
      return { kind: 'directory', size: 0, mtimeMs: dir.mtimeMs, atimeMs: dir.mtimeMs, version: `d:${dir.mtimeMs}` };
    }
    throw new FsError('ENOENT', `no entry ${path}`, { path });
  }

  #requireParent(path: string): void {
    if (!this.dirs.has(parentOf(path))) throw new FsError('ENOENT', `no directory ${parentOf(path)}`, { path });
  }

  #touchDir(path: string): void {
    const dir = this.dirs.get(path);
    if (dir !== undefined) dir.mtimeMs = this.#nextMtime(dir.mtimeMs);
  }

  #nextMtime(current: number | undefined): number {
    if (this.frozenMtime && current !== undefined) return current;
    return this.#tick++;
  }

  #called(name: CallName): void {
    this.calls.set(name, this.count(name) + 1);
  }
}
