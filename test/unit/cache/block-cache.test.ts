import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BlockCache } from '../../../src/cache/block-cache.js';
import { FsError } from '../../../src/fs/errors.js';
import { FakeBackend } from './fake-backend.js';
import { gate, randomBytes, seededRandom, settle } from './helpers.js';

async function fakeWith(path: string, data: Buffer): Promise<FakeBackend> {
  const fake = new FakeBackend();
  fake.put(path, data);
  return fake;
}

describe('BlockCache', () => {
  it('rejects a byte budget smaller than one block', () => {
    assert.throws(() => new BlockCache({ blockSize: 4096, maxBytes: 4095 }), RangeError);
    assert.throws(() => new BlockCache({ blockSize: 0, maxBytes: 4096 }), RangeError);
  });

  it('coalesces concurrent misses of one block into one source read', async () => {
    const data = randomBytes(10_000, 1);
    const fake = await fakeWith('/f', data);
    const cache = new BlockCache({ blockSize: 4096, maxBytes: 1 << 20 });
    const held = gate();
    fake.readGate = held.promise;
    // Two handles of the same version share blocks, so their misses coalesce too.
    const fileA = cache.open('/f', 'v1', data.length, await fake.openRead('/f'));
    const fileB = cache.open('/f', 'v1', data.length, await fake.openRead('/f'));
    const reads = [];
    for (let i = 0; i < 10; i++) {
      const position = i * 300;
      reads.push((i % 2 === 0 ? fileA : fileB).read(position, 100).then((bytes) => ({ position, bytes })));
    }
    await settle();
    assert.equal(fake.count('readAt'), 1, 'one source read while ten readers wait');
    held.open();
    for (const { position, bytes } of await Promise.all(reads)) {
      assert.deepEqual(bytes, data.subarray(position, position + 100));
    }
    assert.equal(fake.count('readAt'), 1);
    const stats = cache.stats();
    assert.equal(stats.misses, 1);
    assert.equal(stats.coalesced, 9);
    assert.equal(stats.fetches, 1);
    // Once cached, another read is a hit with no source read.
    assert.deepEqual(await fileA.read(4000, 96), data.subarray(4000, 4096));
    assert.equal(cache.stats().hits, 1);
    assert.equal(fake.count('readAt'), 1);
  });

  it('reads ranges across block boundaries and clips at the end of the file', async () => {
    const data = randomBytes(10_000, 2);
    const fake = await fakeWith('/f', data);
    const cache = new BlockCache({ blockSize: 1024, maxBytes: 1 << 20 });
    const file = cache.open('/f', 'v1', data.length, await fake.openRead('/f'));
    assert.deepEqual(await file.read(1000, 3000), data.subarray(1000, 4000));
    assert.deepEqual(await file.read(9000, 5000), data.subarray(9000));
    assert.equal((await file.read(10_000, 10)).length, 0);
    assert.equal((await file.read(20_000, 10)).length, 0);
    assert.equal((await file.read(5, 0)).length, 0);
    await assert.rejects(file.read(-1, 10), RangeError);
    // Block requests are whole blocks, the last one only as long as the file.
    for (const call of fake.reads) {
      assert.equal(call.position % 1024, 0);
      assert.equal(call.length, Math.min(1024, data.length - call.position));
    }
  });

  it('never holds more than maxBytes under random access, whatever the source hands back', async () => {
    const blockSize = 1000;
    const maxBytes = 4500;
    const data = randomBytes(20_537, 3); // the last block is short
    const misbehaviours: Array<[string, (fake: FakeBackend) => void]> = [
      ['a well-behaved source', () => undefined],
      ['a source that answers more than asked', (fake) => { fake.overreadBytes = 3 * blockSize; }],
      ['a source that answers slices of larger buffers', (fake) => { fake.sliceSlackBytes = 64 * 1024; }],
    ];
    for (const [name, misbehave] of misbehaviours) {
      for (const seed of [11, 12, 13]) {
        const fake = await fakeWith('/f', data);
        misbehave(fake);
        const cache = new BlockCache({ blockSize, maxBytes });
        const file = cache.open('/f', 'v1', data.length, await fake.openRead('/f'));
        const random = seededRandom(seed);
        for (let i = 0; i < 300; i++) {
          const position = Math.floor(random() * data.length);
          const length = 1 + Math.floor(random() * 2500);
          const concurrent = [file.read(position, length), file.read(data.length - 1 - (position % 997), 1)];
          const [bytes] = await Promise.all(concurrent);
          assert.deepEqual(bytes, data.subarray(position, position + length), `${name}, seed ${seed}, read ${i}`);
          const { cachedBytes } = cache.stats();
          const held = cache.heldBytes();
          assert.ok(cachedBytes <= maxBytes, `${name}, seed ${seed}: ${cachedBytes} bytes cached > ${maxBytes}`);
          assert.ok(held <= maxBytes, `${name}, seed ${seed}: blocks keep ${held} bytes alive > ${maxBytes}`);
          assert.ok(held <= cachedBytes, `${name}, seed ${seed}: ${held} bytes held, ${cachedBytes} counted`);
        }
        // The budget was actually under pressure: blocks were fetched again after eviction.
        assert.ok(cache.stats().fetches > Math.ceil(data.length / blockSize), name);
        // And the cache still caches: a block read twice in a row is fetched at most once.
        const fetchesBefore = cache.stats().fetches;
        await file.read(0, 10);
        await file.read(5, 10);
        assert.ok(cache.stats().fetches <= fetchesBefore + 1, `${name}: a block read twice was fetched twice`);
      }
    }
  });

  it('keeps only the bytes it asked for when the source answers more', async () => {
    const data = randomBytes(5000, 14);
    const fake = await fakeWith('/f', data);
    fake.overreadBytes = 4096;
    const cache = new BlockCache({ blockSize: 1024, maxBytes: 1 << 20 });
    const file = cache.open('/f', 'v', 3000, await fake.openRead('/f')); // opened when the file was shorter
    assert.deepEqual(await file.read(0, 5000), data.subarray(0, 3000));
    assert.equal(cache.heldBytes(), 3000);
  });

  it('a file opened before an invalidation never shares blocks with one opened after it', async () => {
    const before = randomBytes(2048, 15);
    const after = randomBytes(2048, 16);
    const fake = await fakeWith('/f', before);
    fake.snapshotReads = true; // the old handle keeps serving the old content, as IGFS streams do
    const cache = new BlockCache({ blockSize: 1024, maxBytes: 1 << 20 });
    const oldFile = cache.open('/f', 'same', 2048, await fake.openRead('/f'));
    assert.deepEqual(await oldFile.read(0, 10), before.subarray(0, 10));
    fake.put('/f', after); // rewritten: same size and (say) the same mtime, so the same version string
    cache.invalidate('/f');
    assert.deepEqual(await oldFile.read(1024, 10), before.subarray(1024, 1034));
    const newFile = cache.open('/f', 'same', 2048, await fake.openRead('/f'));
    assert.deepEqual(await newFile.read(0, 2048), after);
    assert.deepEqual(await oldFile.read(0, 2048), before);
  });

  it('serves a new version from the source, never blocks of the old one', async () => {
    const oldData = randomBytes(5000, 4);
    const newData = randomBytes(5000, 5);
    const fake = await fakeWith('/f', oldData);
    const cache = new BlockCache({ blockSize: 1024, maxBytes: 1 << 20 });
    const oldFile = cache.open('/f', '5000:1', oldData.length, await fake.openRead('/f'));
    assert.deepEqual(await oldFile.read(0, 5000), oldData);
    fake.put('/f', newData);
    const newFile = cache.open('/f', '5000:2', newData.length, await fake.openRead('/f'));
    assert.deepEqual(await newFile.read(0, 5000), newData);
    assert.deepEqual(await newFile.read(1500, 100), newData.subarray(1500, 1600));
  });

  it('invalidation drops every version of a path and bumps its generation', async () => {
    const first = randomBytes(3000, 6);
    const second = randomBytes(3000, 7);
    const fake = await fakeWith('/f', first);
    fake.put('/g', randomBytes(100, 8));
    const cache = new BlockCache({ blockSize: 1024, maxBytes: 1 << 20 });
    const v1 = cache.open('/f', 'same', first.length, await fake.openRead('/f'));
    const v2 = cache.open('/f', 'other', first.length, await fake.openRead('/f'));
    const g = cache.open('/g', 'g', 100, await fake.openRead('/g'));
    await Promise.all([v1.read(0, 3000), v2.read(0, 3000), g.read(0, 100)]);
    const before = cache.stats().cachedBytes;
    assert.equal(before, 3000 + 3000 + 100);
    // Content changes while the version string stays the same (same size, same mtime).
    fake.put('/f', second);
    cache.invalidate('/f');
    assert.equal(cache.stats().cachedBytes, 100, 'only /g is left');
    const reopened = cache.open('/f', 'same', second.length, await fake.openRead('/f'));
    assert.deepEqual(await reopened.read(0, 3000), second);
    assert.deepEqual(await g.read(0, 100), fake.files.get('/g')!.data);
  });

  it('a fetch in flight when its path is invalidated answers its reader but is not kept', async () => {
    const data = randomBytes(2048, 9);
    const fake = await fakeWith('/f', data);
    const cache = new BlockCache({ blockSize: 1024, maxBytes: 1 << 20 });
    const file = cache.open('/f', 'v', data.length, await fake.openRead('/f'));
    const held = gate();
    fake.readGate = held.promise;
    const reading = file.read(0, 100);
    await settle();
    cache.invalidate('/f');
    held.open();
    fake.readGate = undefined;
    assert.deepEqual(await reading, data.subarray(0, 100));
    await settle();
    assert.equal(cache.stats().cachedBytes, 0);
    const later = cache.open('/f', 'v', data.length, await fake.openRead('/f'));
    const fetchesBefore = fake.count('readAt');
    assert.deepEqual(await later.read(0, 100), data.subarray(0, 100));
    assert.equal(fake.count('readAt'), fetchesBefore + 1, 'the block is fetched again');
  });

  it('invalidateSubtree drops the blocks of every path below a directory and nothing else', async () => {
    const fake = new FakeBackend();
    const paths = ['/d/a', '/d/sub/b', '/dx', '/e'];
    for (const [i, path] of paths.entries()) fake.put(path, randomBytes(500, 20 + i));
    const cache = new BlockCache({ blockSize: 1024, maxBytes: 1 << 20 });
    for (const path of paths) {
      const file = cache.open(path, 'v', 500, await fake.openRead(path));
      await file.read(0, 500);
      await file.close();
    }
    assert.equal(cache.stats().cachedBytes, 2000);
    cache.invalidateSubtree('/d');
    assert.equal(cache.stats().cachedBytes, 1000, '/dx and /e stay');
    cache.invalidateSubtree('/');
    assert.equal(cache.stats().cachedBytes, 0);
  });

  it('reports a source error to the reader and keeps nothing of it', async () => {
    const data = randomBytes(4096, 10);
    const fake = await fakeWith('/f', data);
    const cache = new BlockCache({ blockSize: 1024, maxBytes: 1 << 20 });
    const file = cache.open('/f', 'v', data.length, await fake.openRead('/f'));
    const failure = new FsError('EIO', 'disk on fire');
    fake.failRead = (call) => (call.position === 1024 ? failure : undefined);
    await assert.rejects(file.read(1000, 100), (err) => err === failure);
    assert.equal(cache.stats().fetchErrors, 1);
    fake.failRead = undefined;
    assert.deepEqual(await file.read(1000, 100), data.subarray(1000, 1100));
    assert.equal(fake.reads.filter((call) => call.position === 1024).length, 2, 'the failed block was asked again');
  });

  it('a reader that joined a failing read-ahead fetch retries on its own', async () => {
    const data = randomBytes(4096, 11);
    const fake = await fakeWith('/f', data);
    const cache = new BlockCache({ blockSize: 1024, maxBytes: 1 << 20 });
    const file = cache.open('/f', 'v', data.length, await fake.openRead('/f'));
    const held = gate();
    fake.readGate = held.promise;
    let failures = 1;
    fake.failRead = () => (failures-- > 0 ? new FsError('EIO', 'transient') : undefined);
    const prefetching = file.prefetch(2);
    const reading = file.read(2048, 10);
    await settle();
    assert.equal(fake.count('readAt'), 1, 'the reader joined the prefetch');
    held.open();
    fake.readGate = undefined;
    await assert.rejects(prefetching);
    assert.deepEqual(await reading, data.subarray(2048, 2058));
    assert.equal(fake.count('readAt'), 2);
    assert.equal(cache.stats().prefetches, 1);
  });

  it('a short answer from the source is returned as a short read and not cached', async () => {
    const data = randomBytes(3000, 12);
    const fake = await fakeWith('/f', data);
    const cache = new BlockCache({ blockSize: 1024, maxBytes: 1 << 20 });
    const file = cache.open('/f', 'v', data.length, await fake.openRead('/f'));
    fake.put('/f', data.subarray(0, 1500)); // truncated behind the handle's back
    const bytes = await file.read(0, 3000);
    assert.deepEqual(bytes, data.subarray(0, 1500), 'bytes up to the short block, never a gap or zeros');
    assert.equal(cache.stats().cachedBytes, 1024, 'only the full first block is kept');
  });

  it('close waits for the source reads of the file still in flight', async () => {
    const data = randomBytes(2048, 13);
    const fake = await fakeWith('/f', data);
    const cache = new BlockCache({ blockSize: 1024, maxBytes: 1 << 20 });
    const file = cache.open('/f', 'v', data.length, await fake.openRead('/f'));
    const held = gate();
    fake.readGate = held.promise;
    const prefetching = file.prefetch(1);
    let closed = false;
    const closing = file.close().then(() => {
      closed = true;
    });
    await settle();
    assert.equal(closed, false);
    held.open();
    await Promise.all([prefetching, closing]);
    assert.equal(closed, true);
    await assert.rejects(file.read(0, 1));
  });
});
