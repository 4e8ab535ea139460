// TFRecord framing: each record is
//   u64 little-endian data length | u32 LE masked CRC-32C of those 8 length bytes | data | u32 LE masked CRC-32C of data
// The view computes a partition file's size before reading it (sizes must be known at getattr), so the framing
// overhead is a constant per record: tfRecordSize(n) = n + 16.

import { crc32c, maskCrc32c, unmaskCrc32c } from './crc32c.js';

export const TFRECORD_HEADER_BYTES = 12;
export const TFRECORD_FOOTER_BYTES = 4;
export const TFRECORD_OVERHEAD_BYTES = TFRECORD_HEADER_BYTES + TFRECORD_FOOTER_BYTES;

/** Bytes one record of `dataLength` payload bytes takes in a TFRecord file. */
export function tfRecordSize(dataLength: number): number {
  return dataLength + TFRECORD_OVERHEAD_BYTES;
}

/** The 12 bytes before a record's data. */
export function tfRecordHeader(dataLength: number): Buffer {
  const h = Buffer.allocUnsafe(TFRECORD_HEADER_BYTES);
  h.writeBigUInt64LE(BigInt(dataLength), 0);
  h.writeUInt32LE(maskCrc32c(crc32c(h.subarray(0, 8))), 8);
  return h;
}

/** The 4 bytes after a record's data. */
export function tfRecordFooter(data: Uint8Array): Buffer {
  const f = Buffer.allocUnsafe(TFRECORD_FOOTER_BYTES);
  f.writeUInt32LE(maskCrc32c(crc32c(data)), 0);
  return f;
}

/** One framed record (header, data, footer) in a single buffer. */
export function encodeTfRecord(data: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(tfRecordSize(data.length));
  tfRecordHeader(data.length).copy(out, 0);
  out.set(data, TFRECORD_HEADER_BYTES);
  out.writeUInt32LE(maskCrc32c(crc32c(data)), TFRECORD_HEADER_BYTES + data.length);
  return out;
}

export class TfRecordFormatError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`${message} at byte ${offset}`);
    this.name = 'TfRecordFormatError';
  }
}

/**
 * Splits a whole TFRecord file into its records, verifying both CRCs of each. For tests, tools and benchmarks that
 * check what the view serves; the view itself only writes.
 */
export function decodeTfRecords(file: Uint8Array): Buffer[] {
  const buf = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  const records: Buffer[] = [];
  let off = 0;
  while (off < buf.length) {
    if (buf.length - off < TFRECORD_HEADER_BYTES) throw new TfRecordFormatError('truncated record header', off);
    const lenBytes = buf.subarray(off, off + 8);
    if (unmaskCrc32c(buf.readUInt32LE(off + 8)) !== crc32c(lenBytes)) {
      throw new TfRecordFormatError('length CRC mismatch', off);
    }
    const len = buf.readBigUInt64LE(off);
    const dataStart = off + TFRECORD_HEADER_BYTES;
    if (len > BigInt(buf.length - dataStart - TFRECORD_FOOTER_BYTES)) {
      throw new TfRecordFormatError('truncated record data', off);
    }
    const data = buf.subarray(dataStart, dataStart + Number(len));
    if (unmaskCrc32c(buf.readUInt32LE(dataStart + data.length)) !== crc32c(data)) {
      throw new TfRecordFormatError('data CRC mismatch', off);
    }
    records.push(data);
    off = dataStart + data.length + TFRECORD_FOOTER_BYTES;
  }
  return records;
}
