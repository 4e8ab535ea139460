// Types for the parts of fuse-native 2.2.6 that this project uses, as changed by patches/fuse-native+2.2.6.patch
// (utimens times may be undefined, create gets flags, fsync gets (fd, datasync), `context`, `bindingPath`, the
// added mount options). Only src/fuse/ and the binding's own e2e test import the module.
declare module 'fuse-native' {
  /** Negative errno, 0, or (read/write/getxattr) a byte count. */
  type Code = number;
  type Done = (code: Code) => void;

  export interface FuseStat {
    mode: number;
    uid?: number;
    gid?: number;
    size?: number;
    dev?: number;
    nlink?: number;
    ino?: number;
    rdev?: number;
    blksize?: number;
    blocks?: number;
    /** ms since the epoch, or a Date. */
    atime?: number | Date;
    mtime?: number | Date;
    ctime?: number | Date;
  }

  export interface FuseStatfs {
    bsize: number;
    frsize: number;
    blocks: number;
    bfree: number;
    bavail: number;
    files: number;
    ffree: number;
    favail: number;
    fsid: number;
    flag: number;
    namemax: number;
  }

  export interface FuseOperations {
    init?(cb: Done): void;
    access?(path: string, mode: number, cb: Done): void;
    statfs?(path: string, cb: (code: Code, statfs?: FuseStatfs) => void): void;
    getattr?(path: string, cb: (code: Code, stat?: FuseStat) => void): void;
    fgetattr?(path: string, fd: number, cb: (code: Code, stat?: FuseStat) => void): void;
    flush?(path: string, fd: number, cb: Done): void;
    fsync?(path: string, fd: number, datasync: number, cb: Done): void;
    readdir?(path: string, cb: (code: Code, names?: string[], stats?: FuseStat[]) => void): void;
    truncate?(path: string, size: number, cb: Done): void;
    ftruncate?(path: string, fd: number, size: number, cb: Done): void;
    /** Times in ms since the epoch; undefined means UTIME_OMIT (leave unchanged). UTIME_NOW arrives as now. */
    utimens?(path: string, atime: number | undefined, mtime: number | undefined, cb: Done): void;
    readlink?(path: string, cb: (code: Code, target?: string) => void): void;
    chown?(path: string, uid: number, gid: number, cb: Done): void;
    chmod?(path: string, mode: number, cb: Done): void;
    mknod?(path: string, mode: number, dev: number, cb: Done): void;
    getxattr?(path: string, name: string, position: number, cb: (code: Code, value?: Buffer) => void): void;
    listxattr?(path: string, cb: (code: Code, names?: string[]) => void): void;
    open?(path: string, flags: number, cb: (code: Code, fd?: number) => void): void;
    create?(path: string, mode: number, flags: number, cb: (code: Code, fd?: number) => void): void;
    /** cb(bytesRead) or cb(negative errno). */
    read?(path: string, fd: number, buffer: Buffer, length: number, position: number, cb: Done): void;
    /** cb(bytesWritten) or cb(negative errno). `buffer` is only valid until cb is called. */
    write?(path: string, fd: number, buffer: Buffer, length: number, position: number, cb: Done): void;
    release?(path: string, fd: number, cb: Done): void;
    unlink?(path: string, cb: Done): void;
    rename?(src: string, dest: string, cb: Done): void;
    link?(src: string, dest: string, cb: Done): void;
    symlink?(src: string, dest: string, cb: Done): void;
    mkdir?(path: string, mode: number, cb: Done): void;
    rmdir?(path: string, cb: Done): void;
  }

  /** Per-op timeout in ms (false: none), as the binding reads `timeout`. */
  export type FuseTimeouts = number | false | ({ default?: number } & Partial<Record<keyof FuseOperations, number | false>>);

  export interface FuseOptions {
    timeout?: FuseTimeouts;
    force?: boolean;
    mkdir?: boolean;
    debug?: boolean;
    allowOther?: boolean;
    allowRoot?: boolean;
    autoUnmount?: boolean;
    defaultPermissions?: boolean;
    maxRead?: number;
    userId?: number;
    fsname?: string;
    subtype?: string;
    kernelCache?: boolean;
    autoCache?: boolean;
    umask?: number;
    uid?: number;
    gid?: number;
    /** Seconds; 0 is honoured. */
    entryTimeout?: number;
    attrTimeout?: number;
    acAttrTimeout?: number;
    negativeTimeout?: number;
    bigWrites?: boolean;
    maxWrite?: number;
    maxReadahead?: number;
    directIo?: boolean;
    hardRemove?: boolean;
    readOnly?: boolean;
  }

  export default class Fuse {
    constructor(mountpoint: string, ops: FuseOperations, options?: FuseOptions);
    readonly mnt: string;
    /** The caller of the request being dispatched; read it synchronously at the start of a handler. */
    context: { uid: number; gid: number; pid: number } | undefined;
    mount(cb: (err: Error | null) => void): void;
    unmount(cb: (err: Error | null) => void): void;
    _fuseOptions(): string;
    /** The .node file in use (the patched build). */
    static readonly bindingPath: string;
    static unmount(mountpoint: string, cb: (err: Error | null) => void): void;
  }
}
