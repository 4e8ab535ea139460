// Connection and client behaviour that needs replies a real node cannot be told to produce: a chosen reply order,
// write-error notices, garbage, silence, dropped sockets. (The same features run against the real node in
// test/integration/igfs.)

import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fb from '../../support/frame-builder.js';
import { IgfsConnection, parseEndpoint } from '../../../src/igfs/connection.js';
import { IgfsClient } from '../../../src/igfs/client.js';
import { ConnectError, ConnectionClosedError, ProtocolError, ServerError, TimeoutError } from '../../../src/igfs/errors.js';
import { encodeStatus } from '../../../src/igfs/protocol/requests/status.js';
import { ScriptedServer, boolReply, deadPort, longReply, statusReply, type ReceivedRequest } from './scripted-server.js';

let srv: ScriptedServer;
before(async () => {
  srv = await ScriptedServer.start();
});
after(async () => {
  await srv.stop();
});

const opts = { igfsName: null, connectTimeoutMs: 5000, requestTimeoutMs: 10_000 };

function status(conn: IgfsConnection, timeoutMs?: number): Promise<unknown> {
  return conn.request((id) => encodeStatus(id), 'STATUS', timeoutMs);
}

test('the handshake is the first frame and carries reqId 0; later ids count up', async () => {
  const seen: ReceivedRequest[] = [];
  let firstFrame: { reqId: number; cmd: number } | null = null;
  srv.answerHandshake = false;
  srv.onRequest = (r) => {
    firstFrame ??= { reqId: r.reqId, cmd: r.cmd };
    if (r.cmd === 0) r.socket.write(fb.concat(fb.responseHeader(r.reqId, 10), fb.bool(true), fb.nstr('igfs'), fb.i64(64), fb.bool(false)));
    else {
      seen.push(r);
      r.socket.write(statusReply(r.reqId, 1, 2));
    }
  };
  try {
    const conn = await IgfsConnection.connect(parseEndpoint(srv.endpoint), opts);
    assert.deepEqual(firstFrame, { reqId: 0, cmd: 0 });
    await status(conn);
    await status(conn);
    assert.deepEqual(seen.map((r) => r.reqId), [1, 2]);
    conn.close();
  } finally {
    srv.answerHandshake = true;
  }
});

test('replies are matched by id when they come back out of order', async () => {
  const held: ReceivedRequest[] = [];
  srv.onRequest = (r) => {
    held.push(r);
    if (held.length === 3) {
      // answer 3, 1, 2 -- and coalesce them into one TCP write
      const order = [held[2], held[0], held[1]];
      r.socket.write(Buffer.concat(order.map((h) => statusReply(h.reqId, h.reqId * 10, h.reqId * 100))));
    }
  };
  const conn = await IgfsConnection.connect(parseEndpoint(srv.endpoint), opts);
  const results = await Promise.all([status(conn), status(conn), status(conn)]);
  assert.deepEqual(results, [1, 2, 3].map((id) => ({ type: 'status', value: { spaceUsed: id * 10, spaceTotal: id * 100 } })));
  conn.close();
});

test('a write-error notice (reqId -1, resType 9) is raised at the next write and at close', async () => {
  let written = 0;
  srv.onRequest = (r) => {
    if (r.cmd === 15) r.socket.write(longReply(r.reqId, 5));
    if (r.cmd === 18) {
      assert.equal(r.reqId, -1);
      assert.equal(r.streamId, 5);
      written += r.body.length;
      r.socket.write(fb.errorReply(-1, 'Failed to write data to file', 0, 5));
    }
    if (r.cmd === 16) r.socket.write(boolReply(r.reqId, true));
  };
  const client = new IgfsClient({ endpoints: srv.endpoint, poolSize: 1 });
  try {
    const w = await client.openCreate('/f');
    await w.write(Buffer.from('abc'));
    // the notice arrives asynchronously; a status round trip guarantees it has been read
    srv.onRequest = ((prev) => (r: ReceivedRequest) => (r.cmd === 1 ? r.socket.write(statusReply(r.reqId, 0, 0)) : prev(r)))(srv.onRequest);
    await client.status();
    await assert.rejects(w.write(Buffer.from('def')), (e: unknown) => e instanceof ServerError && e.streamId === 5 && e.code === 0);
    await assert.rejects(w.close(), (e: unknown) => e instanceof ServerError && e.streamId === 5);
    assert.equal(written, 3);
  } finally {
    client.close();
  }
});

