// Append-only byte store behind one snapshot (a partition file, the contents of a cache's row files). Small
// snapshots stay in memory; once one passes its in-memory limit, or the view's shared memory budget is spent,
// everything moves to a file in the view's temp directory, so a large cache costs disk, not daemon memory.
// Written once (append... then finish), read many times (readAt), then released (file removed).
import { open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

/** Bytes held in memory by all in-memory spools of one view together. */
export class MemoryBudget {
  private used = 0;

  constructor(readonly maxBytes: number) {}

  get usedBytes(): number {
    return this.used;
  }

  tryTake(bytes: number): boolean {
    if (this.used + bytes > this.maxBytes) return false;
    this.used += bytes;
    return true;
  }

  give(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}

export interface SpoolOptions {
  /** Directory for spool files (created by the owner). */
  dir: string;
  /** Beyond this many bytes a spool moves to a file. */
  maxMemoryBytes: number;
  budget: MemoryBudget;
}

/** Appended bytes are written to the file in batches of about this size (fewer, larger writes). */
const FILE_BATCH_BYTES = 1 << 20;

let spoolCounter = 0;

export class Spool {
  private chunks: Buffer[] = [];
  /** Bytes of `chunks` taken from the budget (in-memory mode) or waiting to be written (file mode). */
  private pendingBytes = 0;
  private total = 0;
  private file: FileHandle | undefined;
  private filePath: string | undefined;
  private memory: Buffer | undefined;
  private released = false;

  constructor(private readonly options: SpoolOptions) {}

  get size(): number {
    return this.total;
  }

  get onDisk(): boolean {
    return this.file !== undefined;
  }

  /** Appends `data` (kept by reference until written: the caller must not modify it) and returns its offset. */
  async append(data: Buffer): Promise<number> {
    const offset = this.total;
    this.total += data.length;
    if (this.file === undefined) {
      const fits = this.total <= this.options.maxMemoryBytes && this.options.budget.tryTake(data.length);
      if (fits) {
        this.chunks.push(data);
        this.pendingBytes += data.length;
        return offset;
      }
      await this.moveToFile();
    }
    this.chunks.push(data);
    this.pendingBytes += data.length;
    if (this.pendingBytes >= FILE_BATCH_BYTES) await this.writeChunks();
    return offset;
  }

  /** Ends writing; after this, readAt serves every appended byte. */
  async finish(): Promise<void> {
    if (this.file !== undefined) {
      await this.writeChunks();
      return;
    }
    // One contiguous buffer makes readAt a slice (no copy) for the life of the snapshot.
    // A lone chunk may be a slice of a scan page: copy it so the page can be collected.
    const only = this.chunks.length === 1 ? this.chunks[0]! : undefined;
    this.memory = only !== undefined && only.buffer.byteLength === only.length
      ? only
      : Buffer.concat(this.chunks, this.total);
    this.chunks = [];
  }

  async readAt(position: number, length: number): Promise<Buffer> {
    if (this.released) throw new Error('spool was released');
    const end = Math.min(this.total, position + length);
    if (end <= position) return Buffer.alloc(0);
    if (this.memory !== undefined) return this.memory.subarray(position, end);
    if (this.file === undefined) throw new Error('spool read before finish');
    const out = Buffer.allocUnsafe(end - position);
    let done = 0;
    while (done < out.length) {
      const { bytesRead } = await this.file.read(out, done, out.length - done, position + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return done === out.length ? out : out.subarray(0, done);
  }

  /** Frees the memory or removes the file. Idempotent. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    if (this.file === undefined) this.options.budget.give(this.pendingBytes);
    this.chunks = [];
    this.memory = undefined;
    this.pendingBytes = 0;
    const file = this.file;
    const path = this.filePath;
    this.file = undefined;
    if (file !== undefined) await file.close().catch(() => undefined);
    if (path !== undefined) await rm(path, { force: true });
  }

  private async moveToFile(): Promise<void> {
    this.options.budget.give(this.pendingBytes);
    this.filePath = join(this.options.dir, `spool-${process.pid}-${++spoolCounter}`);
    this.file = await open(this.filePath, 'w+', 0o600);
    if (this.released) {
      // Released while the file was being created: do not leave it behind.
      await this.file.close();
      await rm(this.filePath, { force: true });
      throw new Error('spool was released');
    }
    await this.writeChunks();
  }

  private async writeChunks(): Promise<void> {
    if (this.chunks.length === 0 || this.file === undefined) return;
    const chunks = this.chunks;
    this.chunks = [];
    this.pendingBytes = 0;
    await this.file.writev(chunks);
  }
}
