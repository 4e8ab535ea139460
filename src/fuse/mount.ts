// Mounting a PosixFs with the patched fuse-native, unmounting it, and recovering a dead mount.
// This folder is the only importer of fuse-native; it is loaded on first mount, so commands that never mount
// (ignite-fuse igfs ...) work on a machine where the binding is not built.
import { execFile } from 'node:child_process';
import { access, constants as fsConstants, readdir, stat, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type FuseClass from 'fuse-native';
import type { PosixFs } from '../fs/posix-fs.js';
import { createFuseOps } from './fuse-ops.js';
import { checkOptionStringLength, toFuseNativeOptions, type MountOptions } from './mount-options.js';
import { findMount } from './mount-table.js';
import { OpAdapter, type FuseLogger, type OpObserver } from './op-adapter.js';

const run = promisify(execFile);

const FUSE_DEVICE = '/dev/fuse';
/** fusectl: writing to <minor>/abort fails every pending and future request of that FUSE connection. */
const FUSE_CONNECTIONS = '/sys/fs/fuse/connections';
/** How long libfuse may take from mount(2) to the INIT request; beyond it something is wrong with the kernel side. */
const MOUNT_READY_TIMEOUT_MS = 30_000;

export type FuseMountErrorCode =
  | 'NO_DEVICE' | 'NO_MOUNTPOINT' | 'NOT_A_DIRECTORY' | 'NOT_EMPTY' | 'ALREADY_MOUNTED' | 'BAD_OPTIONS'
  | 'BINDING_MISSING' | 'MOUNT_FAILED' | 'BUSY' | 'UNMOUNT_FAILED';

export class FuseMountError extends Error {
  constructor(
    readonly code: FuseMountErrorCode,
    readonly mountpoint: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${mountpoint}: ${message}`, options);
    this.name = 'FuseMountError';
  }
}

export interface MountDeps {
  logger: FuseLogger;
  /** Told about every answered op (tests, metrics). */
  observer?: OpObserver;
}

export interface UnmountOptions {
  /** Detach even while files are open (`fusermount -uz`); otherwise a busy mount rejects with BUSY. */
  lazy?: boolean;
}

/** A live mount. */
export class FuseMount {
  private unmounted = false;

  constructor(
    readonly mountpoint: string,
    private readonly fuse: FuseClass,
    private readonly logger: FuseLogger,
  ) {}

  /** Removes the kernel mount, then releases the binding so the process can exit. Idempotent. */
  async unmount(options: UnmountOptions = {}): Promise<void> {
    if (this.unmounted) return;
    if ((await findMount(this.mountpoint)) !== undefined) {
      try {
        await run('fusermount', options.lazy === true ? ['-uz', this.mountpoint] : ['-u', this.mountpoint]);
      } catch (err) {
        if ((await findMount(this.mountpoint)) !== undefined) {
          // fusermount exits 1 for every failure; still mounted after a plain -u means something holds it open.
          throw new FuseMountError(options.lazy === true ? 'UNMOUNT_FAILED' : 'BUSY', this.mountpoint,
            options.lazy === true ? 'fusermount -uz failed' : 'in use (open files or a working directory); unmount lazily to detach anyway',
            { cause: err });
        }
      }
    }
    // The patched binding runs `fusermount -uz` again, finds nothing mounted and releases its native side.
    await new Promise<void>((resolvePromise, reject) => {
      this.fuse.unmount((err) => (err ? reject(new FuseMountError('UNMOUNT_FAILED', this.mountpoint, 'binding unmount failed', { cause: err })) : resolvePromise()));
    });
    this.unmounted = true;
    this.logger.debug(`fuse: unmounted ${this.mountpoint}`);
  }
}

/** Checks the mountpoint and the device, then mounts; resolves once the kernel has sent INIT (the mount is live). */
export async function mount(fs: PosixFs, options: MountOptions, deps: MountDeps): Promise<FuseMount> {
  const mountpoint = resolve(options.mountpoint);
  let fuseOptions;
  try {
    fuseOptions = toFuseNativeOptions({ ...options, mountpoint });
  } catch (err) {
    throw new FuseMountError('BAD_OPTIONS', mountpoint, (err as Error).message, { cause: err });
  }
  await checkDevice(mountpoint);
  await checkMountpoint(mountpoint);
  const Fuse = await loadBinding(mountpoint);

  const adapter = new OpAdapter(deps.logger, deps.observer);
  // The ops run only once mounted, after `fuse` is assigned; they read the caller of each request from it.
  const ops = createFuseOps(fs, { adapter, caller: () => fuse.context });
  const fuse: FuseClass = new Fuse(mountpoint, ops, fuseOptions);
  try {
    checkOptionStringLength(fuse._fuseOptions());
  } catch (err) {
    throw new FuseMountError('BAD_OPTIONS', mountpoint, (err as Error).message, { cause: err });
  }

  try {
    await withTimeout(new Promise<void>((resolvePromise, reject) => fuse.mount((err) => (err ? reject(err) : resolvePromise()))),
      MOUNT_READY_TIMEOUT_MS, `no INIT from the kernel within ${MOUNT_READY_TIMEOUT_MS} ms`);
  } catch (err) {
    // fuse_mount may have succeeded before fuse_new failed: never leave a mount nobody serves.
    await forceUnmount(mountpoint).catch(() => undefined);
    throw new FuseMountError('MOUNT_FAILED', mountpoint, `mount failed (libfuse prints the reason on stderr): ${(err as Error).message}`, { cause: err });
  }
  deps.logger.debug(`fuse: mounted ${mountpoint} with ${fuse._fuseOptions()}`);
  return new FuseMount(mountpoint, fuse, deps.logger);
}

/**
 * Recovers a mount whose daemon died or hangs: aborts its FUSE connection when fusectl is mounted (processes
 * stuck in a request get ENOTCONN instead of waiting forever on a hung daemon), then unmounts lazily
 * (`fusermount -uz`, or `umount -l` as root when fusermount refuses). Resolves when nothing is mounted there any
 * more; a path that is not mounted is a no-op. Only for a mount whose daemon is gone or must be given up on.
 */
export async function forceUnmount(mountpoint: string): Promise<void> {
  const target = resolve(mountpoint);
  const entry = await findMount(target);
  if (entry === undefined) return;
  if (entry.fsType === 'fuse' || entry.fsType.startsWith('fuse.')) {
    const minor = entry.device.split(':')[1];
    // Best effort: fusectl may not be mounted, and a dead daemon's connection is already gone.
    await writeFile(`${FUSE_CONNECTIONS}/${minor}/abort`, '1').catch(() => undefined);
  }
  const attempts: Array<[string, string[]]> = [['fusermount', ['-uz', target]], ['umount', ['-l', target]]];
  const failures: unknown[] = [];
  for (const [command, args] of attempts) {
    try {
      await run(command, args);
    } catch (err) {
      failures.push(err);
    }
    if ((await findMount(target)) === undefined) return;
  }
  throw new FuseMountError('UNMOUNT_FAILED', target, 'still mounted after fusermount -uz and umount -l', { cause: failures[0] });
}

async function checkDevice(mountpoint: string): Promise<void> {
  try {
    await access(FUSE_DEVICE, fsConstants.R_OK | fsConstants.W_OK);
  } catch (err) {
    throw new FuseMountError('NO_DEVICE', mountpoint, `${FUSE_DEVICE} is missing or not accessible (load the fuse module; in a container pass --device /dev/fuse)`, { cause: err });
  }
}

async function checkMountpoint(mountpoint: string): Promise<void> {
  const existing = await findMount(mountpoint);
  if (existing !== undefined) {
    throw new FuseMountError('ALREADY_MOUNTED', mountpoint,
      `already a mountpoint (${existing.fsType} from ${existing.source}); unmount it first (ignite-fuse unmount --force recovers a dead one)`);
  }
  let info;
  try {
    info = await stat(mountpoint);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new FuseMountError('NO_MOUNTPOINT', mountpoint, 'does not exist', { cause: err });
    throw new FuseMountError('NO_MOUNTPOINT', mountpoint, `cannot stat the mountpoint: ${code ?? String(err)}`, { cause: err });
  }
  if (!info.isDirectory()) throw new FuseMountError('NOT_A_DIRECTORY', mountpoint, 'is not a directory');
  const entries = await readdir(mountpoint);
  if (entries.length > 0) {
    // libfuse 2.9 refuses a non-empty mountpoint (without `nonempty`), and files hidden under a mount confuse people.
    throw new FuseMountError('NOT_EMPTY', mountpoint, `is not empty (${entries.length} entries)`);
  }
}

async function loadBinding(mountpoint: string): Promise<typeof FuseClass> {
  try {
    const module = await import('fuse-native');
    return module.default;
  } catch (err) {
    throw new FuseMountError('BINDING_MISSING', mountpoint, `cannot load the patched fuse-native binding (run scripts/install-fuse): ${(err as Error).message}`, { cause: err });
  }
}

async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
