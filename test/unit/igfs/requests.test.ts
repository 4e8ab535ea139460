// Golden request bytes: every encoder against frames spelled out by the independent builder, plus the worked hex
// examples of igfs-protocol.md §3.2.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fb from '../../support/frame-builder.js';
import { encodeHandshake } from '../../../src/igfs/protocol/requests/handshake.js';
import { encodeStatus } from '../../../src/igfs/protocol/requests/status.js';
import { encodeExists } from '../../../src/igfs/protocol/requests/exists.js';
import { encodeInfo } from '../../../src/igfs/protocol/requests/info.js';
import { encodePathSummary } from '../../../src/igfs/protocol/requests/path-summary.js';
import { encodeUpdate } from '../../../src/igfs/protocol/requests/update.js';
import { encodeRename } from '../../../src/igfs/protocol/requests/rename.js';
import { encodeDelete } from '../../../src/igfs/protocol/requests/delete.js';
import { encodeMakeDirectories } from '../../../src/igfs/protocol/requests/make-directories.js';
import { encodeListPaths } from '../../../src/igfs/protocol/requests/list-paths.js';
import { encodeListFiles } from '../../../src/igfs/protocol/requests/list-files.js';
import { encodeAffinity } from '../../../src/igfs/protocol/requests/affinity.js';
import { encodeSetTimes } from '../../../src/igfs/protocol/requests/set-times.js';
import { encodeOpenRead } from '../../../src/igfs/protocol/requests/open-read.js';
import { encodeOpenAppend } from '../../../src/igfs/protocol/requests/open-append.js';
import { encodeOpenCreate } from '../../../src/igfs/protocol/requests/open-create.js';
import { encodeClose } from '../../../src/igfs/protocol/requests/close.js';
import { encodeReadBlock } from '../../../src/igfs/protocol/requests/read-block.js';
import { encodeWriteBlockHeader } from '../../../src/igfs/protocol/requests/write-block.js';
import { encodeModeResolver } from '../../../src/igfs/protocol/requests/mode-resolver.js';
import { InvalidPathError } from '../../../src/igfs/errors.js';

const { concat, requestHeader: hdr, pathCtrl, i32, i64 } = fb;

function same(actual: Buffer, expected: Buffer): void {
  assert.equal(actual.toString('hex'), expected.toString('hex'));
}

test('§3.2 worked example: HANDSHAKE reqId 0, "igfs", null log dir (32 bytes)', () => {
  const golden = Buffer.from(fb.hex('00 00 00 00 00 00 00 00 | 00 00 00 00 | 00 00 00 00 00 00 00 00 | 00 00 00 00 | 00 00 04 69 67 66 73 | 01'));
  assert.equal(golden.length, 32);
  same(encodeHandshake(0, { igfsName: 'igfs', logDirectory: null }), golden);
});

test('§3.2 worked example: EXISTS "/a", reqId 1, null user, null props', () => {
  const golden = Buffer.from(fb.hex(`00 00 00 00 00 00 00 01 | 00 00 00 02 | ${'00 '.repeat(12)} | 01 | 01 00 00 02 2F 61 | 00 | 00 | 00 | FF FF FF FF`));
  same(encodeExists(1, { path: '/a' }), golden);
});

test('§3.2 worked example: READ_BLOCK reqId 7, stream 3, 65536 bytes at 131072', () => {
  const golden = Buffer.from(fb.hex('00 00 00 00 00 00 00 07 | 00 00 00 11 | 00 00 00 00 00 00 00 03 | 00 01 00 00 | 00 00 00 00 00 02 00 00'));
  same(encodeReadBlock(7, 3, 131072, 65536), golden);
});

test('§3.2 worked example: WRITE_BLOCK header, stream 3, 5 bytes, reqId -1', () => {
  const golden = Buffer.from(fb.hex('FF FF FF FF FF FF FF FF | 00 00 00 12 | 00 00 00 00 00 00 00 03 | 00 00 00 05'));
  same(encodeWriteBlockHeader(3, 5), golden);
});

