// What the FUSE layer calls: POSIX operations by path and file handle. Implemented by fs/filesystem.ts;
// the FUSE layer only translates arguments and maps FsError to errno (fuse/errno.ts).

export const S_IFREG = 0o100000;
export const S_IFDIR = 0o040000;

export interface Stat {
  /** Full st_mode: type bits (S_IFREG/S_IFDIR) | permission bits. */
  mode: number;
  size: number;
  uid: number;
  gid: number;
  nlink: number;
  atimeMs: number;
  mtimeMs: number;
  ctimeMs: number;
}

export interface FsStats {
  blockSize: number;
  totalBlocks: number;
  freeBlocks: number;
  availableBlocks: number;
  totalFiles: number;
  freeFiles: number;
  maxNameLength: number;
}

/** Who asked (from the FUSE request context). */
export interface Caller {
  uid: number;
  gid: number;
  pid: number;
}

/** Times for utimens: undefined means "leave unchanged" (UTIME_OMIT); ms since the epoch otherwise. */
export interface TimesUpdate {
  atimeMs?: number;
  mtimeMs?: number;
}

export interface PosixFs {
  getattr(path: string): Promise<Stat>;
  /** Stat through an open handle (sees the handle's unflushed size). */
  fgetattr(path: string, fh: number): Promise<Stat>;
  /**
   * Entry names only: no "." or "..". libfuse 2.9's high-level API does not add them, so the FUSE
   * layer prepends them if `ls -a` parity is wanted (nothing else needs them).
   */
  readdir(path: string): Promise<string[]>;
  /** `flags` are the raw open(2) flags (Linux values, as in node:fs constants). Returns a handle. */
  open(path: string, flags: number, caller: Caller): Promise<number>;
  create(path: string, mode: number, flags: number, caller: Caller): Promise<number>;
  read(path: string, fh: number, position: number, length: number): Promise<Buffer>;
  /**
   * Returns the number of bytes written (always data.length on success). `data` is only borrowed for
   * the call (fuse-native reuses the buffer); the filesystem copies what it keeps.
   */
  write(path: string, fh: number, data: Buffer, position: number): Promise<number>;
  flush(path: string, fh: number): Promise<void>;
  fsync(path: string, fh: number, dataOnly: boolean): Promise<void>;
  release(path: string, fh: number): Promise<void>;
  truncate(path: string, size: number): Promise<void>;
  ftruncate(path: string, fh: number, size: number): Promise<void>;
  /** With hard_remove this arrives while handles are open; their behaviour is documented in filesystem.ts. */
  unlink(path: string): Promise<void>;
  mkdir(path: string, mode: number, caller: Caller): Promise<void>;
  rmdir(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  chmod(path: string, mode: number): Promise<void>;
  chown(path: string, uid: number, gid: number): Promise<void>;
  utimens(path: string, times: TimesUpdate): Promise<void>;
  statfs(path: string): Promise<FsStats>;
  /** `mode` is the access(2) mask (F_OK/R_OK/W_OK/X_OK). */
  access(path: string, mode: number, caller: Caller): Promise<void>;
  /** Flush every open write and release everything (unmount, signals). */
  shutdown(): Promise<void>;
}
