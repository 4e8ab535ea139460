// An append-only byte sequence kept as a list of Buffers with their start offsets, so appends are O(1)
// (no re-concatenation) and a positional read finds its first chunk by binary search.

export class ChunkList {
  private chunks: Buffer[] = [];
  private starts: number[] = [];
  private total = 0;

  get length(): number {
    return this.total;
  }

  /** Appends `chunk` without copying it: the caller must not modify it afterwards. */
  append(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.starts.push(this.total);
    this.total += chunk.length;
  }

  /**
   * Returns up to `length` bytes from `position` (fewer at the end). The result may share memory with
   * the stored chunks when it falls inside one of them; callers treat it as read-only.
   */
  read(position: number, length: number): Buffer {
    const end = Math.min(this.total, position + length);
    if (position < 0 || position >= end) return Buffer.alloc(0);
    let index = this.chunkIndex(position);
    const first = this.chunks[index]!;
    const offset = position - this.starts[index]!;
    if (offset + (end - position) <= first.length) return first.subarray(offset, offset + (end - position));
    const out = Buffer.allocUnsafe(end - position);
    let written = 0;
    let cursor = position;
    while (cursor < end) {
      const chunk = this.chunks[index]!;
      const from = cursor - this.starts[index]!;
      const count = Math.min(chunk.length - from, end - cursor);
      chunk.copy(out, written, from, from + count);
      written += count;
      cursor += count;
      index += 1;
    }
    return out;
  }

  clear(): void {
    this.chunks = [];
    this.starts = [];
    this.total = 0;
  }

  /** Index of the chunk that holds `position` (0 <= position < length). */
  private chunkIndex(position: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if (this.starts[mid]! <= position) low = mid;
      else high = mid - 1;
    }
    return low;
  }
}
