// OP_QUERY_SCAN (2000) opens a scan cursor over a cache (or one partition of it) and returns its first page;
// OP_QUERY_SCAN_CURSOR_GET_PAGE (2001) returns the next pages. A page is a row count, that many key and value
// data objects, and a "more pages" flag. The server closes the cursor itself after the last page; a client that
// stops earlier must send OP_RESOURCE_CLOSE.
import type { ByteReader } from './byte-reader.js';
import { valueEnd } from './binary-decoder.js';
import { DecodeError } from './errors.js';
import { encodeRequest } from './message.js';
import { OpCode } from './op-codes.js';
import { TypeCode } from './type-codes.js';

export interface ScanQuery {
  readonly cacheId: number;
  readonly pageSize: number;
  /** A partition number, or -1 for every partition. */
  readonly partition: number;
  /** Only entries stored on the node that runs the query. */
  readonly local?: boolean;
}

export function encodeQueryScan(requestId: bigint, q: ScanQuery): Buffer {
  return encodeRequest(OpCode.QUERY_SCAN, requestId, (w) =>
    w
      .i32(q.cacheId)
      .u8(0) // flags: none
      .u8(TypeCode.NULL) // no remote filter
      .i32(q.pageSize)
      .i32(q.partition)
      .bool(q.local ?? false),
  );
}

export function encodeQueryScanGetPage(requestId: bigint, cursorId: bigint): Buffer {
  return encodeRequest(OpCode.QUERY_SCAN_CURSOR_GET_PAGE, requestId, (w) => w.i64(cursorId));
}

/** One row of a page: key and value data objects as slices of the message (type code first). */
export interface RawEntry {
  readonly key: Buffer;
  readonly value: Buffer;
}

/** Rows that could not be told apart (unknown type code at a row's top level, or truncation). */
export interface UndelimitedRows {
  readonly error: DecodeError;
  /** The number of rows of the page lost from here on (this one included). */
  readonly lostRows: number;
}

export interface ScanPage {
  readonly entries: Array<RawEntry | UndelimitedRows>;
  readonly hasMore: boolean;
  /** Rows the server said the page holds. */
  readonly rowCount: number;
}

export function decodeQueryScanCursorId(body: ByteReader): bigint {
  return body.i64();
}

/**
 * Splits a page into rows without decoding the values. The "more" flag is the message's last byte, so it is
 * known even when a row's extent is not: then the rest of this page is reported once and the scan goes on.
 */
export function decodeScanPage(body: ByteReader): ScanPage {
  const rowCount = body.count();
  const last = body.end - 1;
  if (last < body.pos) throw new DecodeError('scan page has no "more" flag', undefined, body.pos);
  const hasMore = body.buf[last] !== 0;
  const entries: ScanPage['entries'] = [];
  let pos = body.pos;
  for (let i = 0; i < rowCount; i++) {
    try {
      const keyEnd = valueEnd(body.buf, pos, last);
      const valEnd = valueEnd(body.buf, keyEnd, last);
      entries.push({ key: body.buf.subarray(pos, keyEnd), value: body.buf.subarray(keyEnd, valEnd) });
      pos = valEnd;
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
      entries.push({ error: err, lostRows: rowCount - i });
      pos = last;
      break;
    }
  }
  if (pos !== last) {
    entries.push({
      error: new DecodeError(`scan page has ${last - pos} bytes after its ${rowCount} rows`, undefined, pos),
      lostRows: 0,
    });
  }
  body.pos = body.end;
  return { entries, hasMore, rowCount };
}
