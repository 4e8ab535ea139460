// A small on-disk registry of running daemons, keyed by mountpoint, so `ignite-fuse unmount MOUNTPOINT` can find
// the process that serves a mount and ask it to flush and unmount (SIGTERM).
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

export interface RegistryEntry {
  pid: number;
  mountpoint: string;
  role: 'igfs' | 'caches';
  logFile?: string;
  startedAt: string;
}

export function defaultRegistryDir(): string {
  const uid = process.getuid?.() ?? 0;
  return uid === 0 ? '/run/ignite-fuse' : join(tmpdir(), `ignite-fuse-${uid}`);
}

function entryFile(dir: string, mountpoint: string): string {
  return join(dir, `${createHash('sha256').update(mountpoint).digest('hex').slice(0, 24)}.json`);
}

export class Registry {
  constructor(private readonly dir: string = defaultRegistryDir()) {}

  async add(entry: RegistryEntry): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file = entryFile(this.dir, entry.mountpoint);
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(entry) + '\n');
    await rename(tmp, file);
  }

  async get(mountpoint: string): Promise<RegistryEntry | undefined> {
    try {
      return JSON.parse(await readFile(entryFile(this.dir, mountpoint), 'utf8')) as RegistryEntry;
    } catch {
      return undefined;
    }
  }

  /** Removes the entry only if it still names `pid` (a newer daemon may have taken the mountpoint). */
  async remove(mountpoint: string, pid?: number): Promise<void> {
    if (pid !== undefined) {
      const current = await this.get(mountpoint);
      if (current && current.pid !== pid) return;
    }
    await rm(entryFile(this.dir, mountpoint), { force: true });
  }
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
