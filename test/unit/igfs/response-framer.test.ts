// Reply decoding of every resType from builder-made bytes, and the framer under every split and coalescing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fb from '../../support/frame-builder.js';
import { ResponseFramer } from '../../../src/igfs/protocol/response-framer.js';
import type { IgfsResponse } from '../../../src/igfs/protocol/response-types.js';
import { ProtocolError } from '../../../src/igfs/errors.js';

const { concat, responseHeader: rh, i32, i64, bool, nstr, jutf } = fb;

function decodeAll(chunks: Buffer[]): IgfsResponse[] {
  const framer = new ResponseFramer();
  const out: IgfsResponse[] = [];
  for (const c of chunks) framer.push(c, (r) => out.push(r));
  assert.equal(framer.midFrame, false, 'no bytes left over');
  return out;
}

function decodeOne(bytes: Buffer): IgfsResponse {
  const all = decodeAll([bytes]);
  assert.equal(all.length, 1);
  return all[0];
}

const fileA: fb.FileFields = {
  path: '/dir/ф😀', blockSize: 65536, groupBlockSize: 33554432, length: 2 ** 40 + 3,
  props: [['permission', '0644'], ['usrName', 'bob']], accessTime: 1_700_000_000_001, modificationTime: 1_700_000_000_002, flags: 2,
};
const dirB: fb.FileFields = {
  path: '/dir', blockSize: 0, groupBlockSize: 0, length: 0, props: [], accessTime: 5, modificationTime: 6, flags: 1,
};
const expectedFileA = {
  path: '/dir/ф😀', blockSize: 65536, groupBlockSize: 33554432, length: 2 ** 40 + 3,
  properties: new Map([['permission', '0644'], ['usrName', 'bob']]), accessTimeMs: 1_700_000_000_001,
  modificationTimeMs: 1_700_000_000_002, flags: 2, isDirectory: false, isFile: true,
};

