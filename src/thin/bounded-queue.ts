// A small async queue between producers (partition scans) and one consumer: producers wait while it is full,
// so a slow consumer bounds how much is buffered.

export const END: unique symbol = Symbol('end');

export class BoundedQueue<T> {
  private readonly items: T[] = [];
  private readonly waitingPushers: Array<() => void> = [];
  private waitingShift: { resolve: (v: T | typeof END) => void; reject: (e: unknown) => void } | undefined;
  private ended = false;
  private failure: { error: unknown } | undefined;
  private closedFlag = false;


  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.items.length;
  }

  /** Resolves once the item is queued and there is room again (immediately after close()). */
  async push(item: T): Promise<void> {
    if (this.closedFlag) return;
    if (this.waitingShift) {
      const w = this.waitingShift;
      this.waitingShift = undefined;
      w.resolve(item);
      return;
    }
    this.items.push(item);
    while (this.items.length >= this.capacity && !this.closedFlag) {
      await new Promise<void>((resolve) => this.waitingPushers.push(resolve));
    }
  }

  shift(): Promise<T | typeof END> {
    if (this.items.length > 0) {
      const item = this.items.shift()!;
      this.waitingPushers.shift()?.();
      return Promise.resolve(item);
    }
    if (this.failure) return Promise.reject(this.failure.error);
    if (this.ended) return Promise.resolve(END);
    return new Promise((resolve, reject) => {
      this.waitingShift = { resolve, reject };
    });
  }

  /** No more items: the consumer gets END after the queued ones. */
  end(): void {
    this.ended = true;
    this.waitingShift?.resolve(END);
    this.waitingShift = undefined;
  }

  /** The consumer gets `error` after the queued items. */
  fail(error: unknown): void {
    this.failure ??= { error };
    if (this.waitingShift) {
      this.waitingShift.reject(error);
      this.waitingShift = undefined;
    }
  }

  /** The consumer is gone: release every waiting producer and drop what is queued. */
  close(): void {
    this.closedFlag = true;
    this.items.length = 0;
    for (const w of this.waitingPushers.splice(0)) w();
  }
}
