// IGFS paths on the wire are bare strings: the server does not normalize what it receives (IgfsPath.readExternal),
// so the client only ever sends normalized absolute paths and refuses anything else before a byte is written.

import { InvalidPathError } from '../errors.js';
import { modifiedUtf8Length } from './modified-utf8.js';
import { JUTF_MAX_BYTES } from './frame-writer.js';

export const ROOT_PATH = '/';

const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Throws InvalidPathError unless `path` is absolute, normalized, NUL-free and at most 65535 encoded bytes. */
export function validatePath(path: string): string {
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw new InvalidPathError(String(path), 'not-absolute', `IGFS path must be absolute: ${JSON.stringify(path)}`);
  }
  if (path.includes('\0')) {
    // The wire could carry it (C0 80) but no POSIX name can hold NUL, and IgfsPath would accept it silently.
    throw new InvalidPathError(path, 'contains-nul', `IGFS path contains NUL: ${JSON.stringify(path)}`);
  }
  if (path !== ROOT_PATH) {
    if (path.endsWith('/')) throw notNormalized(path, 'trailing "/"');
    for (const part of path.slice(1).split('/')) {
      if (part === '') throw notNormalized(path, 'empty component');
      if (part === '.' || part === '..') throw notNormalized(path, `"${part}" component`);
    }
  }
  if (UNPAIRED_SURROGATE.test(path)) {
    // The wire carries it (3 bytes), but the node keeps metadata in Ignite's binary format (standard UTF-8) and turns
    // it into "?": MAKE_DIRECTORIES "/a\ud800" answers true and creates "/a?" (seen on 2.8.1).
    throw new InvalidPathError(path, 'unpaired-surrogate', `IGFS path contains an unpaired UTF-16 surrogate: ${JSON.stringify(path)}`);
  }
  const bytes = modifiedUtf8Length(path);
  if (bytes > JUTF_MAX_BYTES) {
    throw new InvalidPathError(path.slice(0, 64) + '…', 'too-long', `IGFS path is ${bytes} bytes; the limit is 65535`);
  }
  return path;
}

function notNormalized(path: string, what: string): InvalidPathError {
  return new InvalidPathError(path, 'not-normalized', `IGFS path is not normalized (${what}): ${JSON.stringify(path)}`);
}

/** `parent` + "/" + `name`, the way the server builds child paths. */
export function joinPath(parent: string, name: string): string {
  return parent === ROOT_PATH ? `/${name}` : `${parent}/${name}`;
}

/** Last component ("" for the root). */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Parent path (null for the root). */
export function parentPath(path: string): string | null {
  if (path === ROOT_PATH) return null;
  const i = path.lastIndexOf('/');
  return i <= 0 ? ROOT_PATH : path.slice(0, i);
}
