// One snapshot-valued thing of the caches view (a cache list, a partition file, a rows index, a schema): built at
// first use, served unchanged until its TTL passes, then rebuilt on the next use. Concurrent first uses share one
// build; a failed build is not kept (the next use tries again).
//
// While a file opened from a snapshot is still open, the snapshot is not replaced (for at most PIN_TTLS times
// the TTL): the POSIX layer re-stats an open file and reopens it when the size grows (meant for IGFS files that
// are appended to), and the kernel may re-read a file's size while it is being read, so a newer, larger snapshot
// would otherwise splice its bytes into a half-read TFRecord file. A replaced snapshot that open files still hold
// stays alive (its spool is not released) until the last of them lets go.

export type Clock = () => number;

/** A snapshot held by open files outlives its TTL by at most this many TTLs, so a reader never pins it forever. */
export const PIN_TTLS = 10;

/** Something a slot holds that owns resources (a spool); disposed once expired and no longer leased. */
export interface Disposable {
  dispose(): Promise<void>;
}

export class Lease<T extends Disposable> {
  private released = false;

  constructor(
    readonly value: T,
    readonly createdMs: number,
    readonly expiresMs: number,
    private readonly entry: SnapshotEntry<T>,
  ) {}

  release(): void {
    if (this.released) return;
    this.released = true;
    this.entry.leases -= 1;
    this.entry.maybeDispose();
  }
}

class SnapshotEntry<T extends Disposable> {
  leases = 0;
  retired = false;
  private disposed = false;

  constructor(readonly value: T, readonly createdMs: number, readonly expiresMs: number) {}

  maybeDispose(): void {
    if (!this.retired || this.leases > 0 || this.disposed) return;
    this.disposed = true;
    void this.value.dispose().catch(() => undefined);
  }
}

export class TtlSlot<T extends Disposable> {
  private current: SnapshotEntry<T> | undefined;
  private building: Promise<SnapshotEntry<T>> | undefined;
  private closed = false;

  constructor(
    private readonly build: () => Promise<T>,
    private readonly ttlMs: number,
    private readonly clock: Clock,
  ) {}

  /** True when a snapshot is held and still served (not expired, or pinned by open files). */
  get fresh(): boolean {
    return this.current !== undefined && this.serves(this.current);
  }

  /** The current snapshot (building one if there is none or it expired), leased: release it when done. */
  async acquire(): Promise<Lease<T>> {
    const entry = await this.entry();
    entry.leases += 1;
    return new Lease(entry.value, entry.createdMs, entry.expiresMs, entry);
  }

  /** Runs `use` on the current snapshot without keeping it past the call. */
  async with<R>(use: (value: T, createdMs: number) => R | Promise<R>): Promise<R> {
    const lease = await this.acquire();
    try {
      return await use(lease.value, lease.createdMs);
    } finally {
      lease.release();
    }
  }

  /** Drops an expired snapshot (its resources go once no lease holds it). Returns true when the slot is empty. */
  sweep(): boolean {
    if (this.current !== undefined && !this.serves(this.current)) this.retire();
    return this.current === undefined && this.building === undefined;
  }

  /** Drops the snapshot whatever its age (shutdown, cache gone). */
  close(): void {
    this.closed = true;
    this.retire();
  }

  private serves(entry: SnapshotEntry<T>): boolean {
    const now = this.clock();
    if (now < entry.expiresMs) return true;
    return entry.leases > 0 && now < entry.createdMs + PIN_TTLS * this.ttlMs;
  }

  private retire(): void {
    const old = this.current;
    this.current = undefined;
    if (old !== undefined) {
      old.retired = true;
      old.maybeDispose();
    }
  }

  private entry(): Promise<SnapshotEntry<T>> {
    if (this.closed) return Promise.reject(new Error('snapshot slot is closed'));
    if (this.current !== undefined && this.serves(this.current)) return Promise.resolve(this.current);
    this.retire();
    this.building ??= this.build().then(
      (value) => {
        this.building = undefined;
        const now = this.clock();
        const entry = new SnapshotEntry(value, now, now + this.ttlMs);
        if (this.closed) {
          entry.retired = true;
          // Leased by the caller that is waiting; disposed when it lets go.
        } else {
          this.current = entry;
        }
        return entry;
      },
      (err: unknown) => {
        this.building = undefined;
        throw err;
      },
    );
    return this.building;
  }
}
