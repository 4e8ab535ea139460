// Turns arbitrary TCP chunks (split anywhere, several replies coalesced) into complete replies.
//
// The reply length is not sent, but every reply announces its shape through resType, so no request bookkeeping is
// needed: the 33-byte header says either "len raw bytes follow" (resType 8), "nothing follows" (a message-less error),
// or "a typed body follows", which a resumable decoder (byte-cursor.ts) reads as bytes arrive.
//
// Cost: each byte is looked at once. READ_BLOCK payloads are handed out as subarrays of the socket chunk when one
// chunk holds them, otherwise copied once into a buffer of exactly `len` bytes as chunks arrive (no re-concatenation).
// A typed body stalled on a short read keeps a list of later chunks and joins them only when enough bytes are there.

import { ProtocolError } from '../errors.js';
import { ByteCursor, readI64At, type Step } from './byte-cursor.js';
import { Command, RESPONSE_HEADER_BYTES } from './command.js';
import { responseBody, type ResponseHeader } from './response-body.js';
import { ResType, type IgfsResponse, type ResponseBody } from './response-types.js';

/**
 * How many payload bytes a READ_BLOCK reply to `reqId` may carry (what was asked for), or null when no READ_BLOCK
 * with that id is outstanding. Checked before a payload buffer is allocated, so a corrupted length cannot make the
 * client allocate gigabytes.
 */
export type PayloadLimit = (reqId: number) => number | null;

export class ResponseFramer {
  private readonly cursor = new ByteCursor();
  private readonly payloadLimit: PayloadLimit | null;
  /** Chunks received while the current step waits for `need` contiguous bytes. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private need = RESPONSE_HEADER_BYTES;
  private header: ResponseHeader | null = null;
  private body: Step<ResponseBody> | null = null;
  private payload: Buffer | null = null;
  private payloadFilled = 0;
  private failed: ProtocolError | null = null;

  /** Without `payloadLimit` any length up to 2^31-1 is accepted (tests, tools). */
  constructor(payloadLimit: PayloadLimit | null = null) {
    this.payloadLimit = payloadLimit;
  }

  /**
   * Feeds one chunk; calls `emit` for every reply it completes, in arrival order. Throws ProtocolError on bytes that
   * cannot be a reply; the framer is then unusable (the stream is desynchronized).
   */
  push(chunk: Buffer, emit: (response: IgfsResponse) => void): void {
    if (this.failed) throw this.failed;
    if (chunk.length === 0) return;
    try {
      this.accept(chunk, emit);
    } catch (err) {
      this.failed = err instanceof ProtocolError ? err : new ProtocolError(`cannot decode reply: ${String(err)}`, { cause: err });
      throw this.failed;
    }
  }

  /** True when bytes of an incomplete reply are buffered (a connection ending now truncated a reply). */
  get midFrame(): boolean {
    return this.header !== null || this.cursor.remaining > 0 || this.pendingBytes > 0;
  }

  private accept(first: Buffer, emit: (response: IgfsResponse) => void): void {
    const c = this.cursor;
    let chunk: Buffer | null = first;
    while (chunk !== null && chunk.length > 0) {
      let rest: Buffer | null = null;
      if (this.payload !== null) {
        const n = Math.min(chunk.length, this.payload.length - this.payloadFilled);
        chunk.copy(this.payload, this.payloadFilled, 0, n);
        this.payloadFilled += n;
        if (this.payloadFilled < this.payload.length) return;
        this.finish({ type: 'bytes', value: this.payload }, emit);
        this.payload = null;
        c.buf = chunk.subarray(n);
        c.pos = 0;
      } else if (c.remaining === 0 && this.pendingBytes === 0 && chunk.length >= this.need) {
        c.buf = chunk;
        c.pos = 0;
      } else {
        this.pending.push(chunk);
        this.pendingBytes += chunk.length;
        if (c.remaining + this.pendingBytes < this.need) return;
        // Join exactly the bytes the stalled step needs (a header, a number, one string); the rest of the newest
        // chunk is then taken as it is, so large chunks are not copied just because a reply straddled them.
        const last = this.pending[this.pending.length - 1];
        const surplus = c.remaining + this.pendingBytes - this.need;
        const used = last.length - surplus;
        const parts = [c.buf.subarray(c.pos), ...this.pending.slice(0, -1), last.subarray(0, used)];
        c.buf = Buffer.concat(parts, this.need);
        c.pos = 0;
        this.pending = [];
        this.pendingBytes = 0;
        rest = last.subarray(used);
      }
      this.drain(emit);
      chunk = rest;
    }
  }

