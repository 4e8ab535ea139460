// An open IGFS output stream (OPEN_CREATE / OPEN_APPEND). IGFS streams are append-only: write() sends WRITE_BLOCKs
// without replies, waiting for the socket to drain so a large file is never buffered whole. The server reports a
// failed write asynchronously; it is raised at the next write() or at close(). Length and mtime are committed by
// close() (or by the server when the connection drops), so close() must be awaited and checked.

import { ConnectionClosedError, ProtocolError } from './errors.js';
import type { IgfsConnection } from './connection.js';
import { describe } from './connection.js';
import { encodeClose } from './protocol/requests/close.js';

/** Bytes per WRITE_BLOCK: 1 MiB keeps the frame overhead negligible and each socket write modest. */
export const DEFAULT_WRITE_BLOCK_BYTES = 1024 * 1024;

export class IgfsWriter {
  readonly path: string;
  readonly streamId: number;
  private readonly conn: IgfsConnection;
  private readonly blockBytes: number;
  private tail: Promise<void> = Promise.resolve();
  private closing: Promise<void> | null = null;
  private written = 0;

  constructor(conn: IgfsConnection, path: string, streamId: number, blockBytes = DEFAULT_WRITE_BLOCK_BYTES) {
    this.conn = conn;
    this.path = path;
    this.streamId = streamId;
    this.blockBytes = blockBytes;
    conn.registerOutputStream(streamId);
  }

  /** Bytes handed to the socket so far. */
  get bytesWritten(): number {
    return this.written;
  }

  /**
   * Appends `data`. Calls are ordered even when not awaited. The buffer must not be modified until the returned
   * promise settles (it is written to the socket without a copy).
   */
  write(data: Uint8Array): Promise<void> {
    if (this.closing) return Promise.reject(new ConnectionClosedError(`write ${this.path}: stream is closed`, { requestSent: false }));
    const run = this.tail.then(() => this.send(data));
    // A failed write fails every later one too (the server has stopped accepting this stream).
    this.tail = run;
    return run;
  }

  private async send(data: Uint8Array): Promise<void> {
    for (let off = 0; off < data.length; off += this.blockBytes) {
      const block = data.subarray(off, Math.min(data.length, off + this.blockBytes));
      await this.conn.writeBlock(this.streamId, block);
      this.written += block.length;
    }
  }

  /**
   * Waits for earlier writes, sends CLOSE (which commits the data), and reports the first error: a write error the
   * server sent for this stream, otherwise CLOSE's own. Calling it again returns the same promise.
   */
  close(): Promise<void> {
    this.closing ??= this.doClose();
    return this.closing;
  }

  private async doClose(): Promise<void> {
    let writeFailure: unknown = null;
    try {
      await this.tail;
    } catch (err) {
      writeFailure = err;
    }
    if (this.conn.closed) {
      this.conn.unregisterOutputStream(this.streamId);
      throw writeFailure ?? new ConnectionClosedError(`close ${this.path}: connection lost, data written may be incomplete`, { requestSent: false });
    }
    let closeFailure: unknown = null;
    try {
      const body = await this.conn.request((reqId) => encodeClose(reqId, this.streamId), `CLOSE ${this.path}`);
      if (body.type !== 'boolean') throw new ProtocolError(`CLOSE ${this.path}: expected a boolean, got ${describe(body)}`);
    } catch (err) {
      closeFailure = err;
    }
    // The notice of a failed WRITE_BLOCK is sent before the server even reads our CLOSE, so it has arrived by now.
    const reported = this.conn.unregisterOutputStream(this.streamId);
    const first = reported ?? writeFailure ?? closeFailure;
    if (first !== null) throw first;
  }
}
