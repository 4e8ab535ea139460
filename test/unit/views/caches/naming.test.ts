import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import {
  chooseKeyNaming,
  encodeKeyName,
  parseKeyName,
  MAX_NAME_BYTES,
  type KeyNaming,
} from '../../../../src/views/caches/naming.js';
import type { IgniteValue } from '../../../../src/views/caches/value-model.js';
import { Rng, randomKey, randomScalar } from './random-values.js';

const typed: KeyNaming = { kind: 'typed' };

/** An identity of a key that tells apart everything the value model does (-0, NaN, typed arrays, bigints). */
function keyId(key: IgniteValue): string {
  return inspect(key, { depth: Infinity, maxArrayLength: Infinity, maxStringLength: Infinity, breakLength: Infinity });
}

function assertSafeName(name: string): void {
  assert.ok(!name.includes('/'), `contains /: ${JSON.stringify(name)}`);
  assert.ok(!name.includes('\u0000'), `contains NUL: ${JSON.stringify(name)}`);
  assert.ok(!name.startsWith('.'), `starts with a dot: ${JSON.stringify(name)}`);
  assert.ok(name.length > 0);
  assert.ok(Buffer.byteLength(name, 'utf8') <= MAX_NAME_BYTES, `too long: ${Buffer.byteLength(name)}`);
  // A name must survive the trip through the kernel as UTF-8 bytes.
  assert.equal(Buffer.from(name, 'utf8').toString('utf8'), name, `not valid UTF-8: ${JSON.stringify(name)}`);
}

function roundTrip(key: Exclude<IgniteValue, null>, naming: KeyNaming): string {
  const name = encodeKeyName(key, naming);
  assertSafeName(name);
  const parsed = parseKeyName(name, naming);
  if (parsed.kind === 'shortened') return name;
  assert.equal(parsed.kind, 'key', `name ${JSON.stringify(name)} did not parse`);
  assert.deepStrictEqual(parsed.kind === 'key' ? parsed.key : null, key);
  return name;
}

test('bare names: integers as decimal, strings as text, UUIDs canonical', () => {
  assert.equal(encodeKeyName({ type: 'int', value: 42 }, { kind: 'bare', type: 'int' }), '42');
  assert.equal(encodeKeyName({ type: 'long', value: -(1n << 63n) }, { kind: 'bare', type: 'long' }), '-9223372036854775808');
  assert.equal(encodeKeyName({ type: 'string', value: 'hello world' }, { kind: 'bare', type: 'string' }), 'hello world');
  const u = '123e4567-e89b-12d3-a456-426614174000';
  assert.equal(encodeKeyName({ type: 'uuid', value: u }, { kind: 'bare', type: 'uuid' }), u);
});

test('escapes slash, percent, tilde, NUL, controls and a leading dot', () => {
  const bare: KeyNaming = { kind: 'bare', type: 'string' };
  const name = (s: string): string => encodeKeyName({ type: 'string', value: s }, bare);
  assert.equal(name('a/b'), 'a%2Fb');
  assert.equal(name('100%'), '100%25');
  assert.equal(name('i~12'), 'i%7E12');
  assert.equal(name('a\u0000b\nc\u007f'), 'a%00b%0Ac%7F');
  assert.equal(name('\u0085'), '%C2%85');
  assert.equal(name('.'), '%2E');
  assert.equal(name('..'), '%2E.');
  assert.equal(name('.hidden'), '%2Ehidden');
  assert.equal(name('a.b'), 'a.b');
  assert.equal(name(''), '~');
  assert.equal(name('\ud800x'), '%uD800x');
  assert.equal(name('日本'), '日本');
});

test('typed names carry a tag per type', () => {
  assert.equal(encodeKeyName({ type: 'int', value: 12 }, typed), 'i~12');
  assert.equal(encodeKeyName({ type: 'long', value: 12n }, typed), 'l~12');
  assert.equal(encodeKeyName({ type: 'byte', value: -1 }, typed), 'i8~-1');
  assert.equal(encodeKeyName({ type: 'string', value: 'abc' }, typed), 's~abc');
  assert.equal(encodeKeyName({ type: 'byteArray', value: Buffer.from([0, 255]) }, typed), 'b~00ff');
  assert.equal(encodeKeyName({ type: 'double', value: -0 }, typed), 'd~-0');
  assert.equal(
    encodeKeyName({ type: 'object', typeName: 'K', typeId: 7, fields: [['id', { type: 'int', value: 1 }]] }, typed),
    'j~["o","K",7,[["id",["i",1]]]]',
  );
});

