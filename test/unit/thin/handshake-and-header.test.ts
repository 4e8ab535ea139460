import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ByteReader } from '../../../src/thin/protocol/byte-reader.js';
import { decodeHandshakeReply, encodeHandshake } from '../../../src/thin/protocol/handshake.js';
import { decodeReplyHeader, encodeRequest } from '../../../src/thin/protocol/message.js';
import { version } from '../../../src/thin/protocol/version.js';
import { b, i16, i32, i64, T } from './golden.js';

describe('handshake', () => {
  it('encodes length, code 1, version, client code 2', () => {
    assert.equal(encodeHandshake(version(1, 6)).toString('hex'), b(i32(8), [1], i16(1), i16(6), i16(0), [2]).toString('hex'));
  });

  it('adds username and password as Strings (1.1.0+)', () => {
    const want = b(i32(8 + 11 + 11), [1], i16(1), i16(2), i16(0), [2], T.string('ignite'), T.string('secret'));
    assert.equal(encodeHandshake(version(1, 2), { username: 'ignite', password: 'secret' }).toString('hex'), want.toString('hex'));
  });

  it('decodes acceptance with the node id (1.4.0+) and without (1.3.0)', () => {
    const ok = decodeHandshakeReply(b([1], T.uuid(0x0102030405060708n, 0x090a0b0c0d0e0f10n)), version(1, 6));
    assert.deepEqual(ok, { accepted: true, nodeId: '01020304-0506-0708-090a-0b0c0d0e0f10' });
    assert.deepEqual(decodeHandshakeReply(b([1]), version(1, 3)), { accepted: true, nodeId: undefined });
  });

  it('decodes a version refusal and an authentication failure', () => {
    const refused = decodeHandshakeReply(b([0], i16(1), i16(4), i16(0), T.string('Unsupported version.'), i32(1)), version(1, 7));
    assert.deepEqual(refused, { accepted: false, serverVersion: version(1, 4), message: 'Unsupported version.', status: 1 });
    const auth = decodeHandshakeReply(b([0], i16(0), i16(0), i16(0), T.string('The user name or password is incorrect'), i32(2000)), version(1, 6));
    assert.equal(auth.accepted, false);
    assert.equal(!auth.accepted && auth.status, 2000);
    // 1.0.0 servers send no status
    const old = decodeHandshakeReply(b([0], i16(1), i16(0), i16(0), T.string('x')), version(1, 6));
    assert.equal(!old.accepted && old.status, 1);
  });
});

describe('request and reply headers', () => {
  it('request: length, op code, request id, body', () => {
    const got = encodeRequest(2000, 0x1122334455667788n, (w) => w.i32(5).u8(1));
    assert.equal(got.toString('hex'), b(i32(15), i16(2000), i64(0x1122334455667788n), i32(5), [1]).toString('hex'));
  });

  it('reply before 1.4.0: request id, status, message on error', () => {
    const ok = decodeReplyHeader(b(i64(7n), i32(0), [0xaa]), version(1, 3));
    assert.deepEqual([ok.requestId, ok.status, ok.errorMessage, ok.bodyOffset], [7n, 0, undefined, 12]);
    const err = decodeReplyHeader(b(i64(8n), i32(1000), T.string('Cache does not exist')), version(1, 2));
    assert.deepEqual([err.status, err.errorMessage], [1000, 'Cache does not exist']);
  });

  it('reply from 1.4.0: flags, topology version when changed, status only on error', () => {
    const ok = decodeReplyHeader(b(i64(7n), i16(0), [0xaa]), version(1, 6));
    assert.deepEqual([ok.status, ok.bodyOffset, ok.topologyVersion], [0, 10, undefined]);
    const topo = decodeReplyHeader(b(i64(7n), i16(2), i64(5n), i32(1), [0xaa]), version(1, 4));
    assert.deepEqual([topo.status, topo.bodyOffset, topo.topologyVersion], [0, 22, { major: 5n, minor: 1 }]);
    const both = decodeReplyHeader(b(i64(9n), i16(3), i64(6n), i32(0), i32(1), T.string('boom')), version(1, 5));
    assert.deepEqual([both.status, both.errorMessage, both.topologyVersion?.major], [1, 'boom', 6n]);
  });

  it('ByteReader reads a reply body from its offset', () => {
    const msg = b(i64(1n), i16(0), i32(42));
    const h = decodeReplyHeader(msg, version(1, 6));
    assert.equal(new ByteReader(msg, h.bodyOffset).i32(), 42);
  });
});
