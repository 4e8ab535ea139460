// What `ignite-fuse unmount` does: find the daemon serving a mountpoint, ask it to flush and unmount (SIGTERM),
// and with --force recover a dead mount (lazy unmount) or a daemon that does not finish in time (SIGKILL).
import { findMount } from '../fuse/mount-table.js';
import { forceUnmount } from '../fuse/mount.js';
import { Registry, isProcessAlive } from './registry.js';

export class UnmountError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnmountError';
  }
}

export interface StopOptions {
  force: boolean;
  /** How long a daemon may take to flush and unmount after SIGTERM. */
  timeoutMs: number;
  registry?: Registry;
  pollMs?: number;
}

async function detach(mountpoint: string): Promise<void> {
  try {
    await forceUnmount(mountpoint);
  } catch (err) {
    throw new UnmountError((err as Error).message);
  }
}

async function waitUntil(cond: () => Promise<boolean> | boolean, timeoutMs: number, pollMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** Returns a short description of what was done. */
export async function stopDaemon(mountpoint: string, options: StopOptions): Promise<string> {
  const registry = options.registry ?? new Registry();
  const pollMs = options.pollMs ?? 100;
  const entry = await registry.get(mountpoint);
  const mounted = async (): Promise<boolean> => {
    const entry = await findMount(mountpoint);
    if (entry === undefined) return false;
    // Never lazily unmount something that is not a FUSE filesystem (a typo must not detach a real disk).
    if (entry.fsType !== 'fuse' && !entry.fsType.startsWith('fuse.')) {
      throw new UnmountError(`${mountpoint} is a ${entry.fsType} mount, not a FUSE one`);
    }
    return true;
  };

  if (entry !== undefined && isProcessAlive(entry.pid)) {
    process.kill(entry.pid, 'SIGTERM');
    const exited = await waitUntil(() => !isProcessAlive(entry.pid), options.timeoutMs, pollMs);
    if (!exited) {
      if (!options.force) {
        throw new UnmountError(`daemon ${entry.pid} did not finish within ${options.timeoutMs} ms (still flushing?); retry, or use --force`);
      }
      process.kill(entry.pid, 'SIGKILL');
      await waitUntil(() => !isProcessAlive(entry.pid), 5000, pollMs);
    }
    await registry.remove(mountpoint, entry.pid);
    if (await mounted()) await detach(mountpoint);
    return exited ? `unmounted ${mountpoint} (daemon ${entry.pid} flushed and exited)` : `killed daemon ${entry.pid} and unmounted ${mountpoint}`;
  }

  if (entry !== undefined) await registry.remove(mountpoint, entry.pid);
  if (!(await mounted())) throw new UnmountError(`${mountpoint} is not mounted`);
  if (!options.force) {
    throw new UnmountError(`no ignite-fuse daemon serves ${mountpoint} (it died?); use --force to unmount it`);
  }
  await detach(mountpoint);
  return `unmounted dead mount ${mountpoint}`;
}
