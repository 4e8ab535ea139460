// The seam between POSIX semantics (fs/filesystem.ts) and a store (views/igfs, views/caches).
// Paths are normalized absolute strings ("/", "/a/b"); a Backend never sees "." or "..".
// Every method rejects with FsError for anything a caller can act on.

export type EntryKind = 'file' | 'directory';

export interface EntryAttrs {
  kind: EntryKind;
  /** Bytes; 0 for directories. */
  size: number;
  mtimeMs: number;
  atimeMs: number;
  /** Permission bits (e.g. 0o644), undefined when the store keeps none. */
  mode?: number;
  /** Owner and group names as stored (IGFS `usrName`/`grpName`), undefined when absent. */
  user?: string;
  group?: string;
  /**
   * Changes whenever the content may have changed (e.g. `${size}:${mtimeMs}`); caches key blocks by it.
   */
  version: string;
}

export interface DirEntry {
  name: string;
  attrs: EntryAttrs;
}

export interface StatFs {
  totalBytes: number;
  usedBytes: number;
}

/** Handle of a file opened for reading; `size` is the length the store promises to serve. */
export interface ReadHandle {
  readonly size: number;
  readAt(position: number, length: number): Promise<Buffer>;
  close(): Promise<void>;
}

/** Handle of a file opened for appending. Bytes are appended in call order. */
export interface WriteHandle {
  /** Bytes appended through this handle so far plus the length the file had when opened. */
  readonly size: number;
  /**
   * Appends `data`. The handle may keep `data` without copying (the caller hands it over and never
   * modifies it afterwards). A rejection may also report an earlier write's deferred failure.
   */
  write(data: Buffer): Promise<void>;
  /** Makes everything written so far durable and visible to other clients. */
  flush(): Promise<void>;
  /** Commits and releases the handle; reports any deferred write error. */
  close(): Promise<void>;
}

export interface SetAttrs {
  mode?: number;
  user?: string;
  group?: string;
  atimeMs?: number;
  mtimeMs?: number;
}

export interface CreateOptions {
  /** Replace an existing file (O_TRUNC / truncate(0)); false fails with EEXIST on an existing file. */
  overwrite: boolean;
  mode?: number;
  user?: string;
  group?: string;
}

export interface Backend {
  readonly readOnly: boolean;
  stat(path: string): Promise<EntryAttrs>;
  list(path: string): Promise<DirEntry[]>;
  openRead(path: string): Promise<ReadHandle>;
  create(path: string, options: CreateOptions): Promise<WriteHandle>;
  append(path: string): Promise<WriteHandle>;
  mkdir(path: string, attrs: SetAttrs): Promise<void>;
  unlink(path: string): Promise<void>;
  rmdir(path: string): Promise<void>;
  /** Rename to a destination that does not exist (the filesystem layer handles replacement). */
  rename(from: string, to: string): Promise<void>;
  setAttrs(path: string, attrs: SetAttrs): Promise<void>;
  statfs(): Promise<StatFs>;
}
