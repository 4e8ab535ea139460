// Cache key <-> file name under DIR/<cache>/rows/. Reversible (parseKeyName(encodeKeyName(k)) gives k back)
// except for names too long for a directory entry, which are shortened with a hash and resolved by the view's own
// lookup table. The full specification, with examples, is in docs/CACHES-VIEW.md ("Row file names").
//
// - Bare names when every key of a cache has one type that reads naturally as text: integers as decimal (`42`,
//   `-7`), strings as their (escaped) text, UUIDs in canonical form. The naming (which type) belongs to the cache,
//   so the name does not need to say it.
// - Typed names otherwise: `<tag>~<payload>` (`i~12`, `l~12`, `s~abc`, `u~<uuid>`, `b~<hex>`, `j~<tagged JSON>`),
//   so an int 5 and a long 5, both legal keys of one cache, get different names.
// - Escaping (percent, upper-case hex of the UTF-8 bytes): `%`, `/`, `~`, C0 and C1 control characters and DEL
//   anywhere, `.` at the start of a name; a lone UTF-16 surrogate (no UTF-8 form) as %uXXXX. So `~` is syntax only
//   (tag separator and hash marker), a name never holds `/` or NUL, and `.`, `..` and hidden names cannot occur.
// - The empty string key in bare string naming is the name `~`.
// - Names over 255 UTF-8 bytes: the first 221 bytes (cut between escapes and characters) + `~h` + 32 hex digits of
//   the SHA-256 of the full name. Distinct keys keep distinct names (up to a 2^-128 collision chance), but the key
//   cannot be decoded from such a name: parseKeyName says `shortened`.
// Decoding is strict: a name is accepted only if it is exactly what encodeKeyName would produce for the key it
// decodes to, so one key has one name (a hand-typed `%2f` or `007` is not a second name for a row).

import { createHash } from 'node:crypto';
import type { IgniteValue, ReferenceElementType, ScalarValue } from './value-model.js';

/** Key types that have a bare naming. */
export type BareKeyType = 'byte' | 'short' | 'int' | 'long' | 'string' | 'uuid';

export type KeyNaming = { kind: 'bare'; type: BareKeyType } | { kind: 'typed' };

export type KeyNameParse =
  | { kind: 'key'; key: Exclude<IgniteValue, null> }
  /** A hashed (shortened) name: only the view's lookup table knows its key. */
  | { kind: 'shortened' }
  /** Not a name encodeKeyName produces under this naming. */
  | { kind: 'invalid' };

export const MAX_NAME_BYTES = 255;
const HASH_HEX_DIGITS = 32;
const HASH_MARKER = '~h';
/** Bytes of the original name kept in front of the hash: 255 - 2 (`~h`) - 32 (hex). */
const SHORTENED_KEEP_BYTES = MAX_NAME_BYTES - HASH_MARKER.length - HASH_HEX_DIGITS;

const BARE_TYPES: ReadonlySet<string> = new Set<BareKeyType>(['byte', 'short', 'int', 'long', 'string', 'uuid']);

/** The naming for a cache whose keys have exactly the types in `keyTypes` (e.g. a Set of value `type` tags). */
export function chooseKeyNaming(keyTypes: Iterable<string>): KeyNaming {
  const types = new Set(keyTypes);
  if (types.size === 1) {
    const [t] = types;
    if (BARE_TYPES.has(t)) return { kind: 'bare', type: t as BareKeyType };
  }
  return { kind: 'typed' };
}

// ---------------------------------------------------------------------------------------------------------------
// Encoding

/** The file name of `key` under `naming`. Throws for a null key (Ignite has none) or a key the naming cannot hold. */
export function encodeKeyName(key: IgniteValue, naming: KeyNaming): string {
  return shorten(fullName(key, naming));
}

function fullName(key: IgniteValue, naming: KeyNaming): string {
  if (key === null) throw new TypeError('a cache key cannot be null');
  if (naming.kind === 'bare') {
    if (key.type !== naming.type) {
      throw new TypeError(`key of type ${key.type} in a cache named by bare ${naming.type} keys`);
    }
    const text = barePayload(key as ScalarValue);
    return text === '' ? '~' : escapeText(text, true);
  }
  const [tag, text] = typedPayload(key);
  return `${tag}~${escapeText(text, false)}`;
}

function barePayload(key: ScalarValue): string {
  switch (key.type) {
    case 'byte':
    case 'short':
    case 'int':
      return String(key.value);
    case 'long':
      return key.value.toString();
    case 'string':
    case 'uuid':
      return key.value;
    default:
      throw new TypeError(`no bare naming for ${key.type}`);
  }
}

