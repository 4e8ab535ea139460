// Writing downloaded bytes to a local file or stdout with backpressure: each chunk waits for 'drain' when the
// destination's buffer is full, so a slow disk or pipe throttles the IGFS reads instead of filling memory.
import { once } from 'node:events';
import type { Writable } from 'node:stream';

export class StreamSink {
  private failure: Error | null = null;

  constructor(private readonly dest: Writable) {
    // An 'error' without a listener would crash the process; keep it and raise it at the next write or end.
    dest.on('error', (err: Error) => {
      this.failure ??= err;
    });
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (this.failure !== null) throw this.failure;
    if (this.dest.write(chunk)) return;
    await this.settled('drain');
  }

  /** Ends a file stream and waits until its descriptor is closed (data handed to the kernel). */
  async end(): Promise<void> {
    if (this.failure !== null) throw this.failure;
    this.dest.end();
    await this.settled('close');
  }

  private async settled(event: 'drain' | 'close'): Promise<void> {
    const ac = new AbortController();
    try {
      await Promise.race([
        once(this.dest, event, { signal: ac.signal }),
        once(this.dest, 'error', { signal: ac.signal }),
      ]);
    } finally {
      ac.abort();
    }
    if (this.failure !== null) throw this.failure;
  }
}
