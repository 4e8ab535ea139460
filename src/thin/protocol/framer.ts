// Splits a TCP byte stream into thin-client messages: each is an i32 little-endian length (not counting
// itself) and that many bytes. Survives split and coalesced chunks; a message inside one chunk is returned as a
// slice of that chunk (no copy), one that spans chunks is assembled once.
import { ProtocolError } from './errors.js';

/** Reply bodies larger than this are refused as corruption (2 GiB is also Java's array limit). */
export const MAX_MESSAGE_BYTES = 0x7fffffff;

export class MessageFramer {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private readonly maxMessageBytes: number;

  constructor(maxMessageBytes = MAX_MESSAGE_BYTES) {
    this.maxMessageBytes = maxMessageBytes;
  }

  /** Bytes held that do not yet make a whole message. */
  get pendingBytes(): number {
    return this.buffered;
  }

  /** Feeds one chunk; returns every message it completes (bodies without the length prefix). */
  push(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    if (this.buffered === 0) {
      // Fast path: whole messages inside this chunk are sliced out directly.
      let pos = 0;
      while (chunk.length - pos >= 4) {
        const len = this.checkedLength(chunk.readInt32LE(pos));
        if (chunk.length - pos - 4 < len) break;
        out.push(chunk.subarray(pos + 4, pos + 4 + len));
        pos += 4 + len;
      }
      if (pos < chunk.length) this.keep(chunk.subarray(pos));
      return out;
    }
    this.keep(chunk);
    for (;;) {
      if (this.buffered < 4) return out;
      const head = this.peek(4);
      const len = this.checkedLength(head.readInt32LE(0));
      if (this.buffered < 4 + len) return out;
      const all = this.take(4 + len);
      out.push(all.subarray(4));
    }
  }

  private checkedLength(len: number): number {
    if (len < 0 || len > this.maxMessageBytes) {
      throw new ProtocolError(`invalid message length ${len} (stream out of sync, or not an Ignite thin-client port)`);
    }
    return len;
  }

  private keep(b: Buffer): void {
    this.chunks.push(b);
    this.buffered += b.length;
  }

  private peek(n: number): Buffer {
    if (this.chunks[0]!.length >= n) return this.chunks[0]!;
    this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0]!;
  }

  private take(n: number): Buffer {
    const first = this.chunks[0]!;
    let out: Buffer;
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
    } else {
      out = Buffer.allocUnsafe(n);
      let filled = 0;
      // Consumed chunks are dropped once at the end: shift() per chunk is O(chunks) each, quadratic when a large
      // message arrives in many small pieces.
      let used = 0;
      while (filled < n) {
        const c = this.chunks[used]!;
        const use = Math.min(c.length, n - filled);
        c.copy(out, filled, 0, use);
        filled += use;
        if (use === c.length) used += 1;
        else this.chunks[used] = c.subarray(use);
      }
      this.chunks = used === this.chunks.length ? [] : this.chunks.slice(used);
    }
    this.buffered -= n;
    return out;
  }
}
