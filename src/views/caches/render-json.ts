// Row value -> content of DIR/<cache>/rows/<key>. byte[] values are served raw and String values as UTF-8 (so
// `tf.io.read_file` gets the bytes a user stored); every other value is one line of JSON, newline-terminated.
// The JSON mapping per type is the table in docs/CACHES-VIEW.md; the rules in short:
// - exact: longs and other integers are JSON number literals with every digit (never rounded through a double);
//   decimals are strings carrying their scale ("1.50"); floats and doubles are the shortest literal that reads
//   back to the same float32 / float64, always with a "." or exponent so Python reads a float;
// - NaN, Infinity, -Infinity (not JSON numbers) are the strings "NaN", "Infinity", "-Infinity";
// - deterministic: object fields in the binary type's schema order, map entries and collection items in the
//   order the server sent, no whitespace.

import type { IgniteValue, ScalarValue } from './value-model.js';

const MS_PER_DAY = 86_400_000n;
/** ECMAScript Date covers +-8.64e15 ms; dates beyond it (Java allows any long) fall back to the millisecond number. */
const MAX_DATE_MS = 8_640_000_000_000_000n;

/** The bytes of a row file for `value`. */
export function renderValueFile(value: IgniteValue): Buffer {
  if (value !== null && value.type === 'byteArray') return value.value;
  if (value !== null && value.type === 'string') return Buffer.from(value.value, 'utf8');
  return Buffer.from(toJsonText(value) + '\n', 'utf8');
}

/** Compact JSON of any value (without the trailing newline). */
export function toJsonText(value: IgniteValue): string {
  const out: string[] = [];
  writeJson(value, out);
  return out.join('');
}

function writeJson(v: IgniteValue, out: string[]): void {
  if (v === null) {
    out.push('null');
    return;
  }
  switch (v.type) {
    case 'byteArray':
      out.push('"', v.value.toString('base64'), '"');
      return;
    case 'shortArray':
    case 'intArray':
    case 'longArray':
      writeList(v.value.length, (i) => String(v.value[i]), out);
      return;
    case 'floatArray':
      writeList(v.value.length, (i) => floatLiteral(v.value[i], true), out);
      return;
    case 'doubleArray':
      writeList(v.value.length, (i) => floatLiteral(v.value[i], false), out);
      return;
    case 'charArray':
      writeList(v.value.length, (i) => JSON.stringify(String.fromCharCode(v.value[i])), out);
      return;
    case 'boolArray':
      writeList(v.value.length, (i) => (v.value[i] ? 'true' : 'false'), out);
      return;
    case 'array':
      writeList(v.items.length, (i) => toJsonText(v.items[i]), out);
      return;
    case 'objectArray':
    case 'collection':
      out.push('[');
      v.items.forEach((item, i) => {
        if (i > 0) out.push(',');
        writeJson(item, out);
      });
      out.push(']');
      return;
    case 'map':
      if (v.entries.every(([k]) => k !== null && k.type === 'string')) {
        out.push('{');
        v.entries.forEach(([k, val], i) => {
          if (i > 0) out.push(',');
          out.push(JSON.stringify((k as { value: string }).value), ':');
          writeJson(val, out);
        });
        out.push('}');
      } else {
        out.push('[');
        v.entries.forEach(([k, val], i) => {
          if (i > 0) out.push(',');
          out.push('[');
          writeJson(k, out);
          out.push(',');
          writeJson(val, out);
          out.push(']');
        });
        out.push(']');
      }
      return;
    case 'object':
      out.push('{');
      v.fields.forEach(([name, val], i) => {
        if (i > 0) out.push(',');
        out.push(JSON.stringify(name), ':');
        writeJson(val, out);
      });
      out.push('}');
      return;
    default:
      out.push(scalarJson(v));
  }
}

function writeList(n: number, item: (i: number) => string, out: string[]): void {
  out.push('[');
  for (let i = 0; i < n; i++) {
    if (i > 0) out.push(',');
    out.push(item(i));
  }
  out.push(']');
}

