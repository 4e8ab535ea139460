// Read-ahead for one open file. A reader that moves forward through a file (TensorFlow's TFRecord reader,
// `cp`, TensorBoard catching up on an event file) otherwise pays one round trip per block; keeping the next
// blocks in flight hides that latency. The window starts at one block and doubles while reads stay sequential,
// so a reader that stops early wastes little; a seek drops it to nothing, so random access never pays for
// blocks it will not read.

/** The file read-ahead works on: a BlockCacheFile in practice. */
export interface ReadAheadTarget {
  readonly blockSize: number;
  readonly blockCount: number;
  isCached(index: number): boolean;
  /** Brings block `index` into the cache. */
  prefetch(index: number): Promise<void>;
}

export interface ReadAheadOptions {
  /** Largest window, in blocks: at most this many read-ahead requests in flight. 0 turns read-ahead off. */
  maxBlocks: number;
  /**
   * Called when a read-ahead request fails. Never fatal: nothing failed is cached, so the reader's own request
   * for that block asks the source again and reports the error itself.
   */
  onError?: (err: unknown, index: number) => void;
}

export class ReadAhead {
  readonly #target: ReadAheadTarget;
  readonly #maxBlocks: number;
  readonly #onError: ((err: unknown, index: number) => void) | undefined;
  /** End of the previous read; undefined before the first. */
  #lastEnd: number | undefined;
  #window = 0;
  readonly #inFlight = new Map<number, Promise<void>>();

  constructor(target: ReadAheadTarget, options: ReadAheadOptions) {
    if (!Number.isSafeInteger(options.maxBlocks) || options.maxBlocks < 0) {
      throw new RangeError(`maxBlocks must be a non-negative integer, got ${options.maxBlocks}`);
    }
    this.#target = target;
    this.#maxBlocks = options.maxBlocks;
    this.#onError = options.onError;
  }

  /** Blocks the window currently spans (0: not reading ahead). */
  get window(): number {
    return this.#window;
  }

  /** Block indices of read-ahead requests in flight. */
  get inFlight(): number[] {
    return [...this.#inFlight.keys()];
  }

  /**
   * Whether a read at `position` would be a seek (far from where the previous read ended): such a read resets the
   * window. The first read of a file is not a seek (most readers start there and go on).
   */
  isSeek(position: number): boolean {
    const last = this.#lastEnd;
    return last !== undefined && !this.#near(position, last);
  }

  /**
   * Tells read-ahead that the reader asked for [position, position + length). Call it after the read's own
   * block requests were issued, so those go to the source first.
   */
  onRead(position: number, length: number): void {
    if (!(length > 0) || !(position >= 0)) return;
    const blockSize = this.#target.blockSize;
    const last = this.#lastEnd;
    const sequential = last !== undefined && this.#near(position, last);
    if (sequential) {
      this.#window = Math.min(this.#maxBlocks, Math.max(1, this.#window * 2));
    } else {
      this.#window = 0;
    }
    this.#lastEnd = position + length;
    if (this.#window === 0) return;
    // The first block after the one this read ended in.
    const next = Math.floor((this.#lastEnd - 1) / blockSize) + 1;
    const stop = Math.min(next + this.#window, this.#target.blockCount);
    for (let index = next; index < stop && this.#inFlight.size < this.#window; index++) {
      if (this.#inFlight.has(index) || this.#target.isCached(index)) continue;
      this.#start(index);
    }
  }

  // Up to a block of slack either way: the kernel splits a large read into requests that may reach us
  // slightly out of order, and record readers skip small headers; anything farther is a seek.
  #near(position: number, lastEnd: number): boolean {
    const blockSize = this.#target.blockSize;
    return position >= lastEnd - blockSize && position <= lastEnd + blockSize;
  }

  /** Resolves once every read-ahead request in flight has settled (before the source is closed). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.#inFlight.values()]);
  }

  #start(index: number): void {
    const request = this.#target.prefetch(index).then(
      () => undefined,
      (err: unknown) => {
        try {
          this.#onError?.(err, index);
        } catch {
          // A failing observer must not turn a harmless prefetch failure into an unhandled rejection.
        }
      },
    ).then(() => {
      this.#inFlight.delete(index);
    });
    this.#inFlight.set(index, request);
  }
}
