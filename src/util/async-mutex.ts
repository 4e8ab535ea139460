// A FIFO async mutex: `run` executes critical sections one at a time, in call order.
// Used where the store needs ordering that the single JS thread does not give by itself
// (e.g. IGFS refuses a second writer until the first CLOSE has completed).

export class AsyncMutex {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  /** Number of sections queued or running. */
  get size(): number {
    return this.pending;
  }

  run<T>(section: () => Promise<T> | T): Promise<T> {
    this.pending += 1;
    const result = this.tail.then(section);
    // The chain must survive a failed section; callers see the failure through `result`.
    this.tail = result.then(
      () => this.release(),
      () => this.release(),
    );
    return result;
  }

  /** Resolves once every section queued so far has finished. */
  async idle(): Promise<void> {
    while (this.pending > 0) await this.tail;
  }

  private release(): void {
    this.pending -= 1;
  }
}