// [name, bytes, expected body]
const cases: [string, Buffer, unknown][] = [
  ['0 BOOLEAN true', concat(rh(1, 0), bool(true)), { type: 'boolean', value: true }],
  ['0 BOOLEAN false', concat(rh(1, 0), bool(false)), { type: 'boolean', value: false }],
  ['1 LONG', concat(rh(2, 1), i64(2 ** 50 + 9)), { type: 'long', value: 2 ** 50 + 9 }],
  ['2 IGFS_FILE present', concat(rh(3, 2), bool(true), fb.igfsFile(fileA)), { type: 'file', value: expectedFileA }],
  ['2 IGFS_FILE absent', concat(rh(3, 2), bool(false)), { type: 'file', value: null }],
  ['2 IGFS_FILE null props', concat(rh(3, 2), bool(true), fb.igfsFile({ ...dirB, props: null })), {
    type: 'file', value: { path: '/dir', blockSize: 0, groupBlockSize: 0, length: 0, properties: null, accessTimeMs: 5, modificationTimeMs: 6, flags: 1, isDirectory: true, isFile: false },
  }],
  ['3 STREAM_DESCRIPTOR', concat(rh(4, 3), bool(true), i64(0), i64(12345)), { type: 'stream-descriptor', value: { streamId: 0, length: 12345 } }],
  ['3 STREAM_DESCRIPTOR absent', concat(rh(4, 3), bool(false)), { type: 'stream-descriptor', value: null }],
  ['4 IGFS_PATH', concat(rh(5, 4), bool(true), nstr('/x')), { type: 'path', value: '/x' }],
  ['5 COL_IGFS_FILE (no per-item hasVal)', concat(rh(6, 5), i32(2), fb.igfsFile(fileA), fb.igfsFile(dirB)), {
    type: 'files', value: [expectedFileA, { path: '/dir', blockSize: 0, groupBlockSize: 0, length: 0, properties: new Map(), accessTimeMs: 5, modificationTimeMs: 6, flags: 1, isDirectory: true, isFile: false }],
  }],
  ['5 COL_IGFS_FILE null', concat(rh(6, 5), i32(-1)), { type: 'files', value: null }],
  ['6 COL_IGFS_PATH', concat(rh(7, 6), i32(3), nstr('/a'), nstr('/中'), nstr('/a\0b')), { type: 'paths', value: ['/a', '/中', '/a\0b'] }],
  ['6 COL_IGFS_PATH empty', concat(rh(7, 6), i32(0)), { type: 'paths', value: [] }],
  ['7 COL_IGFS_BLOCK_LOCATION', concat(rh(8, 7), i32(1), i64(0), i64(11), bool(true), i32(2),
    [0, ...fb.hex('82bfa4fd482c4c90a69891ca8c0ae9fd')], [1], i32(1), jutf('localhost:9001'), i32(1), jutf('localhost')), {
    type: 'block-locations', value: [{ start: 0, length: 11, nodeIds: ['82bfa4fd-482c-4c90-a698-91ca8c0ae9fd', null], names: ['localhost:9001'], hosts: ['localhost'] }],
  }],
  ['7 without node ids', concat(rh(8, 7), i32(1), i64(5), i64(6), bool(false), i32(0), i32(0)), {
    type: 'block-locations', value: [{ start: 5, length: 6, nodeIds: null, names: [], hosts: [] }],
  }],
  ['8 BYTE_ARRAY', concat(rh(9, 8, false, 5), fb.hex('0102030405')), { type: 'bytes', value: Buffer.from([1, 2, 3, 4, 5]) }],
  ['8 BYTE_ARRAY empty (EOF)', concat(rh(9, 8, false, 0)), { type: 'bytes', value: Buffer.alloc(0) }],
  ['9 ERR_STREAM_ID notice', fb.errorReply(-1, 'Failed to write data', 0, 7), { type: 'error', resType: 9, code: 0, message: 'Failed to write data', streamId: 7 }],
  ['9 ERR_STREAM_ID without message', concat(rh(-1, 9)), { type: 'error', resType: 9, code: null, message: null, streamId: null }],
  ['-1 error', fb.errorReply(10, 'File not found: /x', 2), { type: 'error', resType: -1, code: 2, message: 'File not found: /x', streamId: null }],
  ['-1 error without message', concat(rh(10, -1)), { type: 'error', resType: -1, code: null, message: null, streamId: null }],
  ['10 HANDSHAKE, no sampling', concat(rh(0, 10), bool(true), nstr('igfs'), i64(33554432), bool(false)), { type: 'handshake', value: { igfsName: 'igfs', groupBlockSize: 33554432, sampling: null } }],
  ['10 HANDSHAKE, sampling', concat(rh(0, 10), bool(true), nstr(null), i64(64), bool(true), bool(true)), { type: 'handshake', value: { igfsName: null, groupBlockSize: 64, sampling: true } }],
  ['11 STATUS (used, total)', concat(rh(11, 11), bool(true), i64(100), i64(2147483648)), { type: 'status', value: { spaceUsed: 100, spaceTotal: 2147483648 } }],
  ['12 PATH_SUMMARY', concat(rh(12, 12), bool(true), i32(3), i32(2), i64(999), nstr('/d')), { type: 'path-summary', value: { filesCount: 3, directoriesCount: 2, totalLength: 999, path: '/d' } }],
  ['13 MODE_RESOLVER', concat(rh(13, 13), bool(true), [0], bool(true), i32(2), nstr('/p/q'), [2], nstr('/p'), [3], bool(true), i32(1), nstr('/p')), {
    type: 'mode-resolver', value: { defaultMode: 'PRIMARY', modes: [{ path: '/p/q', mode: 'DUAL_SYNC' }, { path: '/p', mode: 'DUAL_ASYNC' }], dualParentsWithPrimaryChildren: ['/p'] },
  }],
  ['13 MODE_RESOLVER minimal', concat(rh(13, 13), bool(true), [0], bool(false), bool(false)), { type: 'mode-resolver', value: { defaultMode: 'PRIMARY', modes: null, dualParentsWithPrimaryChildren: null } }],
];

for (const [name, bytes, expected] of cases) {
  test(`decodes resType ${name}`, () => {
    const r = decodeOne(bytes);
    assert.deepEqual(r.body, expected);
    assert.equal(r.reqId, bytes.readInt32BE(4) === -1 ? -1 : bytes.readInt32BE(4));
  });
}

test('a 20,000-character property value decodes from lstr chunks', () => {
  const big = 'ж'.repeat(19_999) + '😀'.slice(0, 1);
  const file = { ...dirB, props: [['big', big], ['k', 'v']] as [string, string][] };
  const bytes = concat(rh(1, 2), bool(true), fb.igfsFile(file));
  const r = decodeOne(bytes);
  assert.equal(r.body.type, 'file');
  if (r.body.type === 'file') {
    assert.equal(r.body.value?.properties?.get('big'), big);
    assert.equal(r.body.value?.properties?.get('k'), 'v');
  }
});

test('lstr with a chunk count that disagrees with its length is a ProtocolError', () => {
  const bad = concat(rh(1, 2), bool(true), fb.nstr('/d'), i32(0), i64(0), i64(0), i32(1), i32(20_000), jutf('x'.repeat(16383)), jutf('y'.repeat(4000)));
  assert.throws(() => decodeOne(bad), ProtocolError);
});

