// The fault proxy observed by a plain Node client through it, against an echo server of this test's own.
// No assertion depends on time: every wait is on an event or a byte count, bounded only to prevent hangs.
import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { FaultProxy, type ProxiedConnection } from '../../support/fault-proxy.js';

const HANG_GUARD_MS = 15_000;

function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`gave up waiting for ${what}`)), HANG_GUARD_MS);
  });
  return Promise.race([promise, guard]).finally(() => clearTimeout(timer));
}

/** An echo server that also records what it received and its sockets. */
class EchoServer {
  received = 0;
  readonly sockets: net.Socket[] = [];
  private readonly server = net.createServer((socket) => {
    this.sockets.push(socket);
    socket.on('data', (chunk) => { this.received += chunk.length; });
    socket.on('error', () => {});
    socket.pipe(socket);
  });

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  async waitForReceived(atLeast: number): Promise<void> {
    while (this.received < atLeast) await new Promise((r) => setImmediate(r));
  }
}

/** A client that collects everything it reads and how the connection ended. */
class Client {
  readonly socket: net.Socket;
  private chunks: Buffer[] = [];
  received = 0;
  gotEnd = false;
  error: NodeJS.ErrnoException | undefined;
  readonly closed: Promise<void>;
  private readonly listeners = new Set<() => void>();

  constructor(port: number) {
    this.socket = net.connect({ host: '127.0.0.1', port });
    this.socket.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.received += chunk.length;
      this.notify();
    });
    this.socket.on('end', () => { this.gotEnd = true; });
    this.socket.on('error', (err) => { this.error = err; });
    this.closed = new Promise((resolve) => this.socket.once('close', () => { this.notify(); resolve(); }));
  }

  data(): Buffer {
    return Buffer.concat(this.chunks);
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }

  /** Resolves with exactly the first `n` bytes received, once there are that many. */
  readBytes(n: number): Promise<Buffer> {
    return within(new Promise<Buffer>((resolve, reject) => {
      const check = () => {
        if (this.received >= n) { this.listeners.delete(check); resolve(this.data().subarray(0, n)); return; }
        if (this.socket.destroyed) {
          this.listeners.delete(check);
          reject(new Error(`closed after ${this.received} of ${n} bytes (error ${this.error?.code})`));
        }
      };
      this.listeners.add(check);
      check();
    }), `${n} bytes`);
  }
}

