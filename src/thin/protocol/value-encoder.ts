// Encodes the few plain values a client sends as keys (String, int, long, double, bool, byte[], UUID).
// Complex keys are sent back as the exact bytes a scan returned (see cache-get.ts).
import { ByteWriter } from './byte-writer.js';
import { TypeCode } from './type-codes.js';
import { uuidPayload } from './uuid.js';

export type PlainKey =
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'int'; readonly value: number }
  | { readonly type: 'long'; readonly value: bigint }
  | { readonly type: 'double'; readonly value: number }
  | { readonly type: 'bool'; readonly value: boolean }
  | { readonly type: 'bytes'; readonly value: Uint8Array }
  | { readonly type: 'uuid'; readonly value: string };

export function encodePlainValue(key: PlainKey): Buffer {
  const w = new ByteWriter(16);
  switch (key.type) {
    case 'string':
      w.string(key.value);
      break;
    case 'int':
      w.u8(TypeCode.INT).i32(key.value);
      break;
    case 'long':
      w.u8(TypeCode.LONG).i64(key.value);
      break;
    case 'double':
      w.u8(TypeCode.DOUBLE).f64(key.value);
      break;
    case 'bool':
      w.u8(TypeCode.BOOL).bool(key.value);
      break;
    case 'bytes':
      w.u8(TypeCode.BYTE_ARR).i32(key.value.length).bytes(key.value);
      break;
    case 'uuid':
      w.u8(TypeCode.UUID).bytes(uuidPayload(key.value));
      break;
  }
  return Buffer.from(w.toBuffer());
}