function scalarJson(v: ScalarValue): string {
  switch (v.type) {
    case 'byte':
    case 'short':
    case 'int':
      return String(v.value);
    case 'long':
      return v.value.toString();
    case 'float':
      return floatLiteral(v.value, true);
    case 'double':
      return floatLiteral(v.value, false);
    case 'char':
      return JSON.stringify(String.fromCharCode(v.value));
    case 'bool':
      return v.value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(v.value);
    case 'uuid':
      return JSON.stringify(v.value);
    case 'date':
      return dateJson(v.ms, null);
    case 'timestamp':
      return dateJson(v.ms, v.nanos);
    case 'time':
      return JSON.stringify(formatTimeOfDay(v.ms));
    case 'decimal':
      return JSON.stringify(formatDecimal(v.scale, v.unscaled));
    case 'enum':
      return v.name !== undefined
        ? JSON.stringify(v.name)
        : `{"typeId":${v.typeId},"ordinal":${v.ordinal}}`;
  }
}

function dateJson(ms: bigint, nanos: number | null): string {
  const iso = formatIsoInstant(ms, nanos);
  return iso === null ? ms.toString() : JSON.stringify(iso);
}

/**
 * JSON literal of a float32 (`single`) or float64: the shortest decimal that reads back to the same value, with
 * ".0" added to integral values so that JSON readers which distinguish int and float (Python) see a float.
 */
export function floatLiteral(x: number, single: boolean): string {
  if (Number.isNaN(x)) return '"NaN"';
  if (x === Infinity) return '"Infinity"';
  if (x === -Infinity) return '"-Infinity"';
  if (Object.is(x, -0)) return '-0.0';
  let s = String(x);
  if (single) {
    // String() gives the shortest decimal for the float64 that holds the float32 (0.10000000149011612 for 0.1f);
    // the float32 itself needs at most 9 significant digits.
    for (let p = 1; p <= 9; p++) {
      const t = x.toPrecision(p);
      if (Math.fround(Number(t)) === x) {
        s = String(Number(t));
        break;
      }
    }
  }
  return /[.eE]/.test(s) ? s : s + '.0';
}

/**
 * ISO-8601 UTC instant of epoch milliseconds, with 3 fractional digits, or 9 when `nanos` (0..999999, the part of
 * a java.sql.Timestamp below the millisecond) is given. null when outside ECMAScript's date range.
 */
export function formatIsoInstant(ms: bigint, nanos: number | null): string | null {
  if (ms > MAX_DATE_MS || ms < -MAX_DATE_MS) return null;
  const iso = new Date(Number(ms)).toISOString(); // ...T00:00:00.000Z
  if (nanos === null) return iso;
  return iso.slice(0, -1) + String(nanos).padStart(6, '0') + 'Z';
}

/**
 * java.sql.Time as HH:MM:SS.mmm (UTC). Ignite sends Time.getTime(); a Time made from a full date carries that date
 * too, which java.sql.Time ignores, so the day is dropped (floor modulo one day).
 */
export function formatTimeOfDay(ms: bigint): string {
  let t = ms % MS_PER_DAY;
  if (t < 0n) t += MS_PER_DAY;
  const n = Number(t);
  const hh = Math.floor(n / 3_600_000);
  const mm = Math.floor(n / 60_000) % 60;
  const ss = Math.floor(n / 1000) % 60;
  const mmm = n % 1000;
  return `${pad(hh, 2)}:${pad(mm, 2)}:${pad(ss, 2)}.${pad(mmm, 3)}`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** BigDecimal as a plain decimal string keeping its scale (unscaled 150, scale 2 -> "1.50"; scale -2 -> "15000"). */
export function formatDecimal(scale: number, unscaled: bigint): string {
  const negative = unscaled < 0n;
  let digits = (negative ? -unscaled : unscaled).toString();
  if (scale <= 0) {
    if (unscaled !== 0n) digits += '0'.repeat(-scale);
  } else {
    digits = digits.padStart(scale + 1, '0');
    digits = digits.slice(0, digits.length - scale) + '.' + digits.slice(digits.length - scale);
  }
  return (negative ? '-' : '') + digits;
}
