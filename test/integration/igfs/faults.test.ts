// Faults between the client and the real node (test/support/fault-proxy.ts), and a node restart (an instance of
// our own: the default instance is never stopped).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_IGFS_ENDPOINT, igfsEndpointOf, newClient, startInstance, stopInstance, uniqueDir } from './ignite-node.js';
import { FaultProxy } from '../../support/fault-proxy.js';
import { IgfsClient } from '../../../src/igfs/client.js';
import { IgfsConnection, parseEndpoint } from '../../../src/igfs/connection.js';
import { encodeExists } from '../../../src/igfs/protocol/requests/exists.js';
import { ConnectError, ConnectionClosedError, ProtocolError, ServerError, TimeoutError } from '../../../src/igfs/errors.js';

let direct: IgfsClient;
let proxy: FaultProxy;
let d: string;

before(async () => {
  await startInstance();
  direct = newClient();
  d = uniqueDir('faults');
  await direct.writeFile(`${d}/f`, Buffer.from('fault test'));
  const port = Number(DEFAULT_IGFS_ENDPOINT.split(':')[1]);
  proxy = await FaultProxy.start({ targetPort: port });
});

after(async () => {
  await proxy.close();
  await direct.delete(d, { recursive: true });
  direct.close();
});

function proxied(options: ConstructorParameters<typeof IgfsClient>[0] = {}): IgfsClient {
  return new IgfsClient({ endpoints: proxy.endpoint, poolSize: 1, requestTimeoutMs: 30_000, ...options });
}

function closedByProtocolError(e: unknown): boolean {
  assert.ok(e instanceof ConnectionClosedError, `expected ConnectionClosedError, got ${String(e)}`);
  assert.ok(e.cause instanceof ProtocolError, `cause should be a ProtocolError, got ${String(e.cause)}`);
  return true;
}

test('a corrupted reply: ProtocolError closes the connection, pending requests fail, the next call reconnects', async () => {
  proxy.setFault({ kind: 'pass' });
  const c = proxied({ retries: 0 });
  try {
    assert.equal(await c.exists(`${d}/f`), true);
    const conn = proxy.openConnections.at(-1);
    assert.ok(conn);
    // byte 8 of the next reply is its command field (always 19): flip it
    conn.setFault({ kind: 'corrupt', offset: 8, xor: 0xff });
    const pending = [c.info(`${d}/f`), c.exists(`${d}/f`), c.listPaths(d)];
    for (const p of pending) await assert.rejects(p, closedByProtocolError);
    assert.equal(String(await c.readFile(`${d}/f`)), 'fault test'); // fresh connection
  } finally {
    c.close();
  }
});

test('a corrupted string inside a reply body (4-byte UTF-8 lead byte) is a ProtocolError too', async () => {
  proxy.setFault({ kind: 'pass' });
  const c = proxied({ retries: 0 });
  try {
    await c.connect();
    const conn = proxy.openConnections.at(-1);
    assert.ok(conn);
    // INFO reply: 33-byte header, hasVal, nstr null flag, u16 length, then the path's first byte ('/')
    conn.setFault({ kind: 'corrupt', offset: 33 + 1 + 1 + 2, replace: Uint8Array.from([0xf0]) });
    await assert.rejects(c.info(`${d}/f`), closedByProtocolError);
    assert.equal(await c.exists(`${d}/f`), true);
  } finally {
    c.close();
  }
});

test('a truncated reply (connection closed mid-frame): ConnectionClosedError caused by a truncated frame', async () => {
  proxy.setFault({ kind: 'pass' });
  const c = proxied({ retries: 0 });
  try {
    await c.connect();
    const conn = proxy.openConnections.at(-1);
    assert.ok(conn);
    conn.setFault({ kind: 'truncate', keepBytes: 20 });
    await assert.rejects(c.info(`${d}/f`), (e: unknown) => closedByProtocolError(e) && /truncated/.test(String((e as Error).cause)));
    assert.equal((await c.info(`${d}/f`))?.length, 10);
  } finally {
    c.close();
  }
});

test('a truncated READ_BLOCK payload fails the read; the process and the next reader are fine', async () => {
  const big = `${d}/payload`;
  await direct.writeFile(big, Buffer.alloc(1 << 20, 3));
  proxy.setFault({ kind: 'pass' });
  const c = proxied({ retries: 0 });
  try {
    const r = await c.openRead(big);
    const conn = proxy.openConnections.at(-1);
    assert.ok(conn);
    conn.setFault({ kind: 'truncate', keepBytes: 33 + 1000 });
    await assert.rejects(r.read(0, 1 << 20), closedByProtocolError);
    const again = await c.readFile(big);
    assert.ok(again.equals(Buffer.alloc(1 << 20, 3)));
  } finally {
    c.close();
  }
});

