import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AttrCache } from '../../../src/cache/attr-cache.js';
import { ManualClock } from '../../../src/cache/clock.js';
import { isFsError } from '../../../src/fs/errors.js';
import { FakeBackend } from './fake-backend.js';
import { gate, settle } from './helpers.js';

function setup(ttls: { attrTtlMs?: number; negativeTtlMs?: number; dirTtlMs?: number } = {}) {
  const clock = new ManualClock(1_000);
  const cache = new AttrCache({ attrTtlMs: 1000, negativeTtlMs: 500, dirTtlMs: 2000, clock, ...ttls });
  const fake = new FakeBackend();
  const stat = (path: string) => cache.stat(path, () => fake.stat(path));
  const list = (path: string) => cache.list(path, () => fake.list(path));
  return { clock, cache, fake, stat, list };
}

describe('AttrCache', () => {
  it('serves attributes until attrTtlMs has passed, then asks again', async () => {
    const { clock, fake, stat } = setup();
    fake.put('/f', Buffer.from('hello'));
    assert.equal((await stat('/f')).size, 5);
    fake.put('/f', Buffer.from('hello world')); // another client grows the file
    clock.advance(999);
    assert.equal((await stat('/f')).size, 5, 'still within the TTL');
    assert.equal(fake.count('stat'), 1);
    clock.advance(1);
    assert.equal((await stat('/f')).size, 11, 'expired: asked the store');
    assert.equal(fake.count('stat'), 2);
  });

  it('remembers ENOENT for negativeTtlMs', async () => {
    const { clock, cache, fake, stat } = setup();
    await assert.rejects(stat('/missing'), (err) => isFsError(err, 'ENOENT'));
    fake.put('/missing', Buffer.from('x')); // created elsewhere
    clock.advance(499);
    await assert.rejects(stat('/missing'), (err) => isFsError(err, 'ENOENT'));
    assert.equal(fake.count('stat'), 1);
    assert.equal(cache.stats().negativeHits, 1);
    clock.advance(1);
    assert.equal((await stat('/missing')).size, 1);
    assert.equal(fake.count('stat'), 2);
  });

  it('does not remember errors other than ENOENT', async () => {
    const { cache } = setup();
    let calls = 0;
    const failing = async () => {
      calls++;
      throw Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' });
    };
    await assert.rejects(cache.stat('/x', failing));
    await assert.rejects(cache.stat('/x', failing));
    assert.equal(calls, 2);
  });

  it('with a TTL of 0 nothing is remembered', async () => {
    const { fake, stat, list } = setup({ attrTtlMs: 0, negativeTtlMs: 0, dirTtlMs: 0 });
    fake.put('/f', Buffer.from('a'));
    await stat('/f');
    await stat('/f');
    await assert.rejects(stat('/nope'));
    await assert.rejects(stat('/nope'));
    await list('/');
    await list('/');
    assert.equal(fake.count('stat'), 4);
    assert.equal(fake.count('list'), 2);
  });

  it('serves listings until dirTtlMs and fills the attributes of their entries', async () => {
    const { clock, fake, stat, list } = setup();
    fake.put('/a', Buffer.from('1'));
    fake.put('/b', Buffer.from('22'));
    assert.deepEqual((await list('/')).map((e) => e.name), ['a', 'b']);
    assert.equal((await stat('/b')).size, 2);
    assert.equal(fake.count('stat'), 0, 'the listing answered the stat');
    fake.put('/c', Buffer.from('333'));
    clock.advance(1999);
    const cached = await list('/');
    assert.deepEqual(cached.map((e) => e.name), ['a', 'b']);
    cached.pop(); // the caller owns its copy
    assert.equal((await list('/')).length, 2);
    clock.advance(1);
    assert.deepEqual((await list('/')).map((e) => e.name), ['a', 'b', 'c']);
    assert.equal(fake.count('list'), 2);
  });

  it('shares one load between concurrent callers', async () => {
    const { cache } = setup();
    const held = gate();
    let loads = 0;
    const load = async () => {
      loads++;
      await held.promise;
      return { kind: 'file' as const, size: 7, mtimeMs: 1, atimeMs: 1, version: '7:1' };
    };
    const answers = Promise.all([cache.stat('/f', load), cache.stat('/f', load), cache.stat('/f', load)]);
    await settle();
    held.open();
    assert.deepEqual((await answers).map((a) => a.size), [7, 7, 7]);
    assert.equal(loads, 1);
  });

  it('invalidate drops the path, its negative entry, its own listing and its parent listing', async () => {
    const { cache, fake, stat, list } = setup();
    fake.dirs.set('/d', { mtimeMs: 1 });
    fake.put('/d/f', Buffer.from('x'));
    await stat('/d/f');
    await assert.rejects(stat('/d/g'));
    await list('/d');
    await list('/');
    fake.resetCounts();
    cache.invalidate('/d/g');
    await assert.rejects(stat('/d/g'));
    assert.equal(fake.count('stat'), 1, 'negative entry dropped');
    await list('/d');
    assert.equal(fake.count('list'), 1, 'parent listing dropped');
    await stat('/d/f');
    await list('/');
    assert.equal(fake.count('stat'), 1, 'the sibling stays');
    assert.equal(fake.count('list'), 1, 'the grandparent listing stays');
    cache.invalidate('/d');
    await list('/d');
    await list('/');
    assert.equal(fake.count('list'), 3, 'a directory: its own listing and its parent listing');
  });

  it('invalidateSubtree drops everything below a directory, and the parent listing', async () => {
    const { cache, fake, stat, list } = setup();
    fake.dirs.set('/d', { mtimeMs: 1 });
    fake.dirs.set('/d/s', { mtimeMs: 1 });
    fake.dirs.set('/dx', { mtimeMs: 1 });
    fake.put('/d/s/f', Buffer.from('x'));
    fake.put('/dx/f', Buffer.from('y'));
    for (const path of ['/d', '/d/s', '/d/s/f', '/dx/f']) await stat(path);
    for (const path of ['/', '/d', '/d/s', '/dx']) await list(path);
    fake.resetCounts();
    cache.invalidateSubtree('/d');
    for (const path of ['/d', '/d/s', '/d/s/f', '/dx/f']) await stat(path);
    for (const path of ['/', '/d', '/d/s', '/dx']) await list(path);
    assert.equal(fake.count('stat'), 3, '/dx/f is not below /d');
    assert.equal(fake.count('list'), 3, '/dx is not below /d');
  });

  it('a load in flight when its path is invalidated is not stored', async () => {
    const { cache, fake } = setup();
    fake.put('/f', Buffer.from('old'));
    const held = gate();
    const slowStat = async () => {
      const attrs = await fake.stat('/f');
      await held.promise;
      return attrs;
    };
    const racing = cache.stat('/f', slowStat);
    await settle();
    fake.put('/f', Buffer.from('newer'));
    cache.invalidate('/f');
    // A caller after the mutation does not join the old load.
    const after = cache.stat('/f', () => fake.stat('/f'));
    held.open();
    assert.equal((await racing).size, 3, 'the racing caller gets what its load saw');
    assert.equal((await after).size, 5);
    assert.equal((await cache.stat('/f', () => fake.stat('/f'))).size, 5, 'the old answer was not stored');
  });

  it('a listing in flight when a child changes is not stored', async () => {
    const { cache, fake, list } = setup();
    fake.put('/a', Buffer.from('1'));
    const held = gate();
    const racing = cache.list('/', async () => {
      const entries = await fake.list('/');
      await held.promise;
      return entries;
    });
    await settle();
    fake.put('/b', Buffer.from('2'));
    cache.invalidate('/b');
    held.open();
    assert.deepEqual((await racing).map((e) => e.name), ['a']);
    assert.deepEqual((await list('/')).map((e) => e.name), ['a', 'b']);
  });
});
