// Time source for the caches' TTLs. Injected so that tests move time by hand and never sleep.

export interface Clock {
  /** Milliseconds on a clock that never goes backwards; only differences are meaningful. */
  nowMs(): number;
}

/**
 * The real clock. Monotonic (performance.now) rather than Date.now, so that a wall-clock step (NTP, a
 * suspended VM) can neither make every entry expire at once nor keep stale entries alive.
 */
export const systemClock: Clock = {
  nowMs: () => performance.now(),
};

/** A clock that moves only when told to; for tests. */
export class ManualClock implements Clock {
  #nowMs: number;

  constructor(startMs = 0) {
    this.#nowMs = startMs;
  }

  nowMs(): number {
    return this.#nowMs;
  }

  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`a clock cannot go backwards (advance by ${ms} ms)`);
    this.#nowMs += ms;
  }
}
