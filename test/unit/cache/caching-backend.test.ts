import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CachingBackend, type CachingBackendOptions } from '../../../src/cache/caching-backend.js';
import { ManualClock } from '../../../src/cache/clock.js';
import type { ReadHandle } from '../../../src/fs/backend.js';
import { FsError, isFsError } from '../../../src/fs/errors.js';
import { FakeBackend } from './fake-backend.js';
import { randomBytes, seededRandom, settle } from './helpers.js';

function setup(options: CachingBackendOptions = {}) {
  const fake = new FakeBackend();
  const clock = new ManualClock(0);
  const backend = new CachingBackend(fake, {
    blockSize: 1024, maxBytes: 64 * 1024, attrTtlMs: 1000, negativeTtlMs: 1000, dirTtlMs: 1000,
    readAheadBlocks: 4, clock, ...options,
  });
  return { fake, clock, backend };
}

async function readAll(backend: CachingBackend, path: string): Promise<Buffer> {
  const handle = await backend.openRead(path);
  try {
    return await handle.readAt(0, handle.size);
  } finally {
    await handle.close();
  }
}

/** Reads `handle` front to back in `chunk`-byte reads, like `cat` or a record reader. */
async function readSequentially(handle: ReadHandle, chunk: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (let position = 0; position < handle.size; position += chunk) {
    parts.push(await handle.readAt(position, chunk));
    await settle(); // lets read-ahead's fetches land, as time between reads does in a real reader
  }
  return Buffer.concat(parts);
}

