// Bulk data through the real node: a 256 MiB random file streamed in and out (never whole in memory), and 16 files
// written and read concurrently over the pool.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { newClient, startInstance, uniqueDir } from './ignite-node.js';
import type { IgfsClient } from '../../../src/igfs/client.js';

let client: IgfsClient;
let d: string;

before(async () => {
  await startInstance();
  client = newClient({ poolSize: 4 });
  d = uniqueDir('large');
  await client.mkdirs(d);
});

after(async () => {
  await client.delete(d, { recursive: true });
  client.close();
});

/** `total` random bytes in `chunkBytes` pieces, hashed as they are produced. */
async function* randomChunks(total: number, chunkBytes: number, hash: ReturnType<typeof createHash>): AsyncGenerator<Buffer> {
  for (let done = 0; done < total; done += chunkBytes) {
    const chunk = randomBytes(Math.min(chunkBytes, total - done));
    hash.update(chunk);
    yield chunk;
  }
}

test('256 MiB random file: streamed write, pipelined read, equal SHA-256', async (t) => {
  const size = 256 * 1024 * 1024;
  const f = `${d}/random-256m.bin`;
  const written = createHash('sha256');
  const t0 = process.hrtime.bigint();
  assert.equal(await client.writeFile(f, randomChunks(size, 4 * 1024 * 1024, written)), size);
  const t1 = process.hrtime.bigint();
  assert.equal((await client.info(f))?.length, size);
  const read = createHash('sha256');
  let got = 0;
  for await (const chunk of client.readChunks(f, { chunkBytes: 1024 * 1024, inFlight: 8 })) {
    read.update(chunk);
    got += chunk.length;
  }
  const t2 = process.hrtime.bigint();
  assert.equal(got, size);
  assert.equal(read.digest('hex'), written.digest('hex'));
  const mbps = (bytes: number, ns: bigint): string => ((bytes / 1e6) / (Number(ns) / 1e9)).toFixed(0);
  t.diagnostic(`write ${mbps(size, t1 - t0)} MB/s, read ${mbps(size, t2 - t1)} MB/s (informational, not asserted)`);
  await client.delete(f);
});

test('16 files written and read concurrently', async () => {
  const n = 16;
  const size = 3 * 1024 * 1024 + 12345;
  const hashes = await Promise.all(Array.from({ length: n }, async (_, i) => {
    const h = createHash('sha256');
    await client.writeFile(`${d}/c${i}`, randomChunks(size, 256 * 1024 + i, h));
    return h.digest('hex');
  }));
  const readBack = await Promise.all(Array.from({ length: n }, async (_, i) => {
    const h = createHash('sha256');
    let total = 0;
    for await (const c of client.readChunks(`${d}/c${i}`, { chunkBytes: 300_000, inFlight: 3 })) {
      h.update(c);
      total += c.length;
    }
    assert.equal(total, size);
    return h.digest('hex');
  }));
  assert.deepEqual(readBack, hashes);
});

test('16 writers at the same time on a pool of 4 connections, then readers while others write', async () => {
  const writers = await Promise.all(Array.from({ length: 16 }, (_, i) => client.openCreate(`${d}/w${i}`)));
  const blocks = Array.from({ length: 16 }, (_, i) => Buffer.alloc(100_000, i + 1));
  for (let round = 0; round < 5; round++) await Promise.all(writers.map((w, i) => w.write(blocks[i])));
  await Promise.all(writers.map((w) => w.close()));
  const contents = await Promise.all(Array.from({ length: 16 }, (_, i) => client.readFile(`${d}/w${i}`)));
  contents.forEach((c, i) => assert.ok(c.equals(Buffer.concat(Array(5).fill(blocks[i]))), `file w${i}`));
});
