// The snapshot machinery of the caches view on its own (no server needed): a TtlSlot serves one snapshot until its
// TTL passes, shares concurrent builds, keeps a leased snapshot alive past expiry and disposes it after the last
// lease; a Spool moves to disk past its limits and removes its file on release. A fake clock drives time.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MemoryBudget, Spool } from '../../src/views/caches/spool.js';
import { PIN_TTLS, TtlSlot, type Disposable } from '../../src/views/caches/ttl-slot.js';

class Snap implements Disposable {
  disposed = false;
  constructor(readonly n: number) {}
  async dispose(): Promise<void> {
    this.disposed = true;
  }
}

describe('TtlSlot', () => {
  it('serves one snapshot until the TTL passes, then builds a new one; open files pin it (within a bound)', async () => {
    let now = 0;
    let builds = 0;
    const slot = new TtlSlot(async () => new Snap(++builds), 1000, () => now);
    const [a, b] = await Promise.all([slot.acquire(), slot.acquire()]);
    assert.equal(builds, 1, 'concurrent first uses share one build');
    assert.equal(a.value, b.value);
    now = 999;
    assert.equal(await slot.with((s) => s.n), 1);
    now = 1000;
    assert.equal(await slot.with((s) => s.n), 1, 'past the TTL but still open: not replaced');
    a.release();
    assert.equal(await slot.with((s) => s.n), 1, 'one open file left');
    b.release();
    assert.equal(await slot.with((s) => s.n), 2, 'rebuilt once nothing holds it');
    assert.equal(a.value.disposed, true, 'the old one disposed');
    const held = await slot.acquire();
    now = 2000 + PIN_TTLS * 1000;
    assert.equal(await slot.with((s) => s.n), 3, 'an open file pins a snapshot for PIN_TTLS TTLs at most');
    assert.equal(held.value.disposed, false, 'but keeps its own bytes');
    held.release();
    assert.equal(held.value.disposed, true);
  });

  it('sweep drops an expired, unleased snapshot; a failed build is not kept', async () => {
    let now = 0;
    let fail = true;
    const slot = new TtlSlot(async () => {
      if (fail) throw new Error('server down');
      return new Snap(1);
    }, 1000, () => now);
    await assert.rejects(slot.acquire(), /server down/);
    fail = false;
    const s = await slot.with((x) => x);
    assert.equal(slot.sweep(), false, 'fresh: kept');
    now = 1000;
    assert.equal(slot.sweep(), true, 'expired: dropped');
    await Promise.resolve();
    assert.equal(s.disposed, true);
  });
});

describe('Spool', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cv-spool-test-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('stays in memory under its limit, moves to a file past it, reads back every byte, removes the file', async () => {
    const budget = new MemoryBudget(1 << 20);
    const small = new Spool({ dir, maxMemoryBytes: 1000, budget });
    await small.append(Buffer.from('abc'));
    await small.append(Buffer.from('defg'));
    await small.finish();
    assert.equal(small.onDisk, false);
    assert.equal(budget.usedBytes, 7);
    assert.equal((await small.readAt(2, 4)).toString(), 'cdef');
    await small.release();
    assert.equal(budget.usedBytes, 0);

    const big = new Spool({ dir, maxMemoryBytes: 1000, budget });
    const parts = Array.from({ length: 50 }, (_, i) => Buffer.alloc(97 + i, i));
    const offsets: number[] = [];
    for (const p of parts) offsets.push(await big.append(p));
    await big.finish();
    assert.equal(big.onDisk, true);
    assert.equal(budget.usedBytes, 0, 'nothing held in memory once on disk');
    assert.equal((await readdir(dir)).length, 1);
    for (const [i, p] of parts.entries()) assert.ok((await big.readAt(offsets[i]!, p.length)).equals(p), `part ${i}`);
    assert.equal((await big.readAt(big.size, 10)).length, 0);
    await big.release();
    assert.deepEqual(await readdir(dir), []);
  });

  it('moves to a file when the shared memory budget is spent', async () => {
    const budget = new MemoryBudget(10);
    const a = new Spool({ dir, maxMemoryBytes: 1000, budget });
    await a.append(Buffer.alloc(8));
    const b = new Spool({ dir, maxMemoryBytes: 1000, budget });
    await b.append(Buffer.alloc(8));
    assert.equal(a.onDisk, false);
    assert.equal(b.onDisk, true);
    await a.release();
    await b.release();
    assert.equal(budget.usedBytes, 0);
    assert.deepEqual(await readdir(dir), []);
  });
});
