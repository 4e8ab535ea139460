// Transport behaviour against the real node, plus two listeners of the test's own (nothing listening; a peer that
// accepts and never answers).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { DEFAULT_IGFS_ENDPOINT, newClient, startInstance, uniqueDir } from './ignite-node.js';
import { IgfsClient } from '../../../src/igfs/client.js';
import { IgfsConnection, parseEndpoint } from '../../../src/igfs/connection.js';
import { ConnectError, TimeoutError } from '../../../src/igfs/errors.js';
import { encodeExists } from '../../../src/igfs/protocol/requests/exists.js';
import { encodeOpenRead } from '../../../src/igfs/protocol/requests/open-read.js';
import { encodeReadBlock } from '../../../src/igfs/protocol/requests/read-block.js';
import { encodeHandshake } from '../../../src/igfs/protocol/requests/handshake.js';
import * as fb from '../../support/frame-builder.js';

let client: IgfsClient;
let d: string;

before(async () => {
  await startInstance();
  client = newClient();
  d = uniqueDir('transport');
  await client.mkdirs(d);
});

after(async () => {
  await client.delete(d, { recursive: true });
  client.close();
});

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

test('a port where nothing listens: ConnectError (well before the connect timeout)', async () => {
  const c = new IgfsClient({ endpoints: `127.0.0.1:${await freePort()}`, connectTimeoutMs: 60_000 });
  const started = process.hrtime.bigint();
  await assert.rejects(c.exists('/'), ConnectError);
  // Not a timing assertion on the server: refusal must not wait for the 60 s connect timeout.
  assert.ok(process.hrtime.bigint() - started < 30_000_000_000n, 'refused connection reported without waiting for the timeout');
  c.close();
});

test('a dead endpoint before the real one: the client falls through to the next endpoint', async () => {
  const c = new IgfsClient({ endpoints: [`127.0.0.1:${await freePort()}`, DEFAULT_IGFS_ENDPOINT] });
  assert.equal(await c.exists('/'), true);
  c.close();
});

test('a listener that accepts and never answers: TimeoutError within the deadline', async () => {
  const sockets: net.Socket[] = [];
  const silent = net.createServer((s) => {
    sockets.push(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const port = (silent.address() as net.AddressInfo).port;
  const deadlineMs = 300;
  const c = new IgfsClient({ endpoints: `127.0.0.1:${port}`, requestTimeoutMs: deadlineMs });
  try {
    const started = process.hrtime.bigint();
    await assert.rejects(c.exists('/'), (e: unknown) => e instanceof TimeoutError && e.timeoutMs === deadlineMs);
    // Guard against a hang, with a generous multiple of the deadline.
    assert.ok(process.hrtime.bigint() - started < BigInt(deadlineMs * 50) * 1_000_000n);
    assert.equal(sockets.length, 1);
  } finally {
    c.close();
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => silent.close(() => r()));
  }
});

test('out-of-order replies from the real node are matched to their requests', async (t) => {
  const f = `${d}/big`;
  const size = 8 * 1024 * 1024;
  const data = Buffer.alloc(size);
  for (let i = 0; i < size; i += 4) data.writeUInt32BE(i, i);
  await client.writeFile(f, data);
  await client.writeFile(`${d}/small`, Buffer.from('s'));
  const conn = await IgfsConnection.connect(parseEndpoint(DEFAULT_IGFS_ENDPOINT), { igfsName: null, connectTimeoutMs: 5000, requestTimeoutMs: 60_000 });
  try {
    const open = await conn.request((id) => encodeOpenRead(id, { path: f }), 'OPEN_READ');
    assert.equal(open.type, 'stream-descriptor');
    const streamId = open.type === 'stream-descriptor' && open.value ? open.value.streamId : -1;
    // Big reads interleaved with tiny EXISTS calls; the pool answers the EXISTS first whenever it can.
    for (let round = 0; round < 20 && conn.outOfOrderReplies === 0; round++) {
      const ops: Promise<void>[] = [];
      for (let i = 0; i < 4; i++) {
        const pos = i * 2 * 1024 * 1024;
        ops.push(conn.request((id) => encodeReadBlock(id, streamId, pos, 2 * 1024 * 1024), 'READ_BLOCK', undefined, 2 * 1024 * 1024).then((b) => {
          assert.equal(b.type, 'bytes');
          if (b.type === 'bytes') assert.ok(b.value.equals(data.subarray(pos, pos + 2 * 1024 * 1024)), `block at ${pos}`);
        }));
        for (const [p, expected] of [[`${d}/small`, true], [`${d}/none`, false]] as const) {
          ops.push(conn.request((id) => encodeExists(id, { path: p }), 'EXISTS').then((b) => assert.deepEqual(b, { type: 'boolean', value: expected })));
        }
      }
      await Promise.all(ops);
    }
    t.diagnostic(`out-of-order replies observed: ${conn.outOfOrderReplies}`);
    assert.ok(conn.outOfOrderReplies > 0, 'the node answered out of order at least once in 20 rounds');
  } finally {
    conn.close();
  }
});

test('raw reply bytes of the real node match igfs-protocol.md §3.2 (handshake, EXISTS)', async () => {
  const sock = net.connect(Number(DEFAULT_IGFS_ENDPOINT.split(':')[1]), '127.0.0.1');
  let got = Buffer.alloc(0);
  const waiters: (() => void)[] = [];
  sock.on('data', (c: Buffer) => {
    got = Buffer.concat([got, c]);
    waiters.splice(0).forEach((w) => w());
  });
  const readExactly = async (n: number): Promise<Buffer> => {
    while (got.length < n) await new Promise<void>((r) => waiters.push(r));
    const out = got.subarray(0, n);
    got = got.subarray(n);
    return out;
  };
  try {
    await new Promise<void>((r) => sock.once('connect', () => r()));
    sock.write(encodeHandshake(0, { igfsName: 'igfs' }));
    // 33-byte header + hasVal + nstr "igfs" (7) + i64 group block size + hasSampling = 50 bytes
    const hs = await readExactly(50);
    const groupBlockSize = Number(hs.readBigInt64BE(41));
    assert.equal(hs.toString('hex'), fb.concat(fb.responseHeader(0, 10), fb.bool(true), fb.nstr('igfs'), fb.i64(groupBlockSize), fb.bool(false)).toString('hex'));
    sock.write(encodeExists(1, { path: '/' }));
    assert.equal((await readExactly(34)).toString('hex'), fb.concat(fb.responseHeader(1, 0), fb.bool(true)).toString('hex'));
    assert.equal(got.length, 0);
  } finally {
    sock.destroy();
  }
});