test('a reply that does not parse rejects every pending request and closes the connection', async () => {
  let n = 0;
  srv.onRequest = (r) => {
    if (++n === 2) {
      const garbage = Buffer.from(fb.concat(fb.responseHeader(r.reqId, 0), fb.bool(true)));
      garbage.writeInt32BE(77, 8); // not CONTROL_RESPONSE
      r.socket.write(garbage);
    }
  };
  const conn = await IgfsConnection.connect(parseEndpoint(srv.endpoint), opts);
  const a = status(conn);
  const b = status(conn);
  for (const p of [a, b]) {
    await assert.rejects(p, (e: unknown) => e instanceof ConnectionClosedError && e.cause instanceof ProtocolError);
  }
  assert.equal(conn.closed, true);
  await assert.rejects(status(conn), (e: unknown) => e instanceof ConnectionClosedError && e.requestSent === false);
});

test('a reply for an id nobody asked for is a protocol error', async () => {
  srv.onRequest = (r) => r.socket.write(statusReply(r.reqId + 1000, 0, 0));
  const conn = await IgfsConnection.connect(parseEndpoint(srv.endpoint), opts);
  await assert.rejects(status(conn), (e: unknown) => e instanceof ConnectionClosedError && e.cause instanceof ProtocolError);
});

test('a reply cut off by the peer closing is reported as a truncated frame', async () => {
  srv.onRequest = (r) => {
    const reply = statusReply(r.reqId, 1, 2);
    r.socket.end(reply.subarray(0, reply.length - 3));
  };
  const conn = await IgfsConnection.connect(parseEndpoint(srv.endpoint), opts);
  await assert.rejects(status(conn), (e: unknown) => e instanceof ConnectionClosedError && e.cause instanceof ProtocolError && /truncated/.test(e.cause.message));
});

test('a silent peer: the request times out, a late reply is dropped, the connection keeps working', async () => {
  const held: ReceivedRequest[] = [];
  srv.onRequest = (r) => held.push(r);
  const conn = await IgfsConnection.connect(parseEndpoint(srv.endpoint), opts);
  await assert.rejects(status(conn, 100), (e: unknown) => e instanceof TimeoutError && e.timeoutMs === 100);
  srv.onRequest = (r) => r.socket.write(statusReply(r.reqId, 7, 8));
  held[0].socket.write(statusReply(held[0].reqId, 1, 1)); // late
  assert.deepEqual(await status(conn), { type: 'status', value: { spaceUsed: 7, spaceTotal: 8 } });
  assert.equal(conn.closed, false);
  conn.close();
});

test('a peer that accepts but never answers the handshake: TimeoutError, then the socket is closed', async () => {
  srv.answerHandshake = false;
  srv.onRequest = () => undefined;
  try {
    const client = new IgfsClient({ endpoints: srv.endpoint, requestTimeoutMs: 150 });
    await assert.rejects(client.status(), TimeoutError);
    client.close();
  } finally {
    srv.answerHandshake = true;
  }
});

test('nothing listening: ConnectError naming every endpoint tried', async () => {
  const p1 = await deadPort();
  const p2 = await deadPort();
  const client = new IgfsClient({ endpoints: [`127.0.0.1:${p1}`, `127.0.0.1:${p2}`] });
  await assert.rejects(client.status(), (e: unknown) => e instanceof ConnectError && e.endpoints.length === 2);
  client.close();
});

test('endpoints are tried in order: a dead first endpoint falls through to a live one', async () => {
  srv.onRequest = (r) => r.socket.write(statusReply(r.reqId, 3, 4));
  const client = new IgfsClient({ endpoints: [`127.0.0.1:${await deadPort()}`, srv.endpoint] });
  assert.deepEqual(await client.status(), { spaceUsed: 3, spaceTotal: 4 });
  client.close();
});