describe('FaultProxy', () => {
  let echo: EchoServer;
  let proxy: FaultProxy;
  const clients: Client[] = [];

  const connect = () => {
    const c = new Client(proxy.port);
    clients.push(c);
    return c;
  };

  /** A connection that has completed one round trip, so both sockets are up. */
  async function establish(): Promise<{ client: Client; conn: ProxiedConnection }> {
    const client = connect();
    const conn = await within(proxy.nextConnection(), 'a connection');
    client.socket.write('hello');
    assert.equal((await client.readBytes(5)).toString(), 'hello');
    return { client, conn };
  }

  beforeEach(async () => {
    echo = new EchoServer();
    await echo.start();
    proxy = await FaultProxy.start({ targetPort: echo.port });
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) c.socket.destroy();
    await within(proxy.close(), 'proxy close');
    await echo.close();
  });

  test('pass-through forwards bytes unchanged and counts them each way', async () => {
    const client = connect();
    const conn = await within(proxy.nextConnection(), 'a connection');
    const payload = randomBytes(3 * 1024 * 1024 + 17);
    client.socket.end(payload);
    assert.ok((await client.readBytes(payload.length)).equals(payload));
    await within(client.closed, 'close');
    assert.equal(client.gotEnd, true, 'the echo server half-close travels back as a FIN');
    assert.equal(client.error, undefined);
    assert.deepEqual(conn.bytes, {
      fromClient: payload.length, toServer: payload.length, fromServer: payload.length, toClient: payload.length,
    });
    assert.equal(conn.id, 1);
    assert.deepEqual(proxy.connections.map((c) => c.id), [1]);
  });

  test('stall in both directions holds the request until released', async () => {
    const { client, conn } = await establish();
    conn.setFault({ kind: 'stall' });
    const payload = randomBytes(1000);
    client.socket.write(payload);
    await within(conn.waitForBytes('fromClient', 5 + payload.length), 'the proxy to read the request');
    assert.equal(conn.bytes.toServer, 5, 'nothing of the stalled request was forwarded');
    assert.equal(echo.received, 5);
    assert.equal(client.received, 5);
    conn.release();
    assert.ok((await client.readBytes(5 + payload.length)).subarray(5).equals(payload));
  });

  test('stall server-to-client lets the request through but holds the reply', async () => {
    const { client, conn } = await establish();
    conn.setFault({ kind: 'stall', direction: 'server-to-client' });
    const payload = randomBytes(2000);
    client.socket.write(payload);
    await within(conn.waitForBytes('fromServer', 5 + payload.length), 'the reply to reach the proxy');
    assert.equal(echo.received, 5 + payload.length);
    assert.equal(conn.bytes.toClient, 5);
    assert.equal(client.received, 5);
    conn.setFault({ kind: 'pass' });
    assert.ok((await client.readBytes(5 + payload.length)).subarray(5).equals(payload));
  });

  test('stall client-to-server holds only the request', async () => {
    const { client, conn } = await establish();
    conn.setFault({ kind: 'stall', direction: 'client-to-server' });
    client.socket.write('abc');
    await within(conn.waitForBytes('fromClient', 8), 'the proxy to read the request');
    assert.equal(conn.bytes.toServer, 5);
    conn.release();
    assert.equal((await client.readBytes(8)).toString(), 'helloabc');
  });

  test('drop closes both sides without an error', async () => {
    const { client, conn } = await establish();
    const serverSide = echo.sockets[0]!;
    const serverClosed = new Promise((r) => serverSide.once('close', r));
    conn.setFault({ kind: 'drop' });
    await within(client.closed, 'client close');
    await within(serverClosed, 'server-side close');
    assert.equal(client.error, undefined);
    assert.equal(client.gotEnd, true);
    await within(conn.closed, 'connection closed');
    assert.equal(conn.isOpen, false);
  });

  test('drop as the default closes new connections on accept, before reaching the server', async () => {
    proxy.setFault({ kind: 'drop' });
    const client = connect();
    await within(client.closed, 'client close');
    assert.equal(client.error, undefined);
    assert.equal(client.received, 0);
    assert.equal(proxy.connections.length, 0);
    assert.equal(echo.sockets.length, 0);
  });

  test('reset destroys an open connection with RST', async () => {
    const { client, conn } = await establish();
    conn.setFault({ kind: 'reset' });
    await within(client.closed, 'client close');
    assert.equal(client.error?.code, 'ECONNRESET');
  });

  test('reset as the default resets new connections', async () => {
    proxy.setFault({ kind: 'reset' });
    const client = connect();
    await within(client.closed, 'client close');
    assert.equal(client.error?.code, 'ECONNRESET');
  });

  test('truncate forwards only the first N reply bytes, then closes with FIN', async () => {
    const { client, conn } = await establish();
    conn.setFault({ kind: 'truncate', keepBytes: 10 });
    const payload = randomBytes(100);
    client.socket.write(payload);
    await within(client.closed, 'client close');
    assert.equal(client.error, undefined);
    assert.equal(client.gotEnd, true);
    assert.ok(client.data().equals(Buffer.concat([Buffer.from('hello'), payload.subarray(0, 10)])));
    assert.equal(conn.bytes.toClient, 15);
  });

  test('truncate counts across several replies', async () => {
    const { client, conn } = await establish();
    conn.setFault({ kind: 'truncate', keepBytes: 150 });
    const first = randomBytes(100);
    client.socket.write(first);
    assert.ok((await client.readBytes(105)).subarray(5).equals(first));
    const second = randomBytes(100);
    client.socket.write(second);
    await within(client.closed, 'client close');
    assert.equal(client.received, 155);
    assert.ok(client.data().subarray(105).equals(second.subarray(0, 50)));
  });

  test('truncate with close: reset sends RST after at most N bytes', async () => {
    const { client, conn } = await establish();
    const serverSide = echo.sockets[0]!;
    const serverError = new Promise<NodeJS.ErrnoException>((r) => serverSide.once('error', r));
    conn.setFault({ kind: 'truncate', keepBytes: 10, close: 'reset' });
    const payload = randomBytes(100);
    client.socket.write(payload);
    await within(client.closed, 'client close');
    // The echo server's reply is what triggered the reset, so it has nothing left to read: it sees the RST.
    assert.equal((await within(serverError, 'server-side error')).code, 'ECONNRESET');
    // libuv reports an RST that arrives together with data as a plain EOF (POLLHUP after a partial read),
    // so the client may see either; what it received is certain to be a prefix of the kept bytes.
    assert.ok(client.error === undefined || client.error.code === 'ECONNRESET', String(client.error));
    const tail = client.data().subarray(5);
    assert.ok(tail.length <= 10);
    assert.ok(tail.equals(payload.subarray(0, tail.length)));
  });

  test('corrupt flips the byte at an offset counted from when the fault is set', async () => {
    const { client, conn } = await establish();
    conn.setFault({ kind: 'corrupt', offset: 3 });
    const payload = Buffer.alloc(64, 0x41);
    client.socket.write(payload);
    const got = (await client.readBytes(5 + 64)).subarray(5);
    const expected = Buffer.from(payload);
    expected[3] = 0x41 ^ 0xff;
    assert.ok(got.equals(expected), got.toString('hex'));
  });

  test('corrupt overwrites bytes across reply boundaries and then passes everything', async () => {
    const { client, conn } = await establish();
    conn.setFault({ kind: 'corrupt', offset: 98, replace: Uint8Array.from([1, 2, 3, 4]) });
    const first = Buffer.alloc(100, 0x61);
    client.socket.write(first);
    await client.readBytes(105);
    const second = Buffer.alloc(100, 0x62);
    client.socket.write(second);
    const got = (await client.readBytes(205)).subarray(5);
    const expected = Buffer.concat([first, second]);
    expected.set([1, 2, 3, 4], 98);
    assert.ok(got.equals(expected));
    const third = Buffer.alloc(10, 0x63);
    client.socket.write(third);
    assert.ok((await client.readBytes(215)).subarray(205).equals(third));
  });

  test('corrupt with xor and length on a new connection counts from its first byte', async () => {
    proxy.setFault({ kind: 'corrupt', offset: 1, xor: 0x01, length: 2 });
    const client = connect();
    client.socket.write(Buffer.from([10, 20, 30, 40]));
    assert.deepEqual([...await client.readBytes(4)], [10, 21, 31, 40]);
  });

  test('drip forwards at most k bytes per write and delivers everything intact', async () => {
    const { client, conn } = await establish();
    const writes: number[] = [];
    conn.on('forward', (direction: string, n: number) => { if (direction === 'server-to-client') writes.push(n); });
    conn.setFault({ kind: 'drip', bytes: 7, intervalMs: 1, direction: 'server-to-client' });
    const payload = randomBytes(200);
    client.socket.write(payload);
    assert.ok((await client.readBytes(205)).subarray(5).equals(payload));
    assert.ok(writes.every((n) => n <= 7), writes.join(','));
    assert.ok(writes.length >= Math.ceil(200 / 7));
    assert.equal(writes.reduce((a, b) => a + b, 0), 200);
  });

  test('switching from drip to pass flushes what the drip still holds', async () => {
    const { client, conn } = await establish();
    // One drip now and the next an hour away: the rest can only arrive through the switch.
    conn.setFault({ kind: 'drip', bytes: 7, intervalMs: 3_600_000, direction: 'server-to-client' });
    const payload = randomBytes(100);
    client.socket.write(payload);
    await within(conn.waitForBytes('fromServer', 105), 'the reply to reach the proxy');
    // The first drip leaves as soon as the reply arrives; the next is an hour away.
    assert.equal(conn.bytes.toClient, 5 + 7);
    conn.release();
    assert.ok((await client.readBytes(105)).subarray(5).equals(payload));
  });

  test('switching faults from inside a forward listener keeps bytes in order', async () => {
    const { client, conn } = await establish();
    let switches = 0;
    conn.on('forward', () => {
      switches++;
      // Alternate between pass and a one-byte drip with no delay: each switch pumps re-entrantly.
      conn.setFault(switches % 2 === 0 ? { kind: 'pass' } : { kind: 'drip', bytes: 1, intervalMs: 0 });
    });
    const payload = randomBytes(256 * 1024);
    client.socket.write(payload);
    assert.ok((await client.readBytes(5 + payload.length)).subarray(5).equals(payload));
    assert.ok(switches > 2);
  });

  test('default fault applies to new connections; per-connection faults override it', async () => {
    proxy.setFault({ kind: 'stall' });
    const a = connect();
    const connA = await within(proxy.nextConnection(), 'connection A');
    const b = connect();
    const connB = await within(proxy.nextConnection(), 'connection B');
    assert.deepEqual(proxy.connections.map((c) => c.id), [connA.id, connB.id]);
    assert.deepEqual(connA.currentFault, { kind: 'stall' });
    a.socket.write('aaa');
    b.socket.write('bbb');
    await within(connB.waitForBytes('fromClient', 3), 'B request');
    connA.release();
    assert.equal((await a.readBytes(3)).toString(), 'aaa');
    assert.equal(connB.bytes.toServer, 0);
    assert.equal(b.received, 0);

    proxy.setFault({ kind: 'pass' }, { includeOpen: true });
    assert.equal((await b.readBytes(3)).toString(), 'bbb');
    const c = connect();
    const connC = await within(proxy.nextConnection(), 'connection C');
    c.socket.write('ccc');
    assert.equal((await c.readBytes(3)).toString(), 'ccc');
    assert.deepEqual(connC.currentFault, { kind: 'pass' });
    assert.equal(proxy.openConnections.length, 3);
  });

  test('nextConnection hands out a connection accepted before it was called', async () => {
    const client = connect();
    client.socket.write('x');
    assert.equal((await client.readBytes(1)).toString(), 'x');
    const conn = await within(proxy.nextConnection(), 'the earlier connection');
    assert.equal(conn.bytes.toClient, 1);
  });

  test('close() closes every connection and stops listening', async () => {
    const first = await establish();
    const second = await establish();
    second.conn.setFault({ kind: 'stall' });
    const port = proxy.port;
    await within(proxy.close(), 'proxy close');
    await within(Promise.all([first.client.closed, second.client.closed]), 'clients close');
    assert.equal(proxy.openConnections.length, 0);
    const late = new Client(port);
    await within(late.closed, 'refused connect');
    assert.equal(late.error?.code, 'ECONNREFUSED');
  });

  test('an unreachable target closes the client connection', async () => {
    const dead = net.createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const deadPort = (dead.address() as net.AddressInfo).port;
    await new Promise<void>((r) => dead.close(() => r()));
    const orphan = await FaultProxy.start({ targetPort: deadPort });
    try {
      const client = new Client(orphan.port);
      await within(client.closed, 'client close');
      assert.equal(client.received, 0);
    } finally {
      await orphan.close();
    }
  });

  test('invalid faults are refused', () => {
    assert.throws(() => proxy.setFault({ kind: 'drip', bytes: 0, intervalMs: 1 }), RangeError);
    assert.throws(() => proxy.setFault({ kind: 'truncate', keepBytes: -1 }), RangeError);
    assert.throws(() => proxy.setFault({ kind: 'corrupt', offset: 0, xor: 256 }), RangeError);
  });
});
