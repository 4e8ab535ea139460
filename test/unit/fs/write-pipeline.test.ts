import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { WriteHandle } from '../../../src/fs/backend.js';
import { FsError } from '../../../src/fs/errors.js';
import { FileSystem } from '../../../src/fs/filesystem.js';
import { MemoryBackend } from '../../../src/fs/memory-backend.js';
import { PipelinedBackend, WritePipeline } from '../../../src/fs/write-pipeline.js';
import { ALICE, codeOf, identities, O, readAll, seededRandom } from './fs-fixture.js';

const KiB = 1024;

/** A store handle whose writes complete only when the test says so, recording what it was given. */
class GatedHandle implements WriteHandle {
  readonly writes: Buffer[] = [];
  readonly events: string[] = [];
  private gates: Array<{ resolve: () => void; reject: (err: unknown) => void }> = [];
  committed = 0;
  flushed = 0;
  closed = false;

  constructor(readonly initialSize = 0) {}

  get size(): number {
    return this.initialSize + this.committed;
  }

  write(data: Buffer): Promise<void> {
    this.writes.push(Buffer.from(data));
    this.events.push(`write ${data.length}`);
    return new Promise<void>((resolve, reject) => {
      this.gates.push({
        resolve: () => {
          this.committed += data.length;
          resolve();
        },
        reject,
      });
    });
  }

  get waiting(): number {
    return this.gates.length;
  }

  /** Completes the oldest running write. */
  release(): void {
    const gate = this.gates.shift();
    assert.ok(gate, 'no store write is running');
    gate.resolve();
  }

  fail(err: unknown): void {
    const gate = this.gates.shift();
    assert.ok(gate, 'no store write is running');
    gate.reject(err);
  }

  async flush(): Promise<void> {
    this.flushed++;
    this.events.push('flush');
  }

