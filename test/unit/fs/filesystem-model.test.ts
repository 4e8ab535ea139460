// The reference model (posix-model.ts) over FileSystem + MemoryBackend, several seeds, files up to a
// few MiB, with a small unflushed-tail limit so forced commits happen too.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeFixture } from './fs-fixture.js';
import { runModelSequence } from './posix-model.js';

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];
const STEPS = 160;

describe('FileSystem against node:fs on a local file (reference model)', () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}`, async () => {
      const fx = await makeFixture({ maxStagedBytes: 64 << 20, maxUnflushedBytes: 1 << 20 });
      const localDir = await mkdtemp(join(tmpdir(), 'ifuse-model-'));
      try {
        await runModelSequence({
          fs: fx.fs, store: fx.backend, path: '/model.bin', localPath: join(localDir, 'model.bin'), seed, steps: STEPS,
        });
        assert.equal(fx.backend.hasWriter('/model.bin'), false);
        assert.deepEqual(await readdir(fx.stagingDir), [], 'staging emptied');
        // The sequence must have exercised every write path: streaming, native re-create, staged rewrite.
        const [writes, renames, creates] = [fx.backend.callCount('write'), fx.backend.callCount('rename'), fx.backend.callCount('create')];
        assert.ok(writes > 0 && renames > 0 && creates > 1, `write ${writes}, rename ${renames}, create ${creates}`);
      } finally {
        await fx.cleanup();
        await rm(localDir, { recursive: true, force: true });
      }
    });
  }
});