// The stream used for split tests: every shape, including payloads and a coalesced error notice.
const stream = Buffer.concat(cases.map(([, b]) => b));
const expectedAll = cases.map(([, , e]) => e);

test('the framer emits the same replies whatever the split point (two chunks, every offset)', () => {
  for (let cut = 0; cut <= stream.length; cut++) {
    const got = decodeAll([stream.subarray(0, cut), stream.subarray(cut)]).map((r) => r.body);
    assert.deepEqual(got, expectedAll, `cut at ${cut}`);
  }
});

test('the framer handles one byte at a time and everything at once', () => {
  const bytewise: Buffer[] = [];
  for (let i = 0; i < stream.length; i++) bytewise.push(stream.subarray(i, i + 1));
  assert.deepEqual(decodeAll(bytewise).map((r) => r.body), expectedAll);
  assert.deepEqual(decodeAll([stream]).map((r) => r.body), expectedAll);
});

test('the framer under random chunking (seeded), including three-way splits inside big payloads', () => {
  const payload = Buffer.alloc(300_000);
  for (let i = 0; i < payload.length; i++) payload[i] = (i * 31) & 0xff;
  const big = Buffer.concat([stream, concat(rh(99, 8, false, payload.length)), payload, stream]);
  const expected = [...expectedAll, { type: 'bytes', value: payload }, ...expectedAll];
  let seed = 12345;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let round = 0; round < 50; round++) {
    const chunks: Buffer[] = [];
    for (let p = 0; p < big.length;) {
      const n = 1 + rnd(round % 2 === 0 ? 70 : 70_000);
      chunks.push(big.subarray(p, p + n));
      p += n;
    }
    assert.deepEqual(decodeAll(chunks).map((r) => r.body), expected, `round ${round}`);
  }
});

test('a READ_BLOCK payload inside one chunk is handed out without copying', () => {
  const chunk = concat(rh(1, 8, false, 4), [9, 8, 7, 6], rh(2, 0), bool(true));
  const out: IgfsResponse[] = [];
  new ResponseFramer().push(chunk, (r) => out.push(r));
  assert.equal(out.length, 2);
  const body = out[0].body;
  assert.equal(body.type, 'bytes');
  if (body.type === 'bytes') {
    assert.equal(body.value.buffer, chunk.buffer, 'shares memory with the socket chunk');
    assert.deepEqual([...body.value], [9, 8, 7, 6]);
  }
});

test('midFrame reports a truncated reply', () => {
  const framer = new ResponseFramer();
  const bytes = concat(rh(1, 2), bool(true), fb.igfsFile(fileA));
  framer.push(bytes.subarray(0, bytes.length - 1), () => assert.fail('must not emit'));
  assert.equal(framer.midFrame, true);
});

test('corrupted replies are ProtocolErrors and the framer stays failed', () => {
  const wrongCmd = Buffer.from(concat(rh(1, 0), bool(true)));
  wrongCmd.writeInt32BE(18, 8);
  const unknownResType = concat(rh(1, 14), bool(true));
  const badHasErr = Buffer.from(concat(rh(1, 0), bool(true)));
  badHasErr[28] = 7;
  const negativeLen = concat(rh(1, 8, false, -5));
  const badUtf = concat(rh(1, 6), i32(1), [0], fb.u16(4), [...Buffer.from('😀', 'utf8')]);
  const badMode = concat(rh(1, 13), bool(true), [9], bool(false), bool(false));
  for (const bad of [wrongCmd, unknownResType, badHasErr, negativeLen, badUtf, badMode]) {
    const framer = new ResponseFramer();
    assert.throws(() => framer.push(bad, () => undefined), ProtocolError);
    assert.throws(() => framer.push(concat(rh(2, 0), bool(true)), () => undefined), ProtocolError);
  }
});

test('with a payload limit, an oversized or unexpected READ_BLOCK reply is refused before allocating', () => {
  const limits = new Map([[1, 10]]);
  const framer = (): ResponseFramer => new ResponseFramer((id) => limits.get(id) ?? null);
  const ok: IgfsResponse[] = [];
  framer().push(concat(rh(1, 8, false, 10), new Array<number>(10).fill(1)), (r) => ok.push(r));
  assert.equal(ok.length, 1);
  assert.throws(() => framer().push(concat(rh(1, 8, false, 1 << 30)), () => undefined), /asked for 10/);
  assert.throws(() => framer().push(concat(rh(2, 8, false, 5)), () => undefined), /not an outstanding read/);
});
