// Seeded random IgniteValues of every type, for property tests. Deterministic per seed so a failure reproduces.

import type { IgniteValue, ReferenceElementType, ScalarValue } from '../../../../src/views/caches/value-model.js';

export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 1;
  }
  /** xorshift32: enough spread for test data. */
  u32(): number {
    let x = this.s;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s;
  }
  int(lo: number, hi: number): number {
    return lo + (this.u32() % (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.u32() % xs.length];
  }
  bool(): boolean {
    return (this.u32() & 1) === 1;
  }
  i64(): bigint {
    const edge = [0n, -1n, 1n, (1n << 63n) - 1n, -(1n << 63n), (1n << 53n) + 1n];
    if (this.int(0, 3) === 0) return this.pick(edge);
    return BigInt.asIntN(64, (BigInt(this.u32()) << 32n) | BigInt(this.u32()));
  }
  double(): number {
    const edge = [0, -0, NaN, Infinity, -Infinity, 5e-324, Number.MAX_VALUE, 0.1, -1.5];
    if (this.int(0, 3) === 0) return this.pick(edge);
    const b = Buffer.alloc(8);
    b.writeUInt32LE(this.u32(), 0);
    b.writeUInt32LE(this.u32(), 4);
    const x = b.readDoubleLE(0);
    return Number.isNaN(x) ? 1.25 : x;
  }
  float(): number {
    return Math.fround(this.double());
  }
  /** Strings with the characters naming must escape: / % ~ . NUL, controls, C1, astral, lone surrogates. */
  string(maxLen = 12): string {
    const alphabet = [
      'a', 'Z', '0', '9', '/', '%', '~', '.', '\u0000', '\n', '\u001f', '\u007f', '\u0085', 'é', '€', '日',
      '\u{1F600}', '\ud800', '\udfff', ' ', '-', '"', '\\', 'i', 'h', '%41',
    ];
    const n = this.int(0, maxLen);
    let s = '';
    for (let i = 0; i < n; i++) s += this.pick(alphabet);
    return s;
  }
  uuid(): string {
    const h = Array.from({ length: 4 }, () => this.u32().toString(16).padStart(8, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  }
  bytes(maxLen = 16): Buffer {
    return Buffer.from(Array.from({ length: this.int(0, maxLen) }, () => this.int(0, 255)));
  }
}

export const SCALAR_TYPES = [
  'byte', 'short', 'int', 'long', 'float', 'double', 'char', 'bool', 'string', 'uuid', 'date', 'timestamp', 'time',
  'decimal', 'enum',
] as const;

export function randomScalar(r: Rng, type: (typeof SCALAR_TYPES)[number]): ScalarValue {
  switch (type) {
    case 'byte':
      return { type, value: r.int(0, 255) - 128 };
    case 'short':
      return { type, value: r.int(0, 65535) - 32768 };
    case 'int':
      return { type, value: r.u32() | 0 };
    case 'long':
      return { type, value: r.i64() };
    case 'float':
      return { type, value: r.float() };
    case 'double':
      return { type, value: r.double() };
    case 'char':
      return { type, value: r.int(0, 65535) };
    case 'bool':
      return { type, value: r.bool() };
    case 'string':
      return { type, value: r.string() };
    case 'uuid':
      return { type, value: r.uuid() };
    case 'date':
      return { type, ms: BigInt(r.int(0, 4_000_000)) * 1_000_000n - 2_000_000_000_000n };
    case 'timestamp':
      return { type, ms: BigInt(r.u32()) * 1000n, nanos: r.int(0, 999_999) };
    case 'time':
      return { type, ms: BigInt(r.int(0, 86_399_999)) };
    case 'decimal':
      return { type, scale: r.int(-3, 10), unscaled: r.i64() };
    case 'enum': {
      const e: ScalarValue = { type, typeId: r.u32() | 0, ordinal: r.int(0, 20) };
      if (r.bool()) e.name = r.string(6);
      if (r.bool()) e.typeName = 'org.example.Color';
      return e;
    }
  }
}

const REF_ELEMENT_TYPES: ReferenceElementType[] = ['string', 'uuid', 'date', 'timestamp', 'time', 'decimal', 'enum'];

/** A random value of any type, nested up to `depth`. */
export function randomValue(r: Rng, depth = 2): IgniteValue {
  const n = r.int(0, 4);
  const kinds = depth > 0 ? 27 : 23;
  switch (r.int(0, kinds - 1)) {
    case 0:
      return { type: 'byteArray', value: r.bytes() };
    case 1:
      return { type: 'shortArray', value: Int16Array.from({ length: n }, () => r.int(0, 65535) - 32768) };
    case 2:
      return { type: 'intArray', value: Int32Array.from({ length: n }, () => r.u32() | 0) };
    case 3:
      return { type: 'longArray', value: BigInt64Array.from({ length: n }, () => r.i64()) };
    case 4:
      return { type: 'floatArray', value: Float32Array.from({ length: n }, () => r.float()) };
    case 5:
      return { type: 'doubleArray', value: Float64Array.from({ length: n }, () => r.double()) };
    case 6:
      return { type: 'charArray', value: Uint16Array.from({ length: n }, () => r.int(0, 65535)) };
    case 7:
      return { type: 'boolArray', value: Array.from({ length: n }, () => r.bool()) };
    case 8: {
      const et = r.pick(REF_ELEMENT_TYPES);
      return {
        type: 'array',
        elementType: et,
        items: Array.from({ length: n }, () => (r.int(0, 5) === 0 ? null : randomScalar(r, et))),
      };
    }
    case 23:
      return { type: 'collection', kind: r.int(-1, 5), items: Array.from({ length: n }, () => randomValue(r, depth - 1)) };
    case 24:
      return { type: 'objectArray', typeId: -1, items: Array.from({ length: n }, () => randomValue(r, depth - 1)) };
    case 25:
      return {
        type: 'map',
        kind: r.int(1, 2),
        entries: Array.from({ length: n }, () => [randomValue(r, depth - 1), randomValue(r, depth - 1)]),
      };
    case 26:
      return {
        type: 'object',
        typeName: 'org.example.Person',
        typeId: r.u32() | 0,
        fields: Array.from({ length: n }, (_, i) => [`f${i}${r.string(3)}`, randomValue(r, depth - 1)]),
      };
    default:
      return r.int(0, 9) === 0 ? null : randomScalar(r, r.pick(SCALAR_TYPES));
  }
}

/** A random non-null key of any type. */
export function randomKey(r: Rng): Exclude<IgniteValue, null> {
  for (;;) {
    const v = randomValue(r);
    if (v !== null) return v;
  }
}
