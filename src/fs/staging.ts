// Local staging for what an append-only store cannot do in place: writes before the end of a file
// and truncate(n > 0). A staged file is a full local copy of the file's content; the filesystem
// rewrites it into the store at fsync/close. The total staged size is bounded: a write or truncate
// that would go beyond `maxBytes` fails at once with EFBIG (documented), never later at close.
import { mkdir, open, readdir, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { FsError } from './errors.js';

/** Staging files are named `<prefix><pid>-<n>` so a start-up sweep can tell its own from a live daemon's. */
const FILE_PREFIX = 'ifuse-stage-';
const FILE_NAME = new RegExp(`^${FILE_PREFIX}(\\d+)-\\d+$`);

export class StagingArea {
  private usedBytes = 0;
  private nextId = 1;

  private constructor(
    readonly dir: string,
    readonly maxBytes: number,
  ) {}

  /**
   * Creates the directory if needed and removes files left by a crashed daemon: those named after a
   * process that no longer runs (or after this process, which has not staged anything yet).
   * Files of another live daemon sharing the directory are left alone.
   */
  static async open(dir: string, maxBytes: number): Promise<StagingArea> {
    await mkdir(dir, { recursive: true });
    for (const name of await readdir(dir)) {
      const match = FILE_NAME.exec(name);
      if (match === null) continue;
      const pid = Number(match[1]);
      if (pid !== process.pid && isProcessAlive(pid)) continue;
      await unlink(join(dir, name)).catch(() => undefined);
    }
    return new StagingArea(dir, maxBytes);
  }

  async createFile(logicalPath: string): Promise<StagedFile> {
    const file = join(this.dir, `${FILE_PREFIX}${process.pid}-${this.nextId++}`);
    const handle = await open(file, 'w+', 0o600);
    return new StagedFile(this, handle, file, logicalPath);
  }

  /** Accounts for `deltaBytes` more staged bytes, or fails with EFBIG when the limit would be passed. */
  reserve(deltaBytes: number, path: string): void {
    this.check(deltaBytes, path);
    this.usedBytes += deltaBytes;
  }

  /** Fails with EFBIG when `deltaBytes` more would pass the limit; reserves nothing. */
  check(deltaBytes: number, path: string): void {
    if (deltaBytes > 0 && this.usedBytes + deltaBytes > this.maxBytes) {
      throw new FsError(
        'EFBIG',
        `random write or truncate needs ${this.usedBytes + deltaBytes} bytes of local staging, ` +
          `above the limit of ${this.maxBytes} (maxStagedBytes): ${path}`,
        { path },
      );
    }
  }

  release(bytes: number): void {
    this.usedBytes -= bytes;
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class StagedFile {
  private length = 0;
  private disposed = false;

  constructor(
    private readonly area: StagingArea,
    private readonly handle: FileHandle,
    readonly localPath: string,
    private readonly path: string,
  ) {}

  get size(): number {
    return this.length;
  }

  async write(position: number, data: Buffer): Promise<void> {
    const end = position + data.length;
    const growth = Math.max(0, end - this.length);
    this.area.reserve(growth, this.path);
    try {
      let done = 0;
      while (done < data.length) {
        const { bytesWritten } = await this.handle.write(data, done, data.length - done, position + done);
        done += bytesWritten;
      }
    } catch (err) {
      this.area.release(growth);
      throw new FsError('EIO', `staging write failed: ${this.path}`, { path: this.path, cause: err });
    }
    this.length += growth;
  }

  async truncate(size: number): Promise<void> {
    const delta = size - this.length;
    this.area.reserve(Math.max(0, delta), this.path);
    try {
      await this.handle.truncate(size);
    } catch (err) {
      this.area.release(Math.max(0, delta));
      throw new FsError('EIO', `staging truncate failed: ${this.path}`, { path: this.path, cause: err });
    }
    if (delta < 0) this.area.release(-delta);
    this.length = size;
  }

  /** Up to `length` bytes from `position`, fewer only at the end of the staged content. */
  async read(position: number, length: number): Promise<Buffer> {
    const end = Math.min(this.length, position + length);
    if (end <= position) return Buffer.alloc(0);
    const out = Buffer.allocUnsafe(end - position);
    let done = 0;
    while (done < out.length) {
      const { bytesRead } = await this.handle.read(out, done, out.length - done, position + done);
      // A staged file is never shorter than `length` (holes read back as zeros), so 0 means it vanished.
      if (bytesRead === 0) throw new FsError('EIO', `staging file truncated underneath us: ${this.path}`);
      done += bytesRead;
    }
    return out;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.area.release(this.length);
    await this.handle.close().catch(() => undefined);
    await unlink(this.localPath).catch(() => undefined);
  }
}
