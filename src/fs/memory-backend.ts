// An in-memory Backend with IGFS's write semantics (igfs-protocol.md §5): append-only write handles,
// one writer per file (a second writer gets EBUSY), length and mtime committed only at flush/close,
// readers see the length committed when they opened, create auto-creates parents, mkdir is `mkdir -p`,
// rename refuses an existing destination, readers of a deleted or overwritten file fail with EIO. It is the reference store in unit tests and the "null
// backend" ceiling in benchmarks, so data lives in chunk lists (no re-concatenation on append).
import type {
  Backend, CreateOptions, DirEntry, EntryAttrs, ReadHandle, SetAttrs, StatFs, WriteHandle,
} from './backend.js';
import { FsError, type FsErrorCode } from './errors.js';
import { baseName, parentOf } from './paths.js';
import { ChunkList } from '../util/chunk-list.js';

export type MemoryBackendOp =
  | 'stat' | 'list' | 'openRead' | 'readAt' | 'create' | 'append' | 'write' | 'flush' | 'close'
  | 'mkdir' | 'unlink' | 'rmdir' | 'rename' | 'setAttrs' | 'statfs';

export interface MemoryBackendOptions {
  /** Capacity reported by statfs; a write beyond it fails with ENOSPC. Default 1 TiB. */
  totalBytes?: number;
  readOnly?: boolean;
  /** Time source for mtimes (ms since the epoch). */
  now?: () => number;
}

/** A failure to inject: the next matching call rejects with `error` (`times` calls, default 1). */
export interface MemoryFault {
  op: MemoryBackendOp;
  /** Only calls on this path match; any path when undefined. */
  path?: string;
  error: FsError;
  times?: number;
}

interface NodeMeta {
  id: number;
  mtimeMs: number;
  atimeMs: number;
  mode?: number;
  user?: string;
  group?: string;
}

interface FileNode extends NodeMeta {
  kind: 'file';
  data: ChunkList;
  /** Length visible to stat and new readers (IGFS commits length only at close). */
  committed: number;
  writer: MemoryWriteHandle | undefined;
  /**
   * Set when the file is deleted or overwritten. IGFS purges a deleted file's blocks within moments
   * (measured on 2.8.1: a read 200 ms after DELETE fails with "Failed to retrieve file's data block"),
   * so open readers then fail; this store fails them at once, the strictest case.
   */
  purged: boolean;
}

interface DirNode extends NodeMeta {
  kind: 'directory';
  children: Map<string, Node>;
}

type Node = FileNode | DirNode;

const DEFAULT_TOTAL_BYTES = 2 ** 40;
/** IGFS gives auto-created directories this permission when the request carries no properties. */
const IGFS_DEFAULT_DIR_MODE = 0o777;

function fail(code: FsErrorCode, message: string, path: string): never {
  throw new FsError(code, `${message}: ${path}`, { path });
}

export class MemoryBackend implements Backend {
  readonly readOnly: boolean;
  private readonly totalBytes: number;
  private readonly now: () => number;
  private readonly root: DirNode;
  private nextId = 1;
  private usedBytes = 0;
  private faults: MemoryFault[] = [];
  private readonly counts = new Map<MemoryBackendOp, number>();

  constructor(options: MemoryBackendOptions = {}) {
    this.readOnly = options.readOnly ?? false;
    this.totalBytes = options.totalBytes ?? DEFAULT_TOTAL_BYTES;
    this.now = options.now ?? Date.now;
    this.root = this.newDir({ mode: 0o755 });
  }

  /** Arms a failure for the next matching call(s). */
  injectFault(fault: MemoryFault): void {
    this.faults.push({ ...fault });
  }

  /** How many times `op` was called (including failed calls). */
  callCount(op: MemoryBackendOp): number {
    return this.counts.get(op) ?? 0;
  }

  /** True while a write handle holds the file's writer lock. */
  hasWriter(path: string): boolean {
    const node = this.lookup(path);
    return node?.kind === 'file' && node.writer !== undefined;
  }

  async stat(path: string): Promise<EntryAttrs> {
    this.enter('stat', path);
    return this.attrsOf(this.require(path, path));
  }

  async list(path: string): Promise<DirEntry[]> {
    this.enter('list', path);
    const dir = this.require(path, path);
    if (dir.kind !== 'directory') fail('ENOTDIR', 'not a directory', path);
    return [...dir.children].map(([name, node]) => ({ name, attrs: this.attrsOf(node) }));
  }

