// The backend read stream behind one file handle. IGFS fixes a stream's readable length at open, so a
// handle that must see a file grow (read-your-writes, TensorBoard following an event file) replaces its
// stream with a fresh one. Reads already in flight on the old stream finish before it is closed.
import type { ReadHandle } from './backend.js';

interface Lease {
  handle: ReadHandle;
  inflight: number;
  retired: boolean;
}

export class ReaderSlot {
  private current: Lease | undefined;
  private opening: Promise<Lease> | undefined;
  /** The OpenFile content generation the current stream was opened at (see OpenFile.generation). */
  private openedGeneration = -1;

  /** Readable length of the current stream, undefined when none is open. */
  get size(): number | undefined {
    return this.current?.handle.size;
  }

  get generation(): number {
    return this.openedGeneration;
  }

  /** Opens a stream (replacing the current one); concurrent callers share one open. */
  async reopen(open: () => Promise<ReadHandle>, generation: number): Promise<void> {
    if (this.opening === undefined) {
      this.opening = open().then(
        (handle) => {
          const lease = { handle, inflight: 0, retired: false };
          this.openedGeneration = generation;
          const old = this.current;
          this.current = lease;
          this.opening = undefined;
          if (old !== undefined) this.retire(old);
          return lease;
        },
        (err: unknown) => {
          this.opening = undefined;
          throw err;
        },
      );
    }
    await this.opening;
  }

  /**
   * Reads up to `length` bytes at `position` from the current stream, looping over short replies;
   * fewer bytes only at the stream's end. Undefined when no stream is open.
   */
  async read(position: number, length: number): Promise<Buffer | undefined> {
    const lease = this.current;
    if (lease === undefined) return undefined;
    const want = Math.max(0, Math.min(length, lease.handle.size - position));
    if (want === 0) return Buffer.alloc(0);
    lease.inflight += 1;
    try {
      const parts: Buffer[] = [];
      let done = 0;
      while (done < want) {
        const part = await lease.handle.readAt(position + done, want - done);
        if (part.length === 0) break;
        parts.push(part);
        done += part.length;
      }
      return parts.length === 1 ? parts[0]! : Buffer.concat(parts, done);
    } finally {
      lease.inflight -= 1;
      if (lease.retired && lease.inflight === 0) void lease.handle.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    const lease = this.current;
    this.current = undefined;
    if (lease !== undefined) {
      lease.retired = true;
      if (lease.inflight === 0) await lease.handle.close().catch(() => undefined);
    }
  }

  private retire(lease: Lease): void {
    lease.retired = true;
    if (lease.inflight === 0) void lease.handle.close().catch(() => undefined);
  }
}