function typedPayload(key: Exclude<IgniteValue, null>): [string, string] {
  switch (key.type) {
    case 'byte':
      return ['i8', String(key.value)];
    case 'short':
      return ['i16', String(key.value)];
    case 'int':
      return ['i', String(key.value)];
    case 'long':
      return ['l', key.value.toString()];
    case 'float':
      return ['f', floatText(key.value)];
    case 'double':
      return ['d', floatText(key.value)];
    case 'char':
      return ['c', String.fromCharCode(key.value)];
    case 'bool':
      return ['z', key.value ? 'true' : 'false'];
    case 'string':
      return ['s', key.value];
    case 'uuid':
      return ['u', key.value];
    case 'byteArray':
      return ['b', key.value.toString('hex')];
    default:
      return ['j', JSON.stringify(toTagged(key))];
  }
}

/** Shortest text that reads back to the same double (and so to the same float32); keeps the sign of zero. */
function floatText(x: number): string {
  return Object.is(x, -0) ? '-0' : String(x);
}

function isLoneSurrogateAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff) {
    const d = s.charCodeAt(i + 1);
    return !(d >= 0xdc00 && d <= 0xdfff);
  }
  if (c >= 0xdc00 && c <= 0xdfff) {
    const p = s.charCodeAt(i - 1);
    return !(i > 0 && p >= 0xd800 && p <= 0xdbff);
  }
  return false;
}

function hex2(b: number): string {
  return '%' + b.toString(16).toUpperCase().padStart(2, '0');
}

/** Percent-escapes what a directory entry cannot hold or what would read as syntax (see the header comment). */
export function escapeText(s: string, startsName: boolean): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25 || c === 0x2f || c === 0x7e || c < 0x20 || c === 0x7f || (i === 0 && startsName && c === 0x2e)) {
      out += hex2(c);
    } else if (c >= 0x80 && c <= 0x9f) {
      // C1 controls: two UTF-8 bytes
      out += hex2(0xc0 | (c >> 6)) + hex2(0x80 | (c & 0x3f));
    } else if (c >= 0xd800 && c <= 0xdfff && isLoneSurrogateAt(s, i)) {
      out += '%u' + c.toString(16).toUpperCase();
    } else {
      out += s[i];
    }
  }
  return out;
}

/** Inverse of escapeText; throws on malformed escapes (strictness is rechecked by re-encoding). */
function unescapeText(s: string): string {
  if (!s.includes('%')) return s;
  let out = '';
  let bytes: number[] = [];
  const flush = (): void => {
    if (bytes.length > 0) {
      out += new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
      bytes = [];
    }
  };
  for (let i = 0; i < s.length; ) {
    if (s[i] === '%' && s[i + 1] === 'u' && /^[0-9A-F]{4}$/.test(s.slice(i + 2, i + 6))) {
      flush();
      out += String.fromCharCode(parseInt(s.slice(i + 2, i + 6), 16));
      i += 6;
    } else if (s[i] === '%') {
      const h = s.slice(i + 1, i + 3);
      if (!/^[0-9A-F]{2}$/.test(h)) throw new SyntaxError('bad escape');
      bytes.push(parseInt(h, 16));
      i += 3;
    } else {
      flush();
      out += s[i];
      i++;
    }
  }
  flush();
  return out;
}

function shorten(name: string): string {
  if (Buffer.byteLength(name, 'utf8') <= MAX_NAME_BYTES) return name;
  let keep = 0; // code units of `name` kept
  let bytes = 0;
  while (keep < name.length) {
    let units: number;
    if (name[keep] === '%') units = name[keep + 1] === 'u' ? 6 : 3;
    else units = name.codePointAt(keep)! > 0xffff ? 2 : 1;
    const b = Buffer.byteLength(name.slice(keep, keep + units), 'utf8');
    if (bytes + b > SHORTENED_KEEP_BYTES) break;
    bytes += b;
    keep += units;
  }
  const digest = createHash('sha256').update(name, 'utf8').digest('hex').slice(0, HASH_HEX_DIGITS);
  return name.slice(0, keep) + HASH_MARKER + digest;
}

// ---------------------------------------------------------------------------------------------------------------
// Decoding

const SHORTENED_SUFFIX = new RegExp(`~h[0-9a-f]{${HASH_HEX_DIGITS}}$`);
const UUID_CANONICAL = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The key a file name stands for under `naming` (see KeyNameParse). */
export function parseKeyName(name: string, naming: KeyNaming): KeyNameParse {
  const tildes = name.split('~').length - 1;
  const syntaxTildes = naming.kind === 'typed' ? 1 : name === '~' ? 1 : 0;
  if (tildes > syntaxTildes) {
    return tildes === syntaxTildes + 1 && SHORTENED_SUFFIX.test(name) && Buffer.byteLength(name) <= MAX_NAME_BYTES
      ? { kind: 'shortened' }
      : { kind: 'invalid' };
  }
  let key: Exclude<IgniteValue, null>;
  try {
    key = naming.kind === 'bare' ? parseBare(name, naming.type) : parseTyped(name);
    // Strict: only the canonical name of a key is a name of it.
    if (fullName(key, naming) !== name) return { kind: 'invalid' };
  } catch {
    return { kind: 'invalid' };
  }
  return { kind: 'key', key };
}

