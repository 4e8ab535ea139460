// open(2) flags decoded once per open, from node:fs constants (Linux values, as FUSE passes them).
import { constants } from 'node:fs';

export interface OpenMode {
  readable: boolean;
  writable: boolean;
  create: boolean;
  exclusive: boolean;
  truncate: boolean;
  append: boolean;
}

/** Linux O_ACCMODE; node:fs exports the three access modes but not their mask. */
const O_ACCMODE = 0o3;

export function decodeOpenFlags(flags: number): OpenMode {
  const access = flags & O_ACCMODE;
  const writable = access === constants.O_WRONLY || access === constants.O_RDWR;
  return {
    readable: access === constants.O_RDONLY || access === constants.O_RDWR,
    writable,
    create: (flags & constants.O_CREAT) !== 0,
    exclusive: (flags & constants.O_EXCL) !== 0,
    // POSIX leaves O_TRUNC with O_RDONLY unspecified; Linux ignores it there, and so do we.
    truncate: writable && (flags & constants.O_TRUNC) !== 0,
    append: (flags & constants.O_APPEND) !== 0,
  };
}