  /** Decodes as many replies as the cursor holds; leaves `need` set to what the next step waits for. */
  private drain(emit: (response: IgfsResponse) => void): void {
    const c = this.cursor;
    for (;;) {
      if (this.header === null) {
        if (c.remaining < RESPONSE_HEADER_BYTES) {
          this.need = RESPONSE_HEADER_BYTES;
          return;
        }
        const h = readHeader(c.buf, c.pos);
        c.pos += RESPONSE_HEADER_BYTES;
        this.header = h;
        if (!h.hasErr && h.resType === ResType.BYTE_ARRAY) {
          if (h.len < 0) throw new ProtocolError(`negative READ_BLOCK payload length ${h.len} (request ${h.reqId})`);
          if (this.payloadLimit !== null) {
            const limit = this.payloadLimit(h.reqId);
            if (limit === null) throw new ProtocolError(`READ_BLOCK data for request ${h.reqId}, which is not an outstanding read`);
            if (h.len > limit) throw new ProtocolError(`READ_BLOCK reply of ${h.len} bytes to request ${h.reqId}, which asked for ${limit}`);
          }
          if (c.remaining >= h.len) {
            // Zero-copy: the whole payload is inside the current chunk.
            const bytes = c.buf.subarray(c.pos, c.pos + h.len);
            c.pos += h.len;
            this.finish({ type: 'bytes', value: bytes }, emit);
            continue;
          }
          this.payload = Buffer.allocUnsafe(h.len);
          this.payloadFilled = c.buf.copy(this.payload, 0, c.pos);
          c.buf = EMPTY;
          c.pos = 0;
          this.need = RESPONSE_HEADER_BYTES;
          return;
        }
        this.body = responseBody(c, h);
      }
      const step = (this.body as Step<ResponseBody>).next();
      if (!step.done) {
        this.need = step.value;
        return;
      }
      this.body = null;
      this.finish(step.value, emit);
    }
  }

  private finish(body: ResponseBody, emit: (response: IgfsResponse) => void): void {
    const reqId = (this.header as ResponseHeader).reqId;
    this.header = null;
    this.need = RESPONSE_HEADER_BYTES;
    emit({ reqId, body });
  }
}

const EMPTY = Buffer.alloc(0);

function readHeader(buf: Buffer, p: number): ResponseHeader {
  const reqId = readI64At(buf, p);
  const cmd = buf.readInt32BE(p + 8);
  // The server always answers with CONTROL_RESPONSE; anything else means we lost frame sync (or a corrupted reply).
  if (cmd !== Command.CONTROL_RESPONSE) {
    throw new ProtocolError(`reply header has command ${cmd}, expected ${Command.CONTROL_RESPONSE} (stream out of sync)`);
  }
  const resType = buf.readInt32BE(p + 24);
  const hasErrByte = buf[p + 28];
  if (hasErrByte > 1) throw new ProtocolError(`reply hasErr byte is ${hasErrByte}`);
  const len = buf.readInt32BE(p + 29);
  if (resType < ResType.ERROR || resType > ResType.MODE_RESOLVER) {
    throw new ProtocolError(`unknown resType ${resType} in reply to request ${reqId}`);
  }
  return { reqId, resType, hasErr: hasErrByte === 1, len };
}
