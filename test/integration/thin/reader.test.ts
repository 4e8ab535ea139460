// The reader against the real Ignite 2.8.1 node, with rows loaded by pyignite (an independent client): every
// row read equals what was loaded (canonical form documented in test/support/pyignite/load.py).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DecodeError, ServerError } from '../../../src/thin/protocol/errors.js';
import { TypeCode } from '../../../src/thin/protocol/type-codes.js';
import { CacheRow, type CacheReader, isInvalidPartitionError, type ScanItem } from '../../../src/thin/reader.js';
import {
  canonical,
  connectReader,
  destroyCache,
  ensureInstance,
  keyText,
  load,
  type LoadedRow,
  uniqueCache,
} from './thin-node.js';

const created: string[] = [];

async function loadInto(prefix: string, scenario: string, opts: Parameters<typeof load>[2] = {}): Promise<{ cache: string; rows: LoadedRow[] }> {
  const cache = uniqueCache(prefix);
  created.push(cache);
  const out = await load(scenario, cache, opts);
  return { cache, rows: out.rows ?? [] };
}

async function readAll(reader: CacheReader, cache: string, concurrency = 4): Promise<CacheRow[]> {
  const n = await reader.partitionCount(cache);
  const rows: CacheRow[] = [];
  const parts = Array.from({ length: n }, (_, i) => i);
  for await (const item of reader.scanPartitions(cache, parts, { concurrency, pageSize: 16 })) {
    assert.ok(item.ok, `row error: ${!item.ok ? item.error.message : ''}`);
    rows.push(item);
  }
  return rows;
}

/** Every loaded row is read back once, equal in canonical form and in wire types. */
async function assertSameRows(reader: CacheReader, cache: string, loaded: LoadedRow[]): Promise<void> {
  const rows = await readAll(reader, cache);
  assert.equal(rows.length, loaded.length, 'row count');
  const want = new Map(loaded.map((r) => [keyText(r.key), r]));
  for (const row of rows) {
    const key = canonical(await row.decodeKey(), row.keyType);
    const expected = want.get(keyText(key));
    assert.ok(expected, `unexpected key ${keyText(key)}`);
    want.delete(keyText(key));
    assert.equal(row.keyType, expected.key_code, `key type of ${keyText(key)}`);
    assert.equal(row.valueType, expected.value_code, `value type of ${keyText(key)}`);
    assert.deepEqual(canonical(await row.decodeValue(), row.valueType), expected.value, `value of ${keyText(key)}`);
  }
  assert.equal(want.size, 0, 'every loaded row was read');
}

