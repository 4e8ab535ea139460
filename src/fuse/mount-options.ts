// What a mount is asked for, and its translation to the (patched) binding's options. Pure: unit-tested without
// a mount.
import type { FuseOptions } from 'fuse-native';

export interface MountOptions {
  /** An existing, empty directory that is not already a mountpoint. */
  mountpoint: string;
  /** Mount `ro`: the kernel answers EROFS to every mutation before it reaches the daemon. */
  readOnly?: boolean;
  /** Let other users in (`allow_other`); turns on `default_permissions` so the kernel enforces the modes. */
  allowOther?: boolean;
  /** Shown as the source in `mount`/`df` (default "ignite-fuse"). */
  fsname?: string;
  /** Type suffix: `fuse.<subtype>` (default none). */
  subtype?: string;
  /**
   * Writes of up to maxWriteBytes per request instead of one page (default true). Measured 46 vs 318 MB/s on an
   * in-memory filesystem. Measured on Linux 6.18: 1 MiB written from a buffer that is not page-aligned AND not yet
   * faulted in (fresh calloc'd zero pages, e.g. Python's bytes(1 << 20)) arrives split at every source page (512
   * requests of 4048 and 48 bytes) unless `directIo` is on; from touched memory, aligned or not, as 8 of 128 KiB.
   * glibc stdio (fwrite) flushes in 8 KiB pieces whatever st_blksize says.
   */
  bigWrites?: boolean;
  /** Largest write request (default 131072: 32 pages, the kernel's default maximum without FUSE_MAX_PAGES). */
  maxWriteBytes?: number;
  /** Kernel read-ahead per file (default: libfuse's, 128 KiB). */
  maxReadaheadBytes?: number;
  /** How long the kernel may cache attributes / names / "no such name" (defaults 1000 / 1000 / 0 ms, libfuse's). */
  attrTimeoutMs?: number;
  entryTimeoutMs?: number;
  negativeTimeoutMs?: number;
  /** Drop cached pages when a file's mtime or size changed at open (default true): other writers become visible. */
  autoCache?: boolean;
  /**
   * Unlink an open file at once instead of renaming it to `.fuse_hidden*` (default true): libfuse's hidden files
   * would land in the store. fs/ keeps open handles of an unlinked file working itself.
   */
  hardRemove?: boolean;
  /** Bypass the page cache (default false): no split writes, but no kernel caching and no shared mmap. */
  directIo?: boolean;
  /** libfuse's `debug` (every request on stderr). */
  debug?: boolean;
  /**
   * Longest the binding waits for a handler before answering ETIMEDOUT itself (default 10 min; false: never).
   * A last resort: the store's own deadlines should fire first, and a long flush/close must not be cut off.
   */
  opTimeoutMs?: number | false;
}

export const DEFAULT_FSNAME = 'ignite-fuse';
export const DEFAULT_MAX_WRITE_BYTES = 131072;
export const DEFAULT_OP_TIMEOUT_MS = 10 * 60 * 1000;
const DEFAULT_ATTR_TIMEOUT_MS = 1000;
const DEFAULT_ENTRY_TIMEOUT_MS = 1000;
const DEFAULT_NEGATIVE_TIMEOUT_MS = 0;

/** The binding copies the mountpoint and the option string into 1024-byte buffers (and truncates silently). */
const MAX_NATIVE_STRING_BYTES = 1023;
/** The kernel's limit on one FUSE write request without FUSE_MAX_PAGES (32 pages). */
const MAX_WRITE_LIMIT_BYTES = 131072;

export class MountOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MountOptionsError';
  }
}

/** Translates and validates; throws MountOptionsError for what libfuse would reject or misread. */
export function toFuseNativeOptions(options: MountOptions): FuseOptions {
  const fsname = options.fsname ?? DEFAULT_FSNAME;
  checkOptionValue('fsname', fsname);
  if (options.subtype !== undefined) checkOptionValue('subtype', options.subtype);
  const maxWrite = options.maxWriteBytes ?? DEFAULT_MAX_WRITE_BYTES;
  if (!Number.isInteger(maxWrite) || maxWrite < 4096 || maxWrite > MAX_WRITE_LIMIT_BYTES) {
    throw new MountOptionsError(`maxWriteBytes must be an integer in 4096..${MAX_WRITE_LIMIT_BYTES}, got ${maxWrite}`);
  }
  if (options.maxReadaheadBytes !== undefined && !(Number.isInteger(options.maxReadaheadBytes) && options.maxReadaheadBytes >= 0)) {
    throw new MountOptionsError(`maxReadaheadBytes must be a non-negative integer, got ${options.maxReadaheadBytes}`);
  }
  const opTimeout = options.opTimeoutMs ?? DEFAULT_OP_TIMEOUT_MS;
  if (opTimeout !== false && !(Number.isInteger(opTimeout) && opTimeout > 0)) {
    throw new MountOptionsError(`opTimeoutMs must be a positive integer or false, got ${opTimeout}`);
  }

  const allowOther = options.allowOther ?? false;
  const bigWrites = options.bigWrites ?? true;
  const result: FuseOptions = {
    fsname,
    subtype: options.subtype,
    readOnly: options.readOnly ?? false,
    allowOther,
    defaultPermissions: allowOther,
    bigWrites,
    maxWrite: bigWrites ? maxWrite : undefined,
    maxReadahead: options.maxReadaheadBytes,
    attrTimeout: seconds('attrTimeoutMs', options.attrTimeoutMs ?? DEFAULT_ATTR_TIMEOUT_MS),
    entryTimeout: seconds('entryTimeoutMs', options.entryTimeoutMs ?? DEFAULT_ENTRY_TIMEOUT_MS),
    negativeTimeout: seconds('negativeTimeoutMs', options.negativeTimeoutMs ?? DEFAULT_NEGATIVE_TIMEOUT_MS),
    autoCache: options.autoCache ?? true,
    hardRemove: options.hardRemove ?? true,
    directIo: options.directIo ?? false,
    debug: options.debug ?? false,
    timeout: opTimeout,
  };
  if (Buffer.byteLength(options.mountpoint) > MAX_NATIVE_STRING_BYTES) {
    throw new MountOptionsError(`mountpoint path longer than ${MAX_NATIVE_STRING_BYTES} bytes`);
  }
  return result;
}

/** Checks the whole `-o` string the binding will build fits its buffer. */
export function checkOptionStringLength(optionString: string): void {
  if (Buffer.byteLength(optionString) > MAX_NATIVE_STRING_BYTES) {
    throw new MountOptionsError(`mount option string longer than ${MAX_NATIVE_STRING_BYTES} bytes: ${optionString}`);
  }
}

/** libfuse takes seconds as a double (e.g. "0.5"). */
function seconds(name: string, ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) throw new MountOptionsError(`${name} must be a non-negative number, got ${ms}`);
  return ms / 1000;
}

/** Option values are joined with commas and parsed by libfuse: no separators, escapes or blanks inside. */
function checkOptionValue(name: string, value: string): void {
  if (value === '' || /[,\\\s=]/.test(value)) {
    throw new MountOptionsError(`${name} must be non-empty without commas, backslashes, '=' or blanks: ${JSON.stringify(value)}`);
  }
}