test('HANDSHAKE with null name and a log directory', () => {
  same(encodeHandshake(5, { igfsName: null, logDirectory: '/tmp/l' }), concat(hdr(5, 0), fb.nstr(null), fb.nstr('/tmp/l')));
});

test('STATUS and MODE_RESOLVER are header-only', () => {
  same(encodeStatus(9), concat(hdr(9, 1)));
  same(encodeModeResolver(10), concat(hdr(10, 20)));
});

test('plain path commands: EXISTS, INFO, PATH_SUMMARY, LIST_PATHS, LIST_FILES with a user', () => {
  const cases: [typeof encodeInfo, number][] = [
    [encodeExists, 2], [encodeInfo, 3], [encodePathSummary, 4], [encodeListPaths, 9], [encodeListFiles, 10],
  ];
  for (const [encode, cmd] of cases) {
    same(encode(42, { path: '/dir/file', userName: 'bob' }), concat(hdr(42, cmd), pathCtrl({ user: 'bob', path: '/dir/file' })));
  }
});

test('UPDATE carries its props map, null values included (remove the key)', () => {
  same(
    encodeUpdate(3, { path: '/f', props: new Map([['permission', '0644'], ['gone', null]]) }),
    concat(hdr(3, 5), pathCtrl({ path: '/f', props: [['permission', '0644'], ['gone', null]] })),
  );
  same(encodeUpdate(3, { path: '/f', props: { a: 'b' } }), concat(hdr(3, 5), pathCtrl({ path: '/f', props: [['a', 'b']] })));
});

test('RENAME puts the destination in destPath', () => {
  same(encodeRename(4, { path: '/a', destPath: '/b/c' }), concat(hdr(4, 6), pathCtrl({ path: '/a', dest: '/b/c' })));
});

test('DELETE flag is recursive', () => {
  same(encodeDelete(5, { path: '/a', recursive: true }), concat(hdr(5, 7), pathCtrl({ path: '/a', flag: true })));
  same(encodeDelete(5, { path: '/a', recursive: false }), concat(hdr(5, 7), pathCtrl({ path: '/a', flag: false })));
});

test('MAKE_DIRECTORIES with and without props', () => {
  same(encodeMakeDirectories(6, { path: '/a/b' }), concat(hdr(6, 8), pathCtrl({ path: '/a/b', props: null })));
  same(encodeMakeDirectories(6, { path: '/a/b', props: { permission: '0755' } }), concat(hdr(6, 8), pathCtrl({ path: '/a/b', props: [['permission', '0755']] })));
  same(encodeMakeDirectories(6, { path: '/a/b', props: {} }), concat(hdr(6, 8), pathCtrl({ path: '/a/b', props: [] })));
});

test('AFFINITY tail: start, length', () => {
  same(encodeAffinity(7, { path: '/f', start: 1 << 20, length: 2 ** 40 }), concat(hdr(7, 11), pathCtrl({ path: '/f' }), i64(1 << 20), i64(2 ** 40)));
});

test('SET_TIMES tail: access time first, then modification time', () => {
  same(
    encodeSetTimes(8, { path: '/f', accessTimeMs: 1_700_000_000_123, modificationTimeMs: -1 }),
    concat(hdr(8, 12), pathCtrl({ path: '/f' }), i64(1_700_000_000_123), i64(-1)),
  );
});

test('OPEN_READ: flag + i32 only when a prefetch hint is given', () => {
  same(encodeOpenRead(9, { path: '/f' }), concat(hdr(9, 13), pathCtrl({ path: '/f', flag: false })));
  same(encodeOpenRead(9, { path: '/f', seqReadsBeforePrefetch: 3 }), concat(hdr(9, 13), pathCtrl({ path: '/f', flag: true }), i32(3)));
});

