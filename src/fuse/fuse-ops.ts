// The fuse-native operations object over a PosixFs: argument translation only; POSIX rules live in fs/.
//
// Ops not listed here are absent, so libfuse answers ENOSYS itself (opendir, releasedir, fsyncdir, setxattr,
// removexattr, readlink: nothing here is ever a symlink, so the kernel never asks for readlink).
// Answered on purpose:
// - getxattr and listxattr: ENOSYS from here (not from libfuse) so it is observable; the kernel then sets
//   no_getxattr/no_listxattr for the mount's lifetime and stops asking, which matters because it asks getxattr
//   ("security.capability") before every write otherwise (gcsfuse #1034).
// - read, write, flush, fsync, release, fgetattr, ftruncate of a file unlinked while open (hard_remove) arrive
//   with path "" (libfuse has none; the patched binding sets flag_nullpath_ok): the handle identifies the file.
//   fstat(2) of such a file asks by path and gets ENOENT from libfuse unless the kernel has its attributes cached.
// - link, symlink, mknod: EPERM, the errno POSIX documents for "the filesystem does not support creating hard
//   links / symbolic links / special files" (link(2), symlink(2), mknod(2)); `ln` then reports "Operation not
//   permitted", not the more confusing "Function not implemented".
import type { FuseOperations, FuseStat, FuseStatfs } from 'fuse-native';
import { FsError } from '../fs/errors.js';
import type { Caller, PosixFs, Stat } from '../fs/posix-fs.js';
import type { OpAdapter } from './op-adapter.js';

/**
 * st_blksize reported for every entry. glibc stdio, Python's buffered files and coreutils size their buffers by it:
 * 128 KiB makes them issue writes as large as one big_writes request instead of 4 KiB ones.
 */
export const PREFERRED_IO_BYTES = 131072;

/** st_blocks counts 512-byte units whatever the block size (stat(2)). */
const STAT_BLOCK_BYTES = 512;

const ROOT_CALLER: Caller = { uid: 0, gid: 0, pid: 0 };

export interface FuseOpsDeps {
  adapter: OpAdapter;
  /** The caller of the request being dispatched (the binding's per-request context); read synchronously. */
  caller: () => Caller | undefined;
}

export function toFuseStat(stat: Stat): FuseStat {
  return {
    mode: stat.mode,
    uid: stat.uid,
    gid: stat.gid,
    size: stat.size,
    nlink: stat.nlink,
    blksize: PREFERRED_IO_BYTES,
    blocks: Math.ceil(stat.size / STAT_BLOCK_BYTES),
    atime: stat.atimeMs,
    mtime: stat.mtimeMs,
    ctime: stat.ctimeMs,
  };
}