function parseBare(name: string, type: BareKeyType): Exclude<IgniteValue, null> {
  const text = name === '~' ? '' : unescapeText(name);
  switch (type) {
    case 'string':
      return { type, value: text };
    case 'uuid':
      if (!UUID_CANONICAL.test(text)) throw new SyntaxError('not a UUID');
      return { type, value: text };
    case 'long':
      return { type, value: parseInteger(text, 64) as bigint };
    case 'int':
      return { type, value: Number(parseInteger(text, 32)) };
    case 'short':
      return { type, value: Number(parseInteger(text, 16)) };
    case 'byte':
      return { type, value: Number(parseInteger(text, 8)) };
  }
}

function parseInteger(text: string, bits: number): bigint {
  if (!/^-?[0-9]{1,20}$/.test(text)) throw new SyntaxError('not an integer');
  const v = BigInt(text);
  if (BigInt.asIntN(bits, v) !== v) throw new RangeError(`out of ${bits}-bit range`);
  return v;
}

function parseTyped(name: string): Exclude<IgniteValue, null> {
  const sep = name.indexOf('~');
  if (sep < 0) throw new SyntaxError('no tag');
  const tag = name.slice(0, sep);
  const text = unescapeText(name.slice(sep + 1));
  switch (tag) {
    case 'i8':
      return { type: 'byte', value: Number(parseInteger(text, 8)) };
    case 'i16':
      return { type: 'short', value: Number(parseInteger(text, 16)) };
    case 'i':
      return { type: 'int', value: Number(parseInteger(text, 32)) };
    case 'l':
      return { type: 'long', value: parseInteger(text, 64) };
    case 'f': {
      const x = Number(text);
      if (Math.fround(x) !== x && !Number.isNaN(x)) throw new RangeError('not a float32');
      return { type: 'float', value: x };
    }
    case 'd':
      return { type: 'double', value: Number(text) };
    case 'c':
      if (text.length !== 1) throw new SyntaxError('not one char');
      return { type: 'char', value: text.charCodeAt(0) };
    case 'z':
      return { type: 'bool', value: text === 'true' };
    case 's':
      return { type: 'string', value: text };
    case 'u':
      if (!UUID_CANONICAL.test(text)) throw new SyntaxError('not a UUID');
      return { type: 'uuid', value: text };
    case 'b':
      if (!/^([0-9a-f]{2})*$/.test(text)) throw new SyntaxError('not hex');
      return { type: 'byteArray', value: Buffer.from(text, 'hex') };
    case 'j': {
      const v = fromTagged(JSON.parse(text));
      if (v === null) throw new SyntaxError('null key');
      return v;
    }
    default:
      throw new SyntaxError(`unknown tag ${tag}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Tagged JSON: a lossless JSON form of any IgniteValue, for keys of the types without a short tag (objects, dates,
// decimals, collections...). Each value is an array [tag, ...payload]; 64-bit numbers are decimal strings.

type Tagged = null | [string, ...unknown[]];

function toTagged(v: IgniteValue): Tagged {
  if (v === null) return null;
  switch (v.type) {
    case 'byte':
      return ['i8', v.value];
    case 'short':
      return ['i16', v.value];
    case 'int':
      return ['i', v.value];
    case 'long':
      return ['l', v.value.toString()];
    case 'float':
      return ['f', floatText(v.value)];
    case 'double':
      return ['d', floatText(v.value)];
    case 'char':
      return ['c', v.value];
    case 'bool':
      return ['z', v.value];
    case 'string':
      return ['s', v.value];
    case 'uuid':
      return ['u', v.value];
    case 'date':
      return ['dt', v.ms.toString()];
    case 'timestamp':
      return ['ts', v.ms.toString(), v.nanos];
    case 'time':
      return ['tm', v.ms.toString()];
    case 'decimal':
      return ['dec', v.scale, v.unscaled.toString()];
    case 'enum':
      return ['e', v.typeId, v.ordinal, v.name ?? null, v.typeName ?? null];
    case 'byteArray':
      return ['b', v.value.toString('hex')];
    case 'shortArray':
      return ['i16a', Array.from(v.value)];
    case 'intArray':
      return ['ia', Array.from(v.value)];
    case 'longArray':
      return ['la', Array.from(v.value, (x) => x.toString())];
    case 'floatArray':
      return ['fa', Array.from(v.value, floatText)];
    case 'doubleArray':
      return ['da', Array.from(v.value, floatText)];
    case 'charArray':
      return ['ca', Array.from(v.value)];
    case 'boolArray':
      return ['za', v.value];
    case 'array':
      return ['a', v.elementType, v.items.map(toTagged)];
    case 'objectArray':
      return ['oa', v.typeId, v.items.map(toTagged)];
    case 'collection':
      return ['col', v.kind, v.items.map(toTagged)];
    case 'map':
      return ['m', v.kind, v.entries.map(([k, x]) => [toTagged(k), toTagged(x)])];
    case 'object':
      return ['o', v.typeName, v.typeId, v.fields.map(([n, x]) => [n, toTagged(x)])];
  }
}

function int(x: unknown): number {
  if (!Number.isSafeInteger(x)) throw new SyntaxError('not an integer');
  return x as number;
}
function str(x: unknown): string {
  if (typeof x !== 'string') throw new SyntaxError('not a string');
  return x;
}
function arr(x: unknown): unknown[] {
  if (!Array.isArray(x)) throw new SyntaxError('not an array');
  return x;
}
function big(x: unknown): bigint {
  return parseInteger(str(x), 64);
}

function fromTagged(t: unknown): IgniteValue {
  if (t === null) return null;
  const a = arr(t);
  const p = a.slice(1);
  switch (a[0]) {
    case 'i8':
      return { type: 'byte', value: int(p[0]) };
    case 'i16':
      return { type: 'short', value: int(p[0]) };
    case 'i':
      return { type: 'int', value: int(p[0]) };
    case 'l':
      return { type: 'long', value: big(p[0]) };
    case 'f':
      return { type: 'float', value: Number(str(p[0])) };
    case 'd':
      return { type: 'double', value: Number(str(p[0])) };
    case 'c':
      return { type: 'char', value: int(p[0]) };
    case 'z':
      return { type: 'bool', value: p[0] === true };
    case 's':
      return { type: 'string', value: str(p[0]) };
    case 'u':
      return { type: 'uuid', value: str(p[0]) };
    case 'dt':
      return { type: 'date', ms: big(p[0]) };
    case 'ts':
      return { type: 'timestamp', ms: big(p[0]), nanos: int(p[1]) };
    case 'tm':
      return { type: 'time', ms: big(p[0]) };
    case 'dec':
      return { type: 'decimal', scale: int(p[0]), unscaled: BigInt(str(p[1])) };
    case 'e': {
      const e: ScalarValue = { type: 'enum', typeId: int(p[0]), ordinal: int(p[1]) };
      if (p[2] !== null) e.name = str(p[2]);
      if (p[3] !== null) e.typeName = str(p[3]);
      return e;
    }
    case 'b':
      return { type: 'byteArray', value: Buffer.from(str(p[0]), 'hex') };
    case 'i16a':
      return { type: 'shortArray', value: Int16Array.from(arr(p[0]), int) };
    case 'ia':
      return { type: 'intArray', value: Int32Array.from(arr(p[0]), int) };
    case 'la':
      return { type: 'longArray', value: BigInt64Array.from(arr(p[0]), big) };
    case 'fa':
      return { type: 'floatArray', value: Float32Array.from(arr(p[0]), (x) => Number(str(x))) };
    case 'da':
      return { type: 'doubleArray', value: Float64Array.from(arr(p[0]), (x) => Number(str(x))) };
    case 'ca':
      return { type: 'charArray', value: Uint16Array.from(arr(p[0]), int) };
    case 'za':
      return { type: 'boolArray', value: arr(p[0]).map((x) => x === true) };
    case 'a':
      return {
        type: 'array',
        elementType: str(p[0]) as ReferenceElementType,
        items: arr(p[1]).map((x) => fromTagged(x) as ScalarValue | null),
      };
    case 'oa':
      return { type: 'objectArray', typeId: int(p[0]), items: arr(p[1]).map(fromTagged) };
    case 'col':
      return { type: 'collection', kind: int(p[0]), items: arr(p[1]).map(fromTagged) };
    case 'm':
      return {
        type: 'map',
        kind: int(p[0]),
        entries: arr(p[1]).map((e) => {
          const kv = arr(e);
          return [fromTagged(kv[0]), fromTagged(kv[1])] as [IgniteValue, IgniteValue];
        }),
      };
    case 'o':
      return {
        type: 'object',
        typeName: str(p[0]),
        typeId: int(p[1]),
        fields: arr(p[2]).map((f) => {
          const nf = arr(f);
          return [str(nf[0]), fromTagged(nf[1])] as [string, IgniteValue];
        }),
      };
    default:
      throw new SyntaxError(`unknown tagged type ${String(a[0])}`);
  }
}
