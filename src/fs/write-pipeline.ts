// A write handle that answers the writer before the store has taken the bytes, so a sequential writer is not
// paced by the store's per-request latency (the kernel sends the next FUSE write only after this one's answer:
// measured 2 ms per 128 KiB request through IGFS, 0.6 ms over the in-memory store).
//
// Coalescing works like Nagle's algorithm without a timer: while no store write is running, a write goes out
// at once (an idle writer's last bytes never wait in memory); while one is running, later writes gather and go
// out together in blocks of up to `blockBytes` when it finishes. Store writes run one at a time, in order.
// Memory is bounded: once `maxQueuedBytes` are waiting for (or in) the store, write() waits (back-pressure).
// A store write failure is kept and reported by the next write, flush or close (never lost); flush and close
// send everything queued first.
import type { Backend, CreateOptions, DirEntry, EntryAttrs, ReadHandle, SetAttrs, StatFs, WriteHandle } from './backend.js';

export interface WritePipelineOptions {
  /** Largest store write made of gathered writes (a single larger write is passed on whole). */
  blockBytes: number;
  /** Bytes accepted but not yet taken by the store beyond which write() waits. At least blockBytes. */
  maxQueuedBytes: number;
}

export class WritePipeline implements WriteHandle {
  readonly #inner: WriteHandle;
  readonly #blockBytes: number;
  readonly #maxQueuedBytes: number;
  /** Accepted writes not yet handed to the store. */
  #queue: Buffer[] = [];
  /** Bytes in #queue plus the store write running. */
  #queuedBytes = 0;
  #sending: Promise<void> | null = null;
  #failure: { error: unknown } | null = null;
  #waiters: Array<() => void> = [];
  /** `inner.size` when nothing was queued, plus every byte accepted since. */
  #baseSize: number;
  #accepted = 0;

  constructor(inner: WriteHandle, options: WritePipelineOptions) {
    if (!(Number.isSafeInteger(options.blockBytes) && options.blockBytes > 0)) {
      throw new RangeError(`blockBytes must be a positive integer, got ${options.blockBytes}`);
    }
    if (!(Number.isSafeInteger(options.maxQueuedBytes) && options.maxQueuedBytes >= options.blockBytes)) {
      throw new RangeError(`maxQueuedBytes (${options.maxQueuedBytes}) must be an integer of at least blockBytes (${options.blockBytes})`);
    }
    this.#inner = inner;
    this.#blockBytes = options.blockBytes;
    this.#maxQueuedBytes = options.maxQueuedBytes;
    this.#baseSize = inner.size;
  }

  get size(): number {
    return this.#baseSize + this.#accepted;
  }

  /** Bytes accepted and not yet taken by the store (for tests and memory accounting). */
  get queuedBytes(): number {
    return this.#queuedBytes;
  }

  /** Takes `data` over (the caller must not modify it); resolves once it is queued within the memory bound. */
  async write(data: Buffer): Promise<void> {
    this.#throwIfFailed();
    if (data.length === 0) return;
    this.#queue.push(data);
    this.#queuedBytes += data.length;
    this.#accepted += data.length;
    this.#sending ??= this.#sendAll();
    while (this.#queuedBytes > this.#maxQueuedBytes && this.#failure === null) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    this.#throwIfFailed();
  }

  async flush(): Promise<void> {
    await this.#drain();
    this.#throwIfFailed();
    await this.#inner.flush();
    this.#rebase();
  }

  async close(): Promise<void> {
    await this.#drain();
    try {
      await this.#inner.close();
    } finally {
      this.#rebase();
    }
    this.#throwIfFailed();
  }

  async #drain(): Promise<void> {
    while (this.#sending !== null) await this.#sending;
  }

  #rebase(): void {
    this.#baseSize = this.#inner.size;
    this.#accepted = 0;
  }

  async #sendAll(): Promise<void> {
    try {
      while (this.#queue.length > 0 && this.#failure === null) {
        const block = this.#takeBlock();
        try {
          await this.#inner.write(block);
        } catch (err) {
          this.#failure = { error: err };
        }
        this.#queuedBytes -= block.length;
        this.#wake();
      }
    } finally {
      if (this.#failure !== null) {
        // Nothing queued after a failure can reach the store in order: drop it, the error reports the loss.
        this.#queue = [];
        this.#queuedBytes = 0;
        this.#wake();
      }
      this.#sending = null;
    }
  }

  /** Up to blockBytes from the head of the queue as one buffer (a larger single write as it is). */
  #takeBlock(): Buffer {
    const first = this.#queue[0]!;
    if (first.length >= this.#blockBytes || this.#queue.length === 1) {
      this.#queue.shift();
      return first;
    }
    let count = 0;
    let bytes = 0;
    while (count < this.#queue.length && bytes + this.#queue[count]!.length <= this.#blockBytes) {
      bytes += this.#queue[count]!.length;
      count++;
    }
    const parts = this.#queue.splice(0, count);
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts, bytes);
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  #throwIfFailed(): void {
    if (this.#failure !== null) throw this.#failure.error;
  }
}

/** A Backend whose write handles (create, append) are WritePipelines; everything else passes through. */
export class PipelinedBackend implements Backend {
  constructor(private readonly inner: Backend, private readonly options: WritePipelineOptions) {}

  get readOnly(): boolean {
    return this.inner.readOnly;
  }

  stat(path: string): Promise<EntryAttrs> {
    return this.inner.stat(path);
  }

  list(path: string): Promise<DirEntry[]> {
    return this.inner.list(path);
  }

  openRead(path: string): Promise<ReadHandle> {
    return this.inner.openRead(path);
  }

  async create(path: string, options: CreateOptions): Promise<WriteHandle> {
    return new WritePipeline(await this.inner.create(path, options), this.options);
  }

  async append(path: string): Promise<WriteHandle> {
    return new WritePipeline(await this.inner.append(path), this.options);
  }

  mkdir(path: string, attrs: SetAttrs): Promise<void> {
    return this.inner.mkdir(path, attrs);
  }

  unlink(path: string): Promise<void> {
    return this.inner.unlink(path);
  }

  rmdir(path: string): Promise<void> {
    return this.inner.rmdir(path);
  }

  rename(from: string, to: string): Promise<void> {
    return this.inner.rename(from, to);
  }

  setAttrs(path: string, attrs: SetAttrs): Promise<void> {
    return this.inner.setAttrs(path, attrs);
  }

  statfs(): Promise<StatFs> {
    return this.inner.statfs();
  }
}