/** Builds the ops object. Every op goes through the adapter, so each is answered exactly once. */
export function createFuseOps(fs: PosixFs, deps: FuseOpsDeps): FuseOperations {
  const { adapter } = deps;
  const caller = (): Caller => deps.caller() ?? ROOT_CALLER;
  const status = (cb: (code: number) => void) => (errno: number): void => cb(errno);
  const count = (cb: (code: number) => void) => (errno: number, n?: number): void => cb(errno < 0 ? errno : (n ?? 0));

  return {
    getattr(path, cb) {
      adapter.run('getattr', path, async () => toFuseStat(await fs.getattr(path)), (errno, st) => cb(errno, st));
    },
    fgetattr(path, fd, cb) {
      adapter.run('fgetattr', path, async () => toFuseStat(await fs.fgetattr(path, fd)), (errno, st) => cb(errno, st));
    },
    readdir(path, cb) {
      adapter.run('readdir', path, async () => ['.', '..', ...(await fs.readdir(path))], (errno, names) => cb(errno, names));
    },
    open(path, flags, cb) {
      const who = caller();
      adapter.run('open', path, async () => checkHandle(await fs.open(path, flags, who)), (errno, fh) => cb(errno, fh));
    },
    create(path, mode, flags, cb) {
      const who = caller();
      adapter.run('create', path, async () => checkHandle(await fs.create(path, mode, flags, who)), (errno, fh) => cb(errno, fh));
    },
    read(path, fd, buffer, length, position, cb) {
      adapter.run('read', path, async () => {
        const data = await fs.read(path, fd, position, length);
        if (data.length > length) throw new FsError('EIO', `read returned ${data.length} bytes for ${length} asked`, { path });
        return data.copy(buffer, 0, 0, data.length);
      }, count(cb));
    },
    write(path, fd, buffer, length, position, cb) {
      // The buffer is libfuse's memory, reused (and detached from JS) once we answer: the filesystem may keep the
      // bytes queued beyond that, so it gets its own copy.
      const data = Buffer.from(buffer.subarray(0, length));
      adapter.run('write', path, () => fs.write(path, fd, data, position), count(cb));
    },
    flush(path, fd, cb) {
      adapter.run('flush', path, () => fs.flush(path, fd), status(cb));
    },
    fsync(path, fd, datasync, cb) {
      adapter.run('fsync', path, () => fs.fsync(path, fd, datasync !== 0), status(cb));
    },
    release(path, fd, cb) {
      adapter.run('release', path, () => fs.release(path, fd), status(cb));
    },
    truncate(path, size, cb) {
      adapter.run('truncate', path, () => fs.truncate(path, size), status(cb));
    },
    ftruncate(path, fd, size, cb) {
      adapter.run('ftruncate', path, () => fs.ftruncate(path, fd, size), status(cb));
    },
    unlink(path, cb) {
      adapter.run('unlink', path, () => fs.unlink(path), status(cb));
    },
    mkdir(path, mode, cb) {
      const who = caller();
      adapter.run('mkdir', path, () => fs.mkdir(path, mode, who), status(cb));
    },
    rmdir(path, cb) {
      adapter.run('rmdir', path, () => fs.rmdir(path), status(cb));
    },
    rename(src, dest, cb) {
      adapter.run('rename', src, () => fs.rename(src, dest), status(cb));
    },
    chmod(path, mode, cb) {
      adapter.run('chmod', path, () => fs.chmod(path, mode), status(cb));
    },
    chown(path, uid, gid, cb) {
      adapter.run('chown', path, () => fs.chown(path, uid, gid), status(cb));
    },
    utimens(path, atime, mtime, cb) {
      adapter.run('utimens', path, () => fs.utimens(path, { atimeMs: atime, mtimeMs: mtime }), status(cb));
    },
    statfs(path, cb) {
      adapter.run('statfs', path, async (): Promise<FuseStatfs> => {
        const s = await fs.statfs(path);
        return {
          bsize: s.blockSize,
          frsize: s.blockSize,
          blocks: s.totalBlocks,
          bfree: s.freeBlocks,
          bavail: s.availableBlocks,
          files: s.totalFiles,
          ffree: s.freeFiles,
          favail: s.freeFiles,
          fsid: 0,
          flag: 0,
          namemax: s.maxNameLength,
        };
      }, (errno, st) => cb(errno, st));
    },
    access(path, mode, cb) {
      const who = caller();
      adapter.run('access', path, () => fs.access(path, mode, who), status(cb));
    },
    getxattr(path, _name, _position, cb) {
      adapter.run('getxattr', path, () => unsupported('ENOSYS', 'extended attributes are not supported', path), (errno) => cb(errno));
    },
    listxattr(path, cb) {
      adapter.run('listxattr', path, () => unsupported('ENOSYS', 'extended attributes are not supported', path), (errno) => cb(errno));
    },
    link(src, _dest, cb) {
      adapter.run('link', src, () => unsupported('EPERM', 'hard links are not supported', src), status(cb));
    },
    symlink(_target, linkPath, cb) {
      adapter.run('symlink', linkPath, () => unsupported('EPERM', 'symbolic links are not supported', linkPath), status(cb));
    },
    mknod(path, _mode, _dev, cb) {
      adapter.run('mknod', path, () => unsupported('EPERM', 'special files are not supported', path), status(cb));
    },
  };
}

function unsupported(code: 'ENOSYS' | 'EPERM', message: string, path: string): Promise<never> {
  return Promise.reject(new FsError(code, message, { path }));
}

/**
 * The binding returns handles as a signed 32-bit int and treats 0 as "no handle", so anything else cannot
 * reach the kernel intact.
 */
function checkHandle(fh: number): number {
  if (!Number.isInteger(fh) || fh <= 0 || fh > 0x7fffffff) {
    throw new FsError('EIO', `filesystem returned file handle ${fh}, outside 1..2^31-1`);
  }
  return fh;
}
