// The standard request header (length, op code, request id) and reply header (request id, then flags from
// 1.4.0, status and error message).
import { ByteReader } from './byte-reader.js';
import { ByteWriter } from './byte-writer.js';
import { ClientStatus } from './errors.js';
import { hasPartitionAwareness, type ProtocolVersion } from './version.js';

/** Request header bytes after the length: op code (2) and request id (8). */
const REQUEST_HEADER_BYTES = 10;

/** A whole request message: `body` writes the op-specific part. */
export function encodeRequest(opCode: number, requestId: bigint, body?: (w: ByteWriter) => void): Buffer {
  const w = new ByteWriter(32);
  w.i32(0).i16(opCode).i64(requestId);
  body?.(w);
  w.patchI32(0, w.length - 4);
  return w.toBuffer();
}

export const REQUEST_BODY_OFFSET = 4 + REQUEST_HEADER_BYTES;

/** Reply header flags (1.4.0+). */
const FLAG_ERROR = 0x1;
const FLAG_AFFINITY_TOPOLOGY_CHANGED = 0x2;

export interface ReplyHeader {
  readonly requestId: bigint;
  readonly status: number;
  /** The server's message when status is not SUCCESS. */
  readonly errorMessage: string | undefined;
  /** New affinity topology version, when the server says it changed (1.4.0+). */
  readonly topologyVersion: { readonly major: bigint; readonly minor: number } | undefined;
  /** Where the op-specific body starts in the message. */
  readonly bodyOffset: number;
}

/** Only the request id, to route a reply before decoding the rest. */
export function replyRequestId(message: Buffer): bigint {
  return message.readBigInt64LE(0);
}

export function decodeReplyHeader(message: Buffer, v: ProtocolVersion): ReplyHeader {
  const r = new ByteReader(message);
  const requestId = r.i64();
  let topologyVersion: ReplyHeader['topologyVersion'];
  let status: number = ClientStatus.SUCCESS;
  if (hasPartitionAwareness(v)) {
    const flags = r.i16();
    if (flags & FLAG_AFFINITY_TOPOLOGY_CHANGED) topologyVersion = { major: r.i64(), minor: r.i32() };
    if (flags & FLAG_ERROR) status = r.i32();
  } else {
    status = r.i32();
  }
  let errorMessage: string | undefined;
  if (status !== ClientStatus.SUCCESS) errorMessage = r.nullableString() ?? '';
  return { requestId, status, errorMessage, topologyVersion, bodyOffset: r.pos };
}