  async close(): Promise<void> {
    this.closed = true;
    this.events.push('close');
  }
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

function patterned(length: number, seed: number): Buffer {
  const rand = seededRandom(seed);
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = Math.floor(rand() * 256);
  return out;
}

describe('WritePipeline', () => {
  it('sends an idle writer\'s bytes at once and gathers the writes made while a store write runs', async () => {
    const store = new GatedHandle();
    const pipe = new WritePipeline(store, { blockBytes: 512 * KiB, maxQueuedBytes: 4096 * KiB });
    const chunks = Array.from({ length: 10 }, (_, i) => patterned(128 * KiB, i + 1));
    await pipe.write(chunks[0]!);
    assert.deepEqual(store.events, [`write ${128 * KiB}`], 'the first write goes out without waiting');
    for (const c of chunks.slice(1)) await pipe.write(c);
    assert.equal(store.waiting, 1, 'one store write at a time');
    assert.equal(pipe.size, 10 * 128 * KiB);
    store.release();
    await tick();
    assert.deepEqual(store.events.slice(1), [`write ${512 * KiB}`], 'gathered up to blockBytes');
    store.release();
    await tick();
    assert.deepEqual(store.events.slice(2), [`write ${512 * KiB}`]);
    store.release();
    await tick();
    assert.deepEqual(store.events.slice(3), [`write ${128 * KiB}`], 'the rest');
    const flushing = pipe.flush();
    await tick();
    assert.equal(store.flushed, 0, 'flush waits for the queued bytes to reach the store');
    store.release();
    await flushing;
    assert.deepEqual(Buffer.concat(store.writes), Buffer.concat(chunks), 'bytes in order, none lost or repeated');
    assert.equal(store.flushed, 1);
    assert.equal(pipe.size, store.size);
  });

  it('a write larger than a block is passed on whole', async () => {
    const store = new GatedHandle();
    const pipe = new WritePipeline(store, { blockBytes: 64 * KiB, maxQueuedBytes: 1024 * KiB });
    const big = patterned(300 * KiB, 9);
    await pipe.write(big);
    assert.deepEqual(store.events, [`write ${300 * KiB}`]);
    store.release();
    await pipe.close();
    assert.deepEqual(Buffer.concat(store.writes), big);
    assert.equal(store.closed, true);
  });

  it('applies back-pressure: write() waits while more than maxQueuedBytes are not yet taken by the store', async () => {
    const store = new GatedHandle();
    const pipe = new WritePipeline(store, { blockBytes: 128 * KiB, maxQueuedBytes: 256 * KiB });
    await pipe.write(Buffer.alloc(128 * KiB, 1));
    await pipe.write(Buffer.alloc(128 * KiB, 2));
    let third = false;
    const pending = pipe.write(Buffer.alloc(128 * KiB, 3)).then(() => {
      third = true;
    });
    await tick();
    assert.equal(third, false, '384 KiB queued > 256 KiB: the writer waits');
    assert.ok(pipe.queuedBytes <= 384 * KiB);
    store.release();
    await pending;
    assert.equal(third, true, 'released once the store took a block');
    store.release();
    await tick();
    store.release();
    await pipe.flush();
    assert.equal(pipe.queuedBytes, 0);
    assert.equal(Buffer.concat(store.writes).length, 384 * KiB);
  });

  it('a failed store write is reported by the next write, by flush and by close, which still closes the store handle', async () => {
    const store = new GatedHandle();
    const pipe = new WritePipeline(store, { blockBytes: 128 * KiB, maxQueuedBytes: 1024 * KiB });
    await pipe.write(Buffer.alloc(10, 1));
    await pipe.write(Buffer.alloc(10, 2));
    const boom = new FsError('EIO', 'injected');
    store.fail(boom);
    await tick();
    assert.equal(store.waiting, 0, 'nothing after the failure is sent');
    await assert.rejects(pipe.write(Buffer.alloc(10, 3)), boom);
    await assert.rejects(pipe.flush(), boom);
    assert.equal(store.flushed, 0, 'no commit after a failed write');
    await assert.rejects(pipe.close(), boom);
    assert.equal(store.closed, true);
  });

  it('a writer blocked by back-pressure learns of a failure instead of waiting forever', async () => {
    const store = new GatedHandle();
    const pipe = new WritePipeline(store, { blockBytes: 64 * KiB, maxQueuedBytes: 64 * KiB });
    await pipe.write(Buffer.alloc(64 * KiB));
    const blocked = pipe.write(Buffer.alloc(64 * KiB));
    await tick();
    const boom = new FsError('EIO', 'injected');
    store.fail(boom);
    await assert.rejects(blocked, boom);
  });

  it('starts from the store handle\'s size (append) and follows it after each flush', async () => {
    const store = new GatedHandle(1000);
    const pipe = new WritePipeline(store, { blockBytes: 64 * KiB, maxQueuedBytes: 64 * KiB });
    assert.equal(pipe.size, 1000);
    await pipe.write(Buffer.alloc(24));
    assert.equal(pipe.size, 1024);
    store.release();
    await pipe.flush();
    assert.equal(pipe.size, 1024);
  });

  it('rejects options that cannot bound memory', () => {
    assert.throws(() => new WritePipeline(new GatedHandle(), { blockBytes: 0, maxQueuedBytes: 10 }), RangeError);
    assert.throws(() => new WritePipeline(new GatedHandle(), { blockBytes: 100, maxQueuedBytes: 10 }), RangeError);
  });
});

describe('FileSystem over a PipelinedBackend', () => {
  const setup = async () => {
    const backend = new MemoryBackend();
    const stagingDir = await mkdtemp(join(tmpdir(), 'ifuse-pipeline-test-'));
    const fs = await FileSystem.create(new PipelinedBackend(backend, { blockBytes: 64 * KiB, maxQueuedBytes: 256 * KiB }), {
      uid: 4242, gid: 4343, identities, stagingDir,
    });
    return { fs, backend, cleanup: async () => { await fs.shutdown().catch(() => undefined); await rm(stagingDir, { recursive: true, force: true }); } };
  };

  it('sequential writes of odd sizes read back byte for byte, before and after close', async () => {
    const { fs, cleanup } = await setup();
    try {
      const data = patterned(1024 * KiB + 123, 77);
      const fh = await fs.create('/f', 0o644, O.O_WRONLY | O.O_CREAT, ALICE);
      const rand = seededRandom(5);
      for (let at = 0; at < data.length;) {
        const n = Math.min(data.length - at, 1 + Math.floor(rand() * 200 * KiB));
        assert.equal(await fs.write('/f', fh, data.subarray(at, at + n), at), n);
        at += n;
      }
      assert.deepEqual(await readAll(fs, '/f'), data, 'read-your-writes while the writer is open');
      await fs.flush('/f', fh);
      await fs.release('/f', fh);
      assert.deepEqual(await readAll(fs, '/f'), data);
    } finally {
      await cleanup();
    }
  });

  it('a store write failure surfaces at fsync and close (release), and the file keeps what was committed', async () => {
    const { fs, backend, cleanup } = await setup();
    try {
      const fh = await fs.create('/f', 0o644, O.O_WRONLY | O.O_CREAT, ALICE);
      await fs.write('/f', fh, Buffer.from('kept'), 0);
      await fs.fsync('/f', fh, false);
      backend.injectFault({ op: 'write', error: new FsError('EIO', 'injected') });
      // The write that fails in the store may already have been answered: its error comes with a later call.
      await fs.write('/f', fh, Buffer.from('lost'), 4).catch(() => undefined);
      assert.equal(await codeOf(fs.fsync('/f', fh, false)), 'EIO');
      assert.equal(await codeOf(fs.flush('/f', fh)), 'EIO');
      assert.equal(await codeOf(fs.release('/f', fh)), 'EIO');
      assert.equal(backend.hasWriter('/f'), false, 'the store stream is closed anyway');
      assert.equal((await readAll(fs, '/f')).toString(), 'kept');
    } finally {
      await cleanup();
    }
  });
});