  async openRead(path: string): Promise<ReadHandle> {
    this.enter('openRead', path);
    const node = this.require(path, path);
    if (node.kind !== 'file') fail('EISDIR', 'is a directory', path);
    // Like IGFS, the readable length is fixed when the stream opens.
    const size = node.committed;
    let closed = false;
    return {
      size,
      readAt: async (position: number, length: number): Promise<Buffer> => {
        this.enter('readAt', path);
        if (closed) fail('EBADF', 'read handle closed', path);
        if (node.purged) fail('EIO', 'failed to retrieve the data of a deleted file', path);
        if (position >= size || length <= 0) return Buffer.alloc(0);
        return node.data.read(position, Math.min(length, size - position));
      },
      close: async (): Promise<void> => {
        closed = true;
      },
    };
  }

  async create(path: string, options: CreateOptions): Promise<WriteHandle> {
    this.enter('create', path);
    this.checkWritable(path);
    if (path === '/') fail('EISDIR', 'is a directory', path);
    const meta = { mode: options.mode, user: options.user, group: options.group };
    const parent = this.ensureDirs(parentOf(path), { ...meta, mode: options.mode ?? IGFS_DEFAULT_DIR_MODE });
    const name = baseName(path);
    const existing = parent.children.get(name);
    if (existing?.kind === 'directory') fail('EISDIR', 'is a directory', path);
    if (existing !== undefined) {
      if (existing.writer !== undefined) fail('EBUSY', 'file is already opened for write', path);
      if (!options.overwrite) fail('EEXIST', 'file exists', path);
      this.usedBytes -= existing.data.length;
      existing.purged = true;
    }
    const file: FileNode = {
      kind: 'file', id: this.nextId++, mtimeMs: this.now(), atimeMs: this.now(), ...meta,
      data: new ChunkList(), committed: 0, writer: undefined, purged: false,
    };
    parent.children.set(name, file);
    return this.openWriter(file, path);
  }

  async append(path: string): Promise<WriteHandle> {
    this.enter('append', path);
    this.checkWritable(path);
    const node = this.require(path, path);
    if (node.kind !== 'file') fail('EISDIR', 'is a directory', path);
    if (node.writer !== undefined) fail('EBUSY', 'file is already opened for write', path);
    return this.openWriter(node, path);
  }

  async mkdir(path: string, attrs: SetAttrs): Promise<void> {
    this.enter('mkdir', path);
    this.checkWritable(path);
    if (this.lookup(path)?.kind === 'file') fail('EEXIST', 'a file exists at the path', path);
    // IGFS MAKE_DIRECTORIES is `mkdir -p` and succeeds on an existing directory.
    this.ensureDirs(path, attrs);
  }

  async unlink(path: string): Promise<void> {
    this.enter('unlink', path);
    this.checkWritable(path);
    const node = this.require(path, path);
    if (node.kind === 'directory') fail('EISDIR', 'is a directory', path);
    this.detach(path);
    this.usedBytes -= node.data.length;
    node.purged = true;
  }

  async rmdir(path: string): Promise<void> {
    this.enter('rmdir', path);
    this.checkWritable(path);
    const node = this.require(path, path);
    if (node.kind !== 'directory') fail('ENOTDIR', 'not a directory', path);
    if (path === '/') fail('EBUSY', 'cannot remove the root', path);
    if (node.children.size > 0) fail('ENOTEMPTY', 'directory not empty', path);
    this.detach(path);
  }

  async rename(from: string, to: string): Promise<void> {
    this.enter('rename', from);
    this.checkWritable(from);
    if (from === '/' || to === '/') fail('EBUSY', 'cannot rename the root', from);
    const node = this.require(from, from);
    if (from === to) return;
    if (to.startsWith(`${from}/`)) fail('EINVAL', 'cannot move a directory into itself', to);
    const parent = this.lookup(parentOf(to));
    if (parent === undefined) fail('ENOENT', 'no such directory', parentOf(to));
    if (parent.kind !== 'directory') fail('ENOTDIR', 'not a directory', parentOf(to));
    if (parent.children.has(baseName(to))) fail('EEXIST', 'destination exists', to);
    this.detach(from);
    parent.children.set(baseName(to), node);
  }

  async setAttrs(path: string, attrs: SetAttrs): Promise<void> {
    this.enter('setAttrs', path);
    this.checkWritable(path);
    const node = this.require(path, path);
    if (attrs.mode !== undefined) node.mode = attrs.mode;
    if (attrs.user !== undefined) node.user = attrs.user;
    if (attrs.group !== undefined) node.group = attrs.group;
    if (attrs.atimeMs !== undefined) node.atimeMs = attrs.atimeMs;
    if (attrs.mtimeMs !== undefined) node.mtimeMs = attrs.mtimeMs;
  }

  async statfs(): Promise<StatFs> {
    this.enter('statfs', '/');
    return { totalBytes: this.totalBytes, usedBytes: this.usedBytes };
  }