test('chooseKeyNaming: bare only for one type that has a bare form', () => {
  assert.deepEqual(chooseKeyNaming(['int']), { kind: 'bare', type: 'int' });
  assert.deepEqual(chooseKeyNaming(new Set(['string'])), { kind: 'bare', type: 'string' });
  assert.deepEqual(chooseKeyNaming(['int', 'long']), { kind: 'typed' });
  assert.deepEqual(chooseKeyNaming(['object']), { kind: 'typed' });
  assert.deepEqual(chooseKeyNaming([]), { kind: 'typed' });
});

test('decoding is strict: only the canonical name of a key parses', () => {
  const intNaming: KeyNaming = { kind: 'bare', type: 'int' };
  assert.deepEqual(parseKeyName('42', intNaming), { kind: 'key', key: { type: 'int', value: 42 } });
  for (const bad of ['042', '-0', '+1', '2147483648', '1e3', '', '~', ' 1']) {
    assert.equal(parseKeyName(bad, intNaming).kind, 'invalid', bad);
  }
  const s: KeyNaming = { kind: 'bare', type: 'string' };
  for (const bad of ['a%2fb', 'a%41', '%', '%zz', '%C0%80', '.x', 'a~b']) {
    assert.equal(parseKeyName(bad, s).kind, 'invalid', bad);
  }
  for (const bad of ['x~1', 'i~01', 'i8~128', 'z~yes', 'u~ABC', 'b~0', 'j~[', 'j~null', 's']) {
    assert.equal(parseKeyName(bad, typed).kind, 'invalid', bad);
  }
});

test('long names are shortened with a hash and reported as shortened', () => {
  const bare: KeyNaming = { kind: 'bare', type: 'string' };
  const long1 = 'x'.repeat(300);
  const long2 = 'x'.repeat(299) + 'y';
  const n1 = encodeKeyName({ type: 'string', value: long1 }, bare);
  const n2 = encodeKeyName({ type: 'string', value: long2 }, bare);
  assertSafeName(n1);
  assert.notEqual(n1, n2);
  assert.match(n1, /^x+~h[0-9a-f]{32}$/);
  assert.deepEqual(parseKeyName(n1, bare), { kind: 'shortened' });
  // A string that merely looks like a shortened name is escaped, so it cannot be mistaken for one.
  const lookAlike = encodeKeyName({ type: 'string', value: 'abc~h' + '0'.repeat(32) }, bare);
  assert.equal(parseKeyName(lookAlike, bare).kind, 'key');
  // Cutting never splits an escape or a multi-byte character.
  const mixed = encodeKeyName({ type: 'string', value: '/日\u0001'.repeat(100) }, typed);
  assertSafeName(mixed);
  assert.match(mixed, /^s~(%2F日%01)*(%2F|%2F日)?~h[0-9a-f]{32}$/);
});

test('property: every type round-trips under typed naming; names are safe and distinct', () => {
  const r = new Rng(20261130);
  const names = new Map<string, string>();
  for (let i = 0; i < 4000; i++) {
    const key = randomKey(r);
    const name = roundTrip(key, typed);
    // Distinct keys -> distinct names: a name seen before must belong to an equal key.
    const id = keyId(key);
    const prev = names.get(name);
    if (prev !== undefined) assert.equal(prev, id, `two keys share the name ${name}`);
    names.set(name, id);
  }
});

test('property: bare naming round-trips every bare type, including long strings', () => {
  const r = new Rng(7);
  for (const type of ['byte', 'short', 'int', 'long', 'string', 'uuid'] as const) {
    const naming = chooseKeyNaming([type]);
    assert.equal(naming.kind, 'bare');
    const seen = new Map<string, string>();
    for (let i = 0; i < 1500; i++) {
      const key = randomScalar(r, type);
      if (type === 'string' && i % 10 === 0) (key as { value: string }).value = r.string(200);
      const name = roundTrip(key, naming);
      const id = keyId(key);
      const prev = seen.get(name);
      if (prev !== undefined) assert.equal(prev, id);
      seen.set(name, id);
    }
  }
});

test('int 5 and long 5 get different names in one cache', () => {
  const names = new Set([
    encodeKeyName({ type: 'int', value: 5 }, typed),
    encodeKeyName({ type: 'long', value: 5n }, typed),
    encodeKeyName({ type: 'short', value: 5 }, typed),
    encodeKeyName({ type: 'byte', value: 5 }, typed),
    encodeKeyName({ type: 'string', value: '5' }, typed),
  ]);
  assert.equal(names.size, 5);
});

test('a key of the wrong type for a bare naming is refused', () => {
  assert.throws(() => encodeKeyName({ type: 'long', value: 1n }, { kind: 'bare', type: 'int' }), TypeError);
  assert.throws(() => encodeKeyName(null, typed), TypeError);
});