test('a dropped connection: idempotent calls retry on a fresh one; others fail with ConnectionClosedError', async () => {
  let drop = true;
  srv.onRequest = (r) => {
    if (drop) {
      drop = false;
      r.socket.destroy();
      return;
    }
    r.socket.write(r.cmd === 1 ? statusReply(r.reqId, 5, 6) : boolReply(r.reqId, true));
  };
  const before = srv.connections;
  const client = new IgfsClient({ endpoints: srv.endpoint, poolSize: 1 });
  try {
    assert.deepEqual(await client.status(), { spaceUsed: 5, spaceTotal: 6 });
    assert.equal(srv.connections - before, 2);
    drop = true;
    await assert.rejects(client.delete('/x'), ConnectionClosedError);
    // the next call reconnects
    assert.equal(await client.delete('/x'), true);
    assert.equal(srv.connections - before, 3);
  } finally {
    client.close();
  }
});

test('WRITE_BLOCK honours backpressure: a peer that stops reading stalls the writer, nothing is buffered whole', async () => {
  const hash = createHash('sha256');
  let received = 0;
  let paused: import('node:net').Socket | null = null;
  srv.onRequest = (r) => {
    if (r.cmd === 15) {
      r.socket.write(longReply(r.reqId, 1));
      r.socket.pause();
      paused = r.socket;
    } else if (r.cmd === 18) {
      hash.update(r.body);
      received += r.body.length;
    } else if (r.cmd === 16) {
      r.socket.write(boolReply(r.reqId, true));
    }
  };
  const client = new IgfsClient({ endpoints: srv.endpoint, poolSize: 1, writeBlockBytes: 256 * 1024 });
  try {
    const w = await client.openCreate('/big');
    const data = Buffer.alloc(64 * 1024 * 1024);
    for (let i = 0; i < data.length; i += 4096) data.writeUInt32BE(i, i);
    let settled = false;
    const writing = w.write(data).finally(() => {
      settled = true;
    });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(settled, false, 'write must wait for the peer to read');
    assert.ok(w.bytesWritten < data.length, `only part handed to the socket (${w.bytesWritten})`);
    (paused as unknown as import('node:net').Socket).resume();
    await writing;
    await w.close();
    assert.equal(received, data.length);
    assert.equal(hash.digest('hex'), createHash('sha256').update(data).digest('hex'));
  } finally {
    client.close();
  }
});

test('a peer that stops reading forever: the blocked write fails with TimeoutError instead of hanging', async () => {
  srv.onRequest = (r) => {
    if (r.cmd === 15) {
      r.socket.write(longReply(r.reqId, 1));
      r.socket.pause();
    }
  };
  const client = new IgfsClient({ endpoints: srv.endpoint, poolSize: 1, requestTimeoutMs: 2000 });
  try {
    const w = await client.openCreate('/stuck');
    await assert.rejects(w.write(Buffer.alloc(64 * 1024 * 1024)), TimeoutError);
  } finally {
    client.close();
  }
});

test('a write-error notice for a stream closed on our side does not poison other writers', async () => {
  let nextStream = 10;
  srv.onRequest = (r) => {
    if (r.cmd === 15) r.socket.write(longReply(r.reqId, nextStream++));
    if (r.cmd === 16) {
      r.socket.write(boolReply(r.reqId, true));
      if (r.streamId === 10) r.socket.write(fb.errorReply(-1, 'late failure', 0, 10));
    }
    if (r.cmd === 1) r.socket.write(statusReply(r.reqId, 0, 0));
  };
  const client = new IgfsClient({ endpoints: srv.endpoint, poolSize: 1 });
  try {
    const a = await client.openCreate('/a');
    const b = await client.openCreate('/b');
    await a.close();
    await client.status(); // the late notice has been read by now
    await b.write(Buffer.from('fine'));
    await b.close();
  } finally {
    client.close();
  }
});

test('a READ_BLOCK reply longer than asked for closes the connection as a protocol error', async () => {
  srv.onRequest = (r) => {
    if (r.cmd === 13) r.socket.write(fb.concat(fb.responseHeader(r.reqId, 3), fb.bool(true), fb.i64(0), fb.i64(100)));
    if (r.cmd === 17) r.socket.write(fb.concat(fb.responseHeader(r.reqId, 8, false, 1 << 30)));
  };
  const client = new IgfsClient({ endpoints: srv.endpoint, poolSize: 1, retries: 0 });
  try {
    const reader = await client.openRead('/f');
    await assert.rejects(reader.read(0, 10), (e: unknown) => e instanceof ConnectionClosedError && e.cause instanceof ProtocolError && /asked for 10/.test(e.cause.message));
  } finally {
    client.close();
  }
});