  /** Called by write handles: capacity accounting and fault injection live in one place. */
  private appendTo(node: FileNode, path: string, data: Buffer): void {
    this.enter('write', path);
    if (this.usedBytes + data.length > this.totalBytes) fail('ENOSPC', 'no space left', path);
    node.data.append(data);
    this.usedBytes += data.length;
  }

  private commit(node: FileNode, path: string, op: 'flush' | 'close'): void {
    this.enter(op, path);
    if (node.committed !== node.data.length) {
      node.committed = node.data.length;
      node.mtimeMs = this.now();
    }
  }

  private openWriter(node: FileNode, path: string): WriteHandle {
    const handle = new MemoryWriteHandle(node, path, {
      write: (data) => this.appendTo(node, path, data),
      flush: () => this.commit(node, path, 'flush'),
      close: () => {
        this.commit(node, path, 'close');
        if (node.writer === handle) node.writer = undefined;
      },
    });
    node.writer = handle;
    return handle;
  }

  private enter(op: MemoryBackendOp, path: string): void {
    this.counts.set(op, (this.counts.get(op) ?? 0) + 1);
    const index = this.faults.findIndex((fault) => fault.op === op && (fault.path === undefined || fault.path === path));
    if (index < 0) return;
    const fault = this.faults[index]!;
    const remaining = (fault.times ?? 1) - 1;
    if (remaining <= 0) this.faults.splice(index, 1);
    else fault.times = remaining;
    throw fault.error;
  }

  private checkWritable(path: string): void {
    if (this.readOnly) fail('EROFS', 'read-only backend', path);
  }

  private attrsOf(node: Node): EntryAttrs {
    const size = node.kind === 'file' ? node.committed : 0;
    return {
      kind: node.kind, size, mtimeMs: node.mtimeMs, atimeMs: node.atimeMs,
      mode: node.mode, user: node.user, group: node.group,
      version: `${node.id}:${size}:${node.mtimeMs}`,
    };
  }

  private newDir(meta: SetAttrs): DirNode {
    const nowMs = this.now();
    return {
      kind: 'directory', id: this.nextId++, mtimeMs: nowMs, atimeMs: nowMs,
      mode: meta.mode, user: meta.user, group: meta.group, children: new Map(),
    };
  }

  private lookup(path: string): Node | undefined {
    let node: Node = this.root;
    if (path === '/') return node;
    for (const name of path.slice(1).split('/')) {
      if (node.kind !== 'directory') return undefined;
      const child: Node | undefined = node.children.get(name);
      if (child === undefined) return undefined;
      node = child;
    }
    return node;
  }

  /** The node at `path`; ENOENT when missing, ENOTDIR when a file sits in the parent chain. */
  private require(path: string, reported: string): Node {
    let node: Node = this.root;
    if (path === '/') return node;
    for (const name of path.slice(1).split('/')) {
      if (node.kind !== 'directory') fail('ENOTDIR', 'not a directory', reported);
      const child: Node | undefined = node.children.get(name);
      if (child === undefined) fail('ENOENT', 'no such file or directory', reported);
      node = child;
    }
    return node;
  }

  private ensureDirs(path: string, meta: SetAttrs): DirNode {
    let node: Node = this.root;
    if (path === '/') return this.root;
    for (const name of path.slice(1).split('/')) {
      if (node.kind !== 'directory') fail('ENOTDIR', 'not a directory', path);
      let child: Node | undefined = node.children.get(name);
      if (child === undefined) {
        child = this.newDir({ ...meta, mode: meta.mode ?? IGFS_DEFAULT_DIR_MODE });
        node.children.set(name, child);
      }
      node = child;
    }
    if (node.kind !== 'directory') fail('ENOTDIR', 'not a directory', path);
    return node;
  }

  private detach(path: string): void {
    const parent = this.lookup(parentOf(path));
    if (parent?.kind === 'directory') parent.children.delete(baseName(path));
  }
}

interface WriterHooks {
  write(data: Buffer): void;
  flush(): void;
  close(): void;
}

class MemoryWriteHandle implements WriteHandle {
  private closed = false;

  constructor(
    private readonly node: FileNode,
    private readonly path: string,
    private readonly hooks: WriterHooks,
  ) {}

  get size(): number {
    return this.node.data.length;
  }

  async write(data: Buffer): Promise<void> {
    if (this.closed) fail('EIO', 'write to a closed stream', this.path);
    this.hooks.write(data);
  }

  async flush(): Promise<void> {
    if (this.closed) fail('EIO', 'flush of a closed stream', this.path);
    this.hooks.flush();
  }

  async close(): Promise<void> {
    // IGFS answers a repeated CLOSE with success; so does this.
    if (this.closed) return;
    this.hooks.close();
    this.closed = true;
  }
}