describe('thin reader against the real node', { timeout: 20 * 60_000 }, () => {
  let reader: CacheReader;

  before(async () => {
    await ensureInstance('default');
    reader = await connectReader({ poolSize: 4 });
  });

  after(async () => {
    reader?.close();
    for (const c of created) await destroyCache(c);
  });

  it('lists caches and finds partition counts (partition map and probing agree with scans)', async () => {
    const { cache: part } = await loadInto('thin-names', 'strings', { count: 1 });
    const { cache: repl } = await loadInto('thin-repl', 'strings', { count: 1, cacheMode: 'replicated' });
    const names = await reader.listCaches();
    assert.ok(names.includes(part) && names.includes(repl), `names: ${names.join(', ')}`);
    const info = await reader.cacheInfo(part);
    assert.equal(info.cacheMode, 2);
    assert.equal(info.partitions, 1024, 'Ignite default for PARTITIONED caches');
    const replInfo = await reader.cacheInfo(repl);
    assert.equal(replInfo.cacheMode, 1);
    // REPLICATED caches are not in the partition map: the count comes from probing. Check its boundary.
    for await (const _ of reader.scanPartition(repl, replInfo.partitions - 1)) break;
    await assert.rejects(async () => {
      for await (const _ of reader.scanPartition(repl, replInfo.partitions)) break;
    }, (e: unknown) => isInvalidPartitionError(e));
  });

  it('byte arrays of random sizes up to 4 MiB, as Buffer slices of the page', async () => {
    const { cache, rows } = await loadInto('thin-bytes', 'bytes', { count: 6, seed: 7 });
    assert.ok(rows.some((r) => (r.value as { len: number }).len === 4 * 1024 * 1024));
    await assertSameRows(reader, cache, rows);
    for await (const item of reader.scanPartition(cache, -1, { pageSize: 2 })) {
      assert.ok(item.ok);
      const v = await item.decodeValue();
      assert.ok(Buffer.isBuffer(v));
      assert.equal(v.buffer, item.valueBytes.buffer, 'the value shares memory with the page');
    }
  });

  it('strings (multi-byte, long, random)', async () => {
    const { cache, rows } = await loadInto('thin-strings', 'strings', { count: 20, seed: 3 });
    await assertSameRows(reader, cache, rows);
  });

  it('binary objects with every type, several shapes and key types (compact footers)', async () => {
    const { cache, rows } = await loadInto('thin-objects', 'objects', { count: 30, seed: 5 });
    assert.ok(new Set(rows.map((r) => r.key_code)).size >= 4, 'keys of several types');
    await assertSameRows(reader, cache, rows);
  });

  it('binary objects with full (non-compact) footers', async () => {
    const { cache, rows } = await loadInto('thin-fullfooter', 'objects', { count: 10, seed: 6, fullFooter: true });
    await assertSameRows(reader, cache, rows);
    // The objects really carry field ids in their footers: COMPACT_FOOTER (0x20) is clear in the stored bytes.
    let objects = 0;
    for await (const item of reader.scanPartition(cache, -1)) {
      assert.ok(item.ok);
      if (item.valueTypeCode !== TypeCode.BINARY_OBJ) continue;
      const root = 5 + item.valueBytes.readInt32LE(5 + item.valueBytes.readInt32LE(1));
      assert.equal(item.valueBytes.readUInt16LE(root + 2) & 0x20, 0);
      objects++;
    }
    assert.ok(objects > 0);
  });

  it('keys without binary metadata on the server: those rows fail to decode one by one, the scan goes on', async () => {
    // pyignite does not register key types unless asked: compact-footer keys of an unknown schema.
    const { cache, rows } = await loadInto('thin-nometa', 'objects', { count: 10, seed: 9, unregisteredKeys: true });
    const objectKeys = rows.filter((r) => r.key_code === 103).length;
    assert.ok(objectKeys > 0);
    let failed = 0;
    let decoded = 0;
    for await (const item of reader.scanPartition(cache, -1, { pageSize: 3 })) {
      assert.ok(item.ok, 'every row is delimited');
      await item.decodeValue(); // values have metadata
      try {
        await item.decodeKey();
        decoded++;
      } catch (err) {
        assert.ok(err instanceof DecodeError, `got ${String(err)}`);
        assert.equal(err.typeCode, TypeCode.OBJ);
        assert.equal(item.keyType, TypeCode.OBJ);
        failed++;
      }
    }
    assert.equal(failed, objectKeys);
    assert.equal(decoded + failed, rows.length);
  });

  it('a SQL table made with CREATE TABLE + INSERT', async () => {
    const { cache, rows } = await loadInto('thin-sql', 'sql', { count: 25 });
    await assertSameRows(reader, cache, rows);
  });

  it('OP_CACHE_GET with the key bytes a scan returned gives the same value bytes', async () => {
    const { cache } = await loadInto('thin-get', 'objects', { count: 10, seed: 8 });
    let n = 0;
    for await (const item of reader.scanPartition(cache, -1)) {
      assert.ok(item.ok);
      const v = await reader.get(cache, item.keyBytes);
      assert.ok(v);
      assert.equal(v.toString('hex'), item.valueBytes.toString('hex'));
      n++;
    }
    assert.equal(n, 10);
    assert.equal(await reader.get(cache, Buffer.from([TypeCode.INT, 0x7f, 0x7f, 0x7f, 0x7f])), null);
    assert.equal(await reader.size(cache), 10n);
  });

  it('stopping scans early closes their cursors (no TOO_MANY_CURSORS after 300 early stops on one connection)', async () => {
    const { cache } = await loadInto('thin-early', 'strings', { count: 10 });
    const single = await connectReader({ poolSize: 1 });
    try {
      for (let i = 0; i < 300; i++) {
        for await (const item of single.scanPartition(cache, -1, { pageSize: 2 })) {
          assert.ok(item.ok);
          break;
        }
      }
      let n = 0;
      for await (const _ of single.scanPartition(cache, -1, { pageSize: 2 })) n++;
      assert.equal(n, 17);
    } finally {
      single.close();
    }
  });

  it('a scan of 100,000 rows keeps memory bounded', async () => {
    const { cache } = await loadInto('thin-many', 'many', { count: 100_000, size: 1000 });
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const retained = (): number => {
      gc();
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    const base = retained();
    let peak = 0;
    let n = 0;
    let bytes = 0;
    const seen = new Uint8Array(100_000);
    const parts = Array.from({ length: await reader.partitionCount(cache) }, (_, i) => i);
    for await (const item of reader.scanPartitions(cache, parts, { concurrency: 4, pageSize: 256 })) {
      assert.ok(item.ok);
      const k = Number(await item.decodeKey());
      const v = (await item.decodeValue()) as string;
      assert.ok(v.startsWith(`v${k}:`) && v.length === 1000, `value of ${k}`);
      seen[k]! += 1;
      n++;
      bytes += item.valueBytes.length;
      if (n % 10_000 === 0) peak = Math.max(peak, retained() - base);
    }
    assert.equal(n, 100_000);
    assert.ok(seen.every((c) => c === 1), 'each key exactly once');
    // About 100 MB went through; a reader that kept rows or pages would retain most of it.
    assert.ok(bytes > 95_000_000);
    assert.ok(peak < 48 * 1024 * 1024, `retained growth ${peak} bytes`);
  });

  it('a cache destroyed in the middle of a scan ends it with a clean error', async () => {
    const { cache } = await loadInto('thin-destroyed', 'strings', { count: 60 });
    const items: ScanItem[] = [];
    await assert.rejects(
      (async () => {
        for await (const item of reader.scanPartition(cache, -1, { pageSize: 4, prefetch: false })) {
          items.push(item);
          if (items.length === 1) await destroyCache(cache);
        }
      })(),
      (e: unknown) => {
        assert.ok(e instanceof ServerError, `got ${String(e)}`);
        assert.ok(!e.message.includes('\n'), 'one line');
        return true;
      },
    );
    assert.ok(items.length >= 1 && items.length < 67);
  });
});