test('OPEN_APPEND flag is create', () => {
  same(encodeOpenAppend(10, { path: '/f', create: true, props: { k: 'v' } }), concat(hdr(10, 14), pathCtrl({ path: '/f', flag: true, props: [['k', 'v']] })));
});

test('OPEN_CREATE: overwrite, colocate, props, replication, blockSize', () => {
  same(
    encodeOpenCreate(11, { path: '/f', overwrite: true, colocate: true, props: { permission: '0644' }, replication: 2, blockSize: 65536 }),
    concat(hdr(11, 15), pathCtrl({ path: '/f', flag: true, colocate: true, props: [['permission', '0644']] }), i32(2), i64(65536)),
  );
  same(encodeOpenCreate(11, { path: '/f', overwrite: false }), concat(hdr(11, 15), pathCtrl({ path: '/f' }), i32(0), i64(0)));
});

test('CLOSE carries the stream id in the header only', () => {
  same(encodeClose(12, 2 ** 33 + 5), concat(hdr(12, 16, 2 ** 33 + 5)));
});

test('large request ids and stream ids keep all 64 bits', () => {
  same(encodeReadBlock(2 ** 52 + 1, 2 ** 40 + 7, 2 ** 45, 1), concat(hdr(2 ** 52 + 1, 17, 2 ** 40 + 7, 1), i64(2 ** 45)));
});

test('paths with NUL-free non-ASCII characters encode as modified UTF-8 inside nstr', () => {
  const p = '/данные/数据/😀';
  same(encodeInfo(1, { path: p }), concat(hdr(1, 3), pathCtrl({ path: p })));
});

test('a 20,000-character property value is sent as lstr chunks of 16383 + 3617 units', () => {
  const value = 'é'.repeat(20_000);
  const bytes = encodeMakeDirectories(1, { path: '/d', props: { big: value } });
  same(bytes, concat(hdr(1, 8), pathCtrl({ path: '/d', props: [['big', value]] })));
  // and spelled out: count 20000, then a 16383-unit jutf (32766 bytes) and a 3617-unit one (7234 bytes)
  const tail = concat(i32(20_000), fb.u16(32766), fb.mutf8('é'.repeat(16383)), fb.u16(7234), fb.mutf8('é'.repeat(3617)));
  assert.equal(bytes.subarray(bytes.length - tail.length).toString('hex'), tail.toString('hex'));
});

test('invalid paths are refused before any bytes are produced', () => {
  for (const bad of ['', 'a', 'a/b', '/a/', '/a//b', '/./a', '/a/..', '/a\0b', '/' + 'x'.repeat(65535)]) {
    assert.throws(() => encodeExists(1, { path: bad }), InvalidPathError, JSON.stringify(bad.slice(0, 20)));
  }
  assert.throws(() => encodeRename(1, { path: '/a', destPath: 'b' }), InvalidPathError);
  for (const lone of ['/a\ud800', '/\udc00b', '/x\ud83d\ud83d']) {
    assert.throws(() => encodeInfo(1, { path: lone }), (e: unknown) => e instanceof InvalidPathError && e.reason === 'unpaired-surrogate');
  }
  assert.doesNotThrow(() => encodeInfo(1, { path: '/😀/\ud83d\ude00' }));
  // exactly 65535 encoded bytes is still fine; a 3-byte char over the limit is not
  assert.doesNotThrow(() => encodeExists(1, { path: '/' + 'x'.repeat(65534) }));
  assert.throws(() => encodeExists(1, { path: '/' + 'x'.repeat(65532) + '€' }), InvalidPathError);
});

test('READ_BLOCK refuses non-positive lengths; WRITE_BLOCK refuses negative ones', () => {
  assert.throws(() => encodeReadBlock(1, 1, 0, 0), RangeError);
  assert.throws(() => encodeWriteBlockHeader(1, -1), RangeError);
});
