// JavaScript shapes of Ignite values that have no exact JavaScript type. Plain mappings (documented in
// binary-decoder.ts): byte/short/int/float/double -> number, long -> bigint, bool -> boolean,
// char -> one-character string, String -> string, UUID -> canonical string, Date -> Date,
// byte[] -> Buffer (a slice of the message), other primitive arrays -> typed arrays,
// object arrays and collections -> arrays, maps -> Map.

/** A complex object (103): its type, its named fields in schema order, and its raw (unnamed) bytes. */
export class BinaryObject {
  constructor(
    readonly typeId: number,
    /** From binary type metadata; undefined if the server has none. */
    readonly typeName: string | undefined,
    readonly schemaId: number,
    readonly hashCode: number,
    /** Field name -> value, in the order the fields are written. */
    readonly fields: Map<string, unknown>,
    /** Field name -> wire type code of the value (NULL is 101), for schema inference. */
    readonly fieldTypes: Map<string, number>,
    /** Raw-mode data (HAS_RAW_DATA), a slice of the message; undefined when there is none. */
    readonly raw: Buffer | undefined,
  ) {}
}

/** Enum (28) and binary enum (38). */
export class IgniteEnum {
  constructor(
    readonly typeId: number,
    readonly ordinal: number,
    /** The constant's name from the enum's binary type, when the server knows it. */
    readonly name: string | undefined,
    /** Class name when the value was written with an unregistered type id (0). */
    readonly className?: string,
  ) {}
}

/** Decimal (30): unscaled * 10^-scale, exact. */
export class IgniteDecimal {
  constructor(
    readonly unscaled: bigint,
    readonly scale: number,
  ) {}

  /** Plain decimal notation, exact (no exponent, no float rounding). */
  toString(): string {
    const neg = this.unscaled < 0n;
    let digits = (neg ? -this.unscaled : this.unscaled).toString();
    let s: string;
    if (this.scale <= 0) {
      s = digits === '0' ? '0' : digits + '0'.repeat(-this.scale);
    } else {
      if (digits.length <= this.scale) digits = '0'.repeat(this.scale - digits.length + 1) + digits;
      s = `${digits.slice(0, digits.length - this.scale)}.${digits.slice(digits.length - this.scale)}`;
    }
    return neg ? `-${s}` : s;
  }

  toJSON(): string {
    return this.toString();
  }
}

/** Timestamp (33): milliseconds since the epoch plus the nanoseconds within that millisecond (0..999999). */
export class IgniteTimestamp {
  constructor(
    readonly epochMs: number,
    readonly nanos: number,
  ) {}

  toDate(): Date {
    return new Date(this.epochMs);
  }

  /** ISO-8601 UTC with nine fractional digits. */
  toISOString(): string {
    const iso = new Date(this.epochMs).toISOString(); // ...ss.mmmZ
    const ms = ((this.epochMs % 1000) + 1000) % 1000;
    const frac = String(ms * 1_000_000 + this.nanos).padStart(9, '0');
    return `${iso.slice(0, iso.length - 5)}.${frac}Z`;
  }

  toJSON(): string {
    return this.toISOString();
  }
}

/** Time (36): milliseconds since midnight. */
export class IgniteTime {
  constructor(readonly msOfDay: number) {}

  toString(): string {
    const ms = ((this.msOfDay % 86_400_000) + 86_400_000) % 86_400_000;
    return new Date(ms).toISOString().slice(11, 23);
  }

  toJSON(): string {
    return this.toString();
  }
}

/** Class (32): a reference to a Java class. */
export class IgniteClassRef {
  constructor(
    readonly typeId: number,
    readonly className: string | undefined,
  ) {}
}
