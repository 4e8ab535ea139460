// OP_GET_BINARY_TYPE (3002): a type's name, fields (name, type, id), enum constants and schemas (ordered field
// ids), which decoding needs for compact footers (offsets only) and for field names.
import { ByteReader } from './byte-reader.js';
import { OpCode } from './op-codes.js';
import { encodeRequest } from './message.js';

export interface BinaryField {
  readonly name: string;
  /** Type id of the field's declared type (a type code for standard types). */
  readonly typeId: number;
  readonly fieldId: number;
}

export interface BinaryType {
  readonly typeId: number;
  readonly typeName: string;
  readonly affinityKeyField: string | null;
  /** Field id -> field. */
  readonly fields: ReadonlyMap<number, BinaryField>;
  readonly isEnum: boolean;
  /** Ordinal -> constant name (enums only). */
  readonly enumValues: ReadonlyMap<number, string>;
  /** Schema id -> field ids in write order. */
  readonly schemas: ReadonlyMap<number, readonly number[]>;
}

/**
 * Synchronous metadata lookup used by the decoder: a type, `null` when the server said it has no such type,
 * `undefined` when it has not been asked yet (the decoder then throws MissingBinaryTypeError).
 */
export interface BinaryTypeLookup {
  get(typeId: number): BinaryType | null | undefined;
}

export function encodeGetBinaryType(requestId: bigint, typeId: number): Buffer {
  return encodeRequest(OpCode.GET_BINARY_TYPE, requestId, (w) => w.i32(typeId));
}

/** The reply body; null when the type does not exist. */
export function decodeGetBinaryType(body: ByteReader): BinaryType | null {
  if (!body.bool()) return null;
  const typeId = body.i32();
  const typeName = body.string();
  const affinityKeyField = body.nullableString();
  const fields = new Map<number, BinaryField>();
  for (let n = body.count(); n > 0; n--) {
    const name = body.string();
    const fieldTypeId = body.i32();
    const fieldId = body.i32();
    fields.set(fieldId, { name, typeId: fieldTypeId, fieldId });
  }
  const isEnum = body.bool();
  const enumValues = new Map<number, string>();
  if (isEnum) {
    for (let n = body.count(); n > 0; n--) {
      const name = body.string();
      enumValues.set(body.i32(), name);
    }
  }
  const schemas = new Map<number, number[]>();
  for (let n = body.count(); n > 0; n--) {
    const id = body.i32();
    const ids: number[] = [];
    for (let k = body.count(); k > 0; k--) ids.push(body.i32());
    schemas.set(id, ids);
  }
  return { typeId, typeName, affinityKeyField, fields, isEnum, enumValues, schemas };
}
