// A scanned thin-client row (bytes, decoded lazily) as the value model the encodings consume. Decoding is per
// row and per side, so a value the decoder does not understand costs that row, never the scan.
import type { CacheRow as ThinRow } from '../../thin/reader.js';
import { DecodeError } from '../../thin/protocol/errors.js';
import { fromThinValue, type IgniteValue } from './value-model.js';

/** A key or value that could not be decoded; `typeCode` is the wire type code of what failed. */
export class UndecodableValueError extends Error {
  constructor(
    readonly side: 'key' | 'value',
    readonly typeCode: number,
    options: { cause: unknown },
  ) {
    const why = options.cause instanceof Error ? options.cause.message : String(options.cause);
    super(`cannot decode the ${side} (type code ${typeCode}): ${why}`, options);
    this.name = 'UndecodableValueError';
  }
}

export async function decodeRowKey(row: ThinRow): Promise<IgniteValue> {
  try {
    return fromThinValue(await row.decodeKey(), row.keyTypeCode);
  } catch (err) {
    throw new UndecodableValueError('key', failedTypeCode(err, row.keyTypeCode), { cause: err });
  }
}

export async function decodeRowValue(row: ThinRow): Promise<IgniteValue> {
  try {
    return fromThinValue(await row.decodeValue(), row.valueTypeCode);
  } catch (err) {
    throw new UndecodableValueError('value', failedTypeCode(err, row.valueTypeCode), { cause: err });
  }
}

/** The type code the decoder was reading when it failed (an element deep inside), else the row's own. */
function failedTypeCode(err: unknown, outer: number): number {
  return err instanceof DecodeError && err.typeCode !== undefined ? err.typeCode : outer;
}
