// Connection behaviour against the real node: version negotiation, the pre-1.4 reply format, one-line errors,
// deadlines and a dropped socket (through the project's TCP fault proxy in front of the real node).
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ThinConnection } from '../../../src/thin/connection.js';
import { ConnectError, ConnectionClosedError, TimeoutError } from '../../../src/thin/errors.js';
import { decodeCacheGetNames, encodeCacheGetNames } from '../../../src/thin/protocol/cache-names.js';
import { OpCode } from '../../../src/thin/protocol/op-codes.js';
import { version } from '../../../src/thin/protocol/version.js';
import { CacheReader } from '../../../src/thin/reader.js';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy.js';
import { DEFAULT_THIN, destroyCache, ensureInstance, load, uniqueCache } from './thin-node.js';

const names = (c: ThinConnection): Promise<string[]> => c.request(OpCode.CACHE_GET_NAMES, encodeCacheGetNames, decodeCacheGetNames);

describe('thin connection against the real node', { timeout: 10 * 60_000 }, () => {
  const created: string[] = [];

  before(async () => {
    await ensureInstance('default');
  });

  after(async () => {
    for (const c of created) await destroyCache(c);
  });

  it('negotiates: proposes a version the server does not speak, retries with the one it offers', async () => {
    const c = await ThinConnection.connect({ endpoint: DEFAULT_THIN, versions: [version(1, 9), version(1, 6), version(1, 2)] });
    try {
      assert.deepEqual(c.version, version(1, 6));
      assert.match(c.nodeId ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.ok(Array.isArray(await names(c)));
    } finally {
      c.close();
    }
  });

  it('refuses clearly when the server offers nothing this client may speak', async () => {
    await assert.rejects(ThinConnection.connect({ endpoint: DEFAULT_THIN, versions: [version(1, 9)] }), (e: Error) => {
      assert.match(e.message, /handshake with 127\.0\.0\.1:10800 refused \(offered 1\.9\.0, server speaks 1\.6\.0\)/);
      assert.ok(!e.message.includes('\n'));
      return true;
    });
  });

  it('protocol 1.2 (no reply flags, no partition map): rows and partition counts still read', async () => {
    const cache = uniqueCache('thin-v12');
    created.push(cache);
    const loaded = await load('strings', cache, { count: 3 });
    const reader = await CacheReader.connect({ endpoints: [DEFAULT_THIN], versions: [version(1, 2)] });
    try {
      assert.deepEqual(reader.client.version, version(1, 2));
      assert.equal(await reader.client.cachePartitions([cache]), undefined);
      assert.equal(await reader.partitionCount(cache), 1024, 'found by probing');
      let n = 0;
      for await (const item of reader.scanPartition(cache, -1, { pageSize: 2 })) {
        assert.ok(item.ok);
        assert.equal(typeof (await item.decodeValue()), 'string');
        n++;
      }
      assert.equal(n, loaded.rows!.length);
      await assert.rejects(async () => {
        for await (const _ of reader.scanPartition('no-such-cache-v12', 0)) break;
      }, /Cache does not exist/);
    } finally {
      reader.close();
    }
  });

  it('a refused connection is one line naming the endpoint', async () => {
    const port = await freePort();
    await assert.rejects(ThinConnection.connect({ endpoint: { host: '127.0.0.1', port } }), (e: Error) => {
      assert.ok(e instanceof ConnectError);
      assert.equal(e.message, `cannot connect to 127.0.0.1:${port}: connection refused`);
      return true;
    });
  });

  describe('through a fault proxy', () => {
    let proxy: FaultProxy;

    before(async () => {
      proxy = await startFaultProxy({ targetPort: DEFAULT_THIN.port });
    });

    after(async () => {
      await proxy.close();
    });

    it('every pending request is rejected when the socket drops', async () => {
      const accepted = proxy.nextConnection();
      const c = await ThinConnection.connect({ endpoint: { host: proxy.host, port: proxy.port } });
      const link = await accepted;
      assert.ok((await names(c)).length >= 0);
      link.setFault({ kind: 'stall', direction: 'server-to-client' });
      const pending = [names(c), names(c), names(c)];
      await link.waitForBytes('toServer', 1);
      link.drop();
      const results = await Promise.allSettled(pending);
      for (const r of results) {
        assert.equal(r.status, 'rejected');
        assert.ok((r as PromiseRejectedResult).reason instanceof ConnectionClosedError);
      }
      await assert.rejects(names(c), ConnectionClosedError, 'requests after the drop fail at once');
      assert.ok(c.closed);
    });

    it('a request past its deadline is rejected with TimeoutError; the connection keeps working', async () => {
      const accepted = proxy.nextConnection();
      const c = await ThinConnection.connect({ endpoint: { host: proxy.host, port: proxy.port } });
      const link = await accepted;
      try {
        link.setFault({ kind: 'stall', direction: 'server-to-client' });
        await assert.rejects(
          c.request(OpCode.CACHE_GET_NAMES, encodeCacheGetNames, decodeCacheGetNames, { timeoutMs: 300 }),
          (e: unknown) => e instanceof TimeoutError && /timed out after 300 ms/.test(e.message),
        );
        link.setFault({ kind: 'pass' }); // the stalled reply arrives late and is dropped by request id
        assert.ok(Array.isArray(await names(c)));
      } finally {
        c.close();
      }
    });

    it('a reply cut off mid-message closes the connection with a clear error', async () => {
      const accepted = proxy.nextConnection();
      const c = await ThinConnection.connect({ endpoint: { host: proxy.host, port: proxy.port } });
      const link = await accepted;
      link.setFault({ kind: 'truncate', keepBytes: 6, direction: 'server-to-client' });
      await assert.rejects(names(c), (e: unknown) => e instanceof ConnectionClosedError && /127\.0\.0\.1:\d+ closed/.test(e.message));
    });
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}