describe('CachingBackend', () => {
  it('random reads through the cache equal the source byte for byte', async () => {
    for (const seed of [101, 202, 303, 404]) {
      const random = seededRandom(seed);
      // A small budget (8 blocks) so that eviction, refetch and read-ahead all happen.
      const { fake, backend } = setup({ maxBytes: 8 * 1024, readAheadBlocks: 3 });
      const files = new Map<string, Buffer>();
      for (let i = 0; i < 3; i++) {
        const data = randomBytes(1000 + Math.floor(random() * 40_000), seed * 10 + i);
        files.set(`/f${i}`, data);
        fake.put(`/f${i}`, data);
      }
      const handles = await Promise.all([...files.keys(), '/f0'].map((path) => backend.openRead(path)));
      const paths = [...files.keys(), '/f0'];
      for (let round = 0; round < 150; round++) {
        const batch = [];
        for (let j = 0; j < 4; j++) {
          const which = Math.floor(random() * handles.length);
          const data = files.get(paths[which]!)!;
          // Mostly sequential runs mixed with jumps, so read-ahead starts and resets.
          const position = random() < 0.3 ? Math.floor(random() * data.length) : (round * 700) % data.length;
          const length = Math.floor(random() * 5000);
          batch.push(handles[which]!.readAt(position, length).then((bytes) => {
            assert.deepEqual(bytes, data.subarray(position, position + length), `seed ${seed} ${paths[which]} @${position}+${length}`);
          }));
        }
        await Promise.all(batch);
        assert.ok(backend.stats().cachedBytes <= 8 * 1024);
      }
      await Promise.all(handles.map((handle) => handle.close()));
      assert.equal(fake.count('readClose'), 4);
    }
  });

  it('sequential reading is served ahead by read-ahead with a growing window', async () => {
    const { fake, backend } = setup({ readAheadBlocks: 8, maxBytes: 1024 * 1024 });
    const data = randomBytes(64 * 1024, 1);
    fake.put('/seq', data);
    const handle = await backend.openRead('/seq');
    assert.deepEqual(await readSequentially(handle, 512), data);
    await handle.close();
    const stats = backend.stats();
    assert.ok(stats.prefetches >= 50, `most of the 64 blocks came from read-ahead (${stats.prefetches})`);
    assert.equal(stats.fetches, 64, 'every block fetched exactly once');
    assert.ok(stats.misses <= 3, `the reader itself rarely waited for a fetch (${stats.misses} misses)`);
  });

  it('random reading issues no read-ahead', async () => {
    const { fake, backend } = setup({ readAheadBlocks: 8, maxBytes: 1024 * 1024 });
    const data = randomBytes(200 * 1024, 2);
    fake.put('/rnd', data);
    const handle = await backend.openRead('/rnd');
    const random = seededRandom(7);
    let last = 0;
    for (let i = 0; i < 100; i++) {
      let position: number;
      do position = Math.floor(random() * (data.length - 100)); while (Math.abs(position - last) < 3 * 1024);
      assert.deepEqual(await handle.readAt(position, 100), data.subarray(position, position + 100));
      last = position + 100;
    }
    await handle.close();
    assert.equal(backend.stats().prefetches, 0);
  });

  it('a read after a seek asks the store for exactly its bytes unless its blocks are cached', async () => {
    const { fake, backend } = setup({ readAheadBlocks: 4, maxBytes: 1024 * 1024 });
    const data = randomBytes(64 * 1024, 12);
    fake.put('/f', data);
    const handle = await backend.openRead('/f');
    assert.deepEqual(await handle.readAt(0, 100), data.subarray(0, 100));
    const before = fake.reads.length;
    assert.deepEqual(await handle.readAt(30_000, 300), data.subarray(30_000, 30_300));
    assert.deepEqual(fake.reads.slice(before).map((r) => [r.position, r.length]), [[30_000, 300]], 'exactly the bytes asked for');
    assert.equal(backend.stats().directReads, 1);
    // Going on from there is sequential: whole blocks through the cache again.
    assert.deepEqual(await handle.readAt(30_300, 100), data.subarray(30_300, 30_400));
    assert.ok(fake.reads.slice(before + 1).some((r) => r.position === 29 * 1024 && r.length === 1024), 'block fetched');
    // A seek back into a cached block is served from the cache.
    const cachedReads = fake.reads.length;
    assert.deepEqual(await handle.readAt(10, 50), data.subarray(10, 60));
    assert.equal(fake.reads.length, cachedReads);
    // A seek that ends past the size reads up to the size only.
    assert.deepEqual(await handle.readAt(64 * 1024 - 10, 500), data.subarray(64 * 1024 - 10));
    assert.deepEqual(await handle.readAt(70_000, 10), Buffer.alloc(0));
    await handle.close();
    assert.equal(fake.count('readClose'), 1);
  });

  it('stats of many entries of a large directory after its listing expired re-list it instead of one stat each', async () => {
    const { fake, clock, backend } = setup();
    const names = Array.from({ length: 200 }, (_, i) => `e${i}`);
    await fake.mkdir('/big', {});
    for (const [i, n] of names.entries()) fake.put(`/big/${n}`, randomBytes(i % 7, i));
    assert.equal((await backend.list('/big')).length, 200);
    clock.advance(1500); // attributes and listing expired, the listing is recent
    const statsBefore = fake.count('stat');
    for (const [i, n] of names.entries()) assert.equal((await backend.stat(`/big/${n}`)).size, i % 7);
    assert.ok(fake.count('stat') - statsBefore <= 8, `at most 8 single stats (${fake.count('stat') - statsBefore})`);
    assert.equal(fake.count('list'), 2, 'one more listing');
    assert.equal(backend.stats().relists, 1);
    // A file that vanished is not invented from the listing.
    clock.advance(1500);
    await backend.list('/big');
    clock.advance(1500);
    await fake.unlink('/big/e3'); // another client, behind the cache's back
    for (const n of names.slice(0, 8)) await backend.stat(`/big/${n}`).catch(() => undefined);
    await assert.rejects(backend.stat('/big/e3'), (err) => isFsError(err) && err.code === 'ENOENT');
  });

  it('an occasional stat in a large directory does not re-list it', async () => {
    const { fake, clock, backend } = setup();
    await fake.mkdir('/big', {});
    for (let i = 0; i < 100; i++) fake.put(`/big/f${i}`, Buffer.alloc(1));
    await backend.list('/big');
    for (let i = 0; i < 4; i++) {
      clock.advance(1100);
      await backend.stat('/big/f1');
    }
    assert.equal(fake.count('list'), 1);
    assert.equal(backend.stats().relists, 0);
  });

  it('an inner read error reaches the reader, is not swallowed and not cached', async () => {
    const { fake, backend } = setup({ readAheadBlocks: 0 });
    const data = randomBytes(4096, 3);
    fake.put('/f', data);
    const failure = new FsError('EIO', 'connection reset');
    fake.failRead = (call) => (call.position === 2048 ? failure : undefined);
    const handle = await backend.openRead('/f');
    assert.deepEqual(await handle.readAt(0, 1024), data.subarray(0, 1024));
    await assert.rejects(handle.readAt(2000, 100), (err) => err === failure);
    await assert.rejects(handle.readAt(2048, 1), (err) => err === failure, 'asked again, failed again');
    fake.failRead = undefined;
    assert.deepEqual(await handle.readAt(2000, 100), data.subarray(2000, 2100));
    await handle.close();
  });

  it('failed read-ahead is not fatal: the reader fetches the block itself', async () => {
    const { fake, backend } = setup({ readAheadBlocks: 4, maxBytes: 1024 * 1024 });
    const data = randomBytes(32 * 1024, 4);
    fake.put('/f', data);
    // Each block fails the first time it is asked for; those first asks are read-ahead's.
    const asked = new Set<number>();
    fake.failRead = (call) => {
      if (call.position < 2048 || asked.has(call.position)) return undefined;
      asked.add(call.position);
      return new FsError('EIO', 'flaky');
    };
    const handle = await backend.openRead('/f');
    assert.deepEqual(await readSequentially(handle, 1024), data);
    await handle.close();
    assert.ok(backend.stats().prefetchErrors > 0);
  });

  it('caches stat, list and ENOENT, and refreshes them after the TTLs', async () => {
    const { fake, clock, backend } = setup();
    fake.put('/a', Buffer.from('abc'));
    await backend.stat('/a');
    await backend.stat('/a');
    await backend.list('/');
    await backend.list('/');
    await assert.rejects(backend.stat('/nope'), (err) => isFsError(err, 'ENOENT'));
    await assert.rejects(backend.stat('/nope'), (err) => isFsError(err, 'ENOENT'));
    assert.equal(fake.count('stat'), 2);
    assert.equal(fake.count('list'), 1);
    clock.advance(1000);
    await backend.stat('/a');
    await backend.list('/');
    assert.equal(fake.count('stat'), 3);
    assert.equal(fake.count('list'), 2);
  });

  it('opening a file whose cached size is stale refreshes the attributes and reads the new content', async () => {
    const { fake, backend } = setup();
    fake.put('/f', Buffer.from('short'));
    assert.equal((await backend.stat('/f')).size, 5);
    assert.equal((await readAll(backend, '/f')).toString(), 'short');
    fake.put('/f', Buffer.from('a longer text')); // changed by another client, within the TTL
    assert.equal((await readAll(backend, '/f')).toString(), 'a longer text');
    assert.equal((await backend.stat('/f')).size, 13, 'stat agrees with what was read');
  });

  describe('every mutation invalidates what it affects', () => {
    /** Fills every cache around `/d/f`: its attributes, its blocks, the listings of `/d` and `/`. */
    async function primed() {
      const env = setup();
      env.fake.dirs.set('/d', { mtimeMs: 0 });
      env.fake.put('/d/f', Buffer.from('one'));
      await env.backend.stat('/d/f');
      await env.backend.stat('/d');
      await env.backend.list('/d');
      await env.backend.list('/');
      assert.equal((await readAll(env.backend, '/d/f')).toString(), 'one');
      env.fake.resetCounts();
      return env;
    }

    async function names(backend: CachingBackend, path: string): Promise<string[]> {
      return (await backend.list(path)).map((entry) => entry.name);
    }

    it('create (overwrite) and write', async () => {
      const { fake, backend } = await primed();
      const handle = await backend.create('/d/f', { overwrite: true });
      assert.equal((await backend.stat('/d/f')).size, 0, 'create invalidated the attributes');
      await handle.write(Buffer.from('two!'));
      assert.equal((await backend.stat('/d/f')).size, 4, 'write invalidated the attributes');
      assert.equal((await readAll(backend, '/d/f')).toString(), 'two!', 'and the blocks');
      await handle.close();
      assert.equal((await backend.list('/d')).find((e) => e.name === 'f')!.attrs.size, 4);
      assert.ok(fake.count('list') >= 1);
    });

    it('create of a new file clears its negative entry and the parent listing', async () => {
      const { backend } = await primed();
      await assert.rejects(backend.stat('/d/new'));
      const handle = await backend.create('/d/new', { overwrite: false });
      await handle.close();
      assert.equal((await backend.stat('/d/new')).size, 0);
      assert.deepEqual(await names(backend, '/d'), ['f', 'new']);
    });

    it('append, flush and close', async () => {
      const { fake, backend } = await primed();
      const handle = await backend.append('/d/f');
      await handle.write(Buffer.from(' two'));
      await handle.flush();
      assert.equal((await readAll(backend, '/d/f')).toString(), 'one two');
      await backend.stat('/d/f');
      fake.resetCounts();
      await handle.flush();
      await backend.stat('/d/f');
      assert.equal(fake.count('stat'), 1, 'flush invalidated');
      await handle.close();
      await backend.stat('/d/f');
      assert.equal(fake.count('stat'), 2, 'close invalidated');
    });

    it('a rewrite that keeps size and mtime (same version) is still read fresh', async () => {
      const { fake, backend } = await primed();
      fake.frozenMtime = true;
      const handle = await backend.create('/d/f', { overwrite: true });
      await handle.write(Buffer.from('uno'));
      await handle.close();
      assert.equal((await backend.stat('/d/f')).version, '3:' + fake.files.get('/d/f')!.mtimeMs);
      assert.equal((await readAll(backend, '/d/f')).toString(), 'uno');
    });

    it('mkdir', async () => {
      const { backend } = await primed();
      await assert.rejects(backend.stat('/d/sub'));
      await backend.mkdir('/d/sub', {});
      assert.equal((await backend.stat('/d/sub')).kind, 'directory');
      assert.deepEqual(await names(backend, '/d'), ['f', 'sub']);
    });

    it('unlink', async () => {
      const { fake, backend } = await primed();
      const dirMtime = (await backend.stat('/d')).mtimeMs;
      await backend.unlink('/d/f');
      await assert.rejects(backend.stat('/d/f'), (err) => isFsError(err, 'ENOENT'));
      await assert.rejects(backend.openRead('/d/f'), (err) => isFsError(err, 'ENOENT'));
      assert.deepEqual(await names(backend, '/d'), []);
      assert.notEqual((await backend.stat('/d')).mtimeMs, dirMtime, 'the parent directory attributes too');
      assert.equal(fake.files.size, 0);
    });

    it('rmdir', async () => {
      const { backend } = await primed();
      await backend.unlink('/d/f');
      // Cache the emptied directory again, so that only rmdir's own invalidation can make the checks pass.
      await backend.stat('/d');
      await backend.list('/d');
      await backend.list('/');
      await assert.rejects(backend.stat('/d/gone'));
      await backend.rmdir('/d');
      await assert.rejects(backend.stat('/d'), (err) => isFsError(err, 'ENOENT'));
      await assert.rejects(backend.list('/d'), (err) => isFsError(err, 'ENOENT'));
      assert.deepEqual(await names(backend, '/'), []);
    });

    it('rename of a file: both paths and both parent listings', async () => {
      const { fake, backend } = await primed();
      fake.dirs.set('/e', { mtimeMs: 0 });
      await assert.rejects(backend.stat('/e/g'));
      await backend.list('/e');
      await backend.rename('/d/f', '/e/g');
      await assert.rejects(backend.stat('/d/f'), (err) => isFsError(err, 'ENOENT'));
      assert.equal((await backend.stat('/e/g')).size, 3);
      assert.deepEqual(await names(backend, '/d'), []);
      assert.deepEqual(await names(backend, '/e'), ['g']);
      assert.equal((await readAll(backend, '/e/g')).toString(), 'one');
    });

    it('rename of a directory: both subtrees', async () => {
      const { fake, backend } = await primed();
      await assert.rejects(backend.stat('/z/f'));
      await backend.rename('/d', '/z');
      await assert.rejects(backend.stat('/d/f'), (err) => isFsError(err, 'ENOENT'));
      await assert.rejects(backend.list('/d'), (err) => isFsError(err, 'ENOENT'));
      assert.equal((await backend.stat('/z/f')).size, 3, 'the negative entry below the destination is gone');
      assert.deepEqual(await names(backend, '/'), ['z']);
      // A new /d/f with different content at the old path must not be served old blocks.
      fake.dirs.set('/d', { mtimeMs: 0 });
      const handle = await backend.create('/d/f', { overwrite: false });
      await handle.write(Buffer.from('new'));
      await handle.close();
      assert.equal((await readAll(backend, '/d/f')).toString(), 'new');
    });

    it('setAttrs', async () => {
      const { backend } = await primed();
      await backend.setAttrs('/d/f', { mode: 0o600, mtimeMs: 12345 });
      const attrs = await backend.stat('/d/f');
      assert.equal(attrs.mode, 0o600);
      assert.equal(attrs.mtimeMs, 12345);
      assert.equal((await backend.list('/d'))[0]!.attrs.mode, 0o600);
    });

    it('a failed mutation invalidates too (it may have half-happened)', async () => {
      const { fake, backend } = await primed();
      await assert.rejects(backend.mkdir('/d/f', {}), (err) => isFsError(err, 'EEXIST'));
      await backend.stat('/d/f');
      await backend.list('/d');
      assert.equal(fake.count('stat'), 1);
      assert.equal(fake.count('list'), 1);
    });
  });

  it('a file appended to on this mount is read fresh after every write, never stale and never with a gap', async () => {
    for (const seed of [1, 2, 3]) {
      const { fake, backend } = setup({ blockSize: 512, maxBytes: 16 * 1024, readAheadBlocks: 4 });
      fake.snapshotReads = seed % 2 === 0;
      fake.frozenMtime = seed === 3; // versions then differ by size only
      fake.put('/events', Buffer.alloc(0));
      const random = seededRandom(seed);
      const writer = await backend.append('/events');
      let expected = Buffer.alloc(0);
      for (let i = 0; i < 40; i++) {
        const chunk = randomBytes(1 + Math.floor(random() * 700), seed * 1000 + i);
        await writer.write(chunk);
        expected = Buffer.concat([expected, chunk]);
        assert.equal((await backend.stat('/events')).size, expected.length);
        // Read the tail (the block that changed) and the whole file through fresh handles.
        const handle = await backend.openRead('/events');
        assert.equal(handle.size, expected.length);
        const tailStart = Math.max(0, expected.length - 600);
        assert.deepEqual(await handle.readAt(tailStart, 600), expected.subarray(tailStart), `seed ${seed} write ${i}`);
        assert.deepEqual(await handle.readAt(0, expected.length), expected, `seed ${seed} write ${i}`);
        await handle.close();
      }
      await writer.close();
    }
  });

  it('passes readOnly and statfs through', async () => {
    const { fake, backend } = setup();
    fake.put('/a', Buffer.alloc(10));
    assert.equal(backend.readOnly, false);
    assert.deepEqual(await backend.statfs(), { totalBytes: 1 << 30, usedBytes: 10 });
  });
});