test('a stalled reply: TimeoutError within the deadline; the connection keeps working afterwards', async () => {
  proxy.setFault({ kind: 'pass' });
  // The short deadline applies to the stalled request only, not to the handshake (the machine may be busy).
  const conn = await IgfsConnection.connect(parseEndpoint(proxy.endpoint), { igfsName: null, connectTimeoutMs: 5000, requestTimeoutMs: 30_000 });
  try {
    const proxiedConn = proxy.openConnections.at(-1);
    assert.ok(proxiedConn);
    proxiedConn.setFault({ kind: 'stall', direction: 'server-to-client' });
    await assert.rejects(conn.request((id) => encodeExists(id, { path: `${d}/f` }), 'EXISTS', 300), (e: unknown) => e instanceof TimeoutError && e.timeoutMs === 300);
    proxiedConn.setFault({ kind: 'pass' }); // the late reply is dropped, the connection keeps working
    assert.deepEqual(await conn.request((id) => encodeExists(id, { path: `${d}/f` }), 'EXISTS'), { type: 'boolean', value: true });
  } finally {
    conn.close();
  }
});

test('a reset connection: idempotent commands retry on a fresh connection; non-idempotent ones report it', async () => {
  proxy.setFault({ kind: 'pass' });
  const c = proxied({ retries: 1 });
  try {
    await c.connect();
    proxy.openConnections.at(-1)?.setFault({ kind: 'stall', direction: 'server-to-client' });
    const pendingInfo = c.info(`${d}/f`);
    await proxy.openConnections.at(-1)?.waitForBytes('fromClient', 1);
    proxy.openConnections.at(-1)?.reset();
    assert.equal((await pendingInfo)?.length, 10); // retried
    await c.connect();
    proxy.openConnections.at(-1)?.setFault({ kind: 'stall', direction: 'server-to-client' });
    const pendingMkdir = c.mkdirs(`${d}/made`);
    const conn = proxy.openConnections.at(-1);
    await conn?.waitForBytes('toServer', 60);
    conn?.reset();
    await assert.rejects(pendingMkdir, ConnectionClosedError);
  } finally {
    c.close();
  }
});

test('a writer whose connection drops: write/close report it, and the server committed what it received', async () => {
  proxy.setFault({ kind: 'pass' });
  const c = proxied();
  const f = `${d}/dropped-writer`;
  try {
    const w = await c.openCreate(f);
    await w.write(Buffer.alloc(100_000, 1));
    const conn = proxy.openConnections.at(-1);
    assert.ok(conn);
    await conn.waitForBytes('toServer', 100_000);
    conn.drop();
    await assert.rejects(async () => {
      // the loss is noticed by the next write or at close at the latest
      await w.write(Buffer.alloc(10, 2));
      await w.close();
    }, ConnectionClosedError);
    // the server closed (committed) the stream when the session ended
    let info = await direct.info(f);
    for (let i = 0; i < 50 && info?.length !== 100_000; i++) {
      await new Promise((r) => setTimeout(r, 100));
      info = await direct.info(f);
    }
    assert.equal(info?.length, 100_000);
    const again = await direct.openAppend(f); // and unlocked it
    await again.close();
  } finally {
    c.close();
  }
});

test('node restart: calls fail while it is down, the client reconnects on the next call once it is back', async (t) => {
  const instance = 'igfs-fault';
  await startInstance(instance);
  const endpoint = await igfsEndpointOf(instance);
  const c = new IgfsClient({ endpoints: endpoint, poolSize: 2, requestTimeoutMs: 30_000, connectTimeoutMs: 5000 });
  try {
    await c.mkdirs('/restart');
    assert.equal(await c.exists('/restart'), true);
    await stopInstance(instance);
    await assert.rejects(c.exists('/restart'), (e: unknown) => {
      t.diagnostic(`while down: ${String(e)}`);
      return e instanceof ConnectError || e instanceof ConnectionClosedError;
    });
    await startInstance(instance);
    const after = await igfsEndpointOf(instance);
    // scripts/ignite may move an instance to another port slot when its ports were taken meanwhile
    assert.equal(after, endpoint, 'the restarted instance kept its IGFS port');
    // in-memory IGFS: the directory is gone after the restart, but the client works again without being rebuilt
    assert.equal(await c.exists('/restart'), false);
    assert.equal(await c.exists('/'), true);
  } finally {
    c.close();
    await stopInstance(instance);
  }
});

test('out of space on 2.8.1: the in-memory region fills, the node halts, the writer gets an error (never silent success)', async () => {
  const instance = 'igfs-space';
  // A 64 MiB IGFS data region; the node's failure handler halts the JVM on IgniteOutOfMemoryException.
  await stopInstance(instance);
  await startInstance(instance, { IGNITE_FUSE_NODE_DATA_MB: '64' });
  const c = new IgfsClient({ endpoints: await igfsEndpointOf(instance), poolSize: 1, requestTimeoutMs: 120_000 });
  try {
    const w = await c.openCreate('/fill');
    const chunk = Buffer.alloc(4 * 1024 * 1024, 5);
    await assert.rejects(async () => {
      for (let i = 0; i < 256; i++) await w.write(chunk); // up to 1 GiB into 64 MiB
      await w.close();
    }, (e: unknown) => e instanceof ConnectionClosedError || e instanceof ServerError);
  } finally {
    c.close();
    await stopInstance(instance);
  }
});
