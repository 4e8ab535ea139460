import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { StagingArea } from '../../../src/fs/staging.js';
import { codeOf } from './fs-fixture.js';

describe('StagingArea', () => {
  it('bounds the total staged size and gives the bytes back on shrink and dispose', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ifuse-staging-test-'));
    try {
      const area = await StagingArea.open(join(dir, 'nested'), 1000);
      const a = await area.createFile('/a');
      const b = await area.createFile('/b');
      await a.write(0, Buffer.alloc(600, 1));
      assert.equal(await codeOf(b.write(0, Buffer.alloc(500))), 'EFBIG');
      assert.equal(b.size, 0, 'a refused write stages nothing');
      await a.truncate(100);
      await b.write(0, Buffer.alloc(500, 2));
      await a.write(200, Buffer.from('x'));
      assert.equal(a.size, 201);
      assert.deepEqual(await a.read(99, 3), Buffer.from([1, 0, 0]));
      assert.equal(await codeOf(a.truncate(600)), 'EFBIG');
      await b.dispose();
      await a.truncate(799);
      assert.equal((await a.read(0, 2000)).length, 799);
      await a.dispose();
      assert.deepEqual(await readdir(join(dir, 'nested')), []);
      const c = await area.createFile('/c');
      await c.write(0, Buffer.alloc(1000));
      await c.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
