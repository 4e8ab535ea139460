// Randomized reference-model test: the same sequence of open/pwrite/write/truncate/ftruncate/read/
// fsync/close runs on FileSystem over MemoryBackend and on a real local file through node:fs; sizes
// and bytes must agree after every step, and the store must hold exactly the local bytes once every
// handle is closed. Each seed replays deterministically.
import assert from 'node:assert/strict';
import { constants } from 'node:fs';
import { mkdtemp, open, readdir, readFile, rm, stat, truncate, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ALICE, makeFixture, RDONLY, readAll, seededRandom, type Fixture } from './fs-fixture.js';

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];
const STEPS = 160;
/** Files grow to a few MiB; beyond this the sequence shrinks them. */
const SOFT_MAX_BYTES = 3 << 20;

interface PairedHandle {
  fh: number;
  local: FileHandle;
  flags: number;
  readable: boolean;
}

const OPEN_FLAGS = [
  constants.O_RDWR,
  constants.O_WRONLY,
  constants.O_RDWR | constants.O_APPEND,
  constants.O_WRONLY | constants.O_APPEND,
  constants.O_RDWR | constants.O_TRUNC,
  constants.O_RDONLY,
];

async function localSize(path: string): Promise<number> {
  return (await stat(path)).size;
}

async function readLocal(path: string, position: number, length: number): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const out = Buffer.alloc(length);
    const { bytesRead } = await file.read(out, 0, length, position);
    return out.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

async function runSeed(seed: number, fx: Fixture, localDir: string): Promise<void> {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const int = (max: number): number => Math.floor(random() * max);
  const path = '/model.bin';
  const localPath = join(localDir, `model-${seed}.bin`);
  const log: string[] = [];
  const context = (): string => `seed ${seed}, steps:\n  ${log.slice(-12).join('\n  ')}`;

  const fh0 = await fx.fs.create(path, 0o644, constants.O_RDWR | constants.O_CREAT, ALICE);
  const local0 = await open(localPath, constants.O_RDWR | constants.O_CREAT, 0o644);
  const handles: PairedHandle[] = [{ fh: fh0, local: local0, flags: constants.O_RDWR, readable: true }];

  const payload = (length: number): Buffer => {
    const data = Buffer.allocUnsafe(length);
    const base = int(256);
    for (let i = 0; i < length; i++) data[i] = (base + i * 7 + (i >> 9)) & 0xff;
    return data;
  };

  for (let step = 0; step < STEPS; step++) {
    const size = await localSize(localPath);
    const roll = random();
    const writers = handles.filter((h) => (h.flags & 3) !== constants.O_RDONLY);
    if (roll < 0.08 && handles.length < 4) {
      const flags = pick(OPEN_FLAGS);
      log.push(`open(${flags.toString(8)})`);
      const fh = await fx.fs.open(path, flags, ALICE);
      const local = await open(localPath, flags);
      handles.push({ fh, local, flags, readable: (flags & 3) !== constants.O_WRONLY });
    } else if (roll < 0.14 && handles.length > 1) {
      const handle = handles.splice(int(handles.length), 1)[0]!;
      log.push(`close(${handle.fh})`);
      await fx.fs.flush(path, handle.fh);
      await fx.fs.release(path, handle.fh);
      await handle.local.close();
    } else if (roll < 0.58 && writers.length > 0) {
      const handle = pick(writers);
      const shape = random();
      const length = shape < 0.05 ? 256 * 1024 + int(256 * 1024) : 1 + int(64 * 1024);
      // Mostly sequential appends, as real writers do; some overwrites and some holes.
      const position = size > SOFT_MAX_BYTES
        ? int(size)
        : shape < 0.6 ? size : shape < 0.85 ? int(size + 1) : size + int(128 * 1024);
      const data = payload(length);
      log.push(`pwrite(fh ${handle.fh}, pos ${position}, len ${length})`);
      const written = await fx.fs.write(path, handle.fh, data, position);
      assert.equal(written, length, context());
      await handle.local.write(data, 0, length, position);
    } else if (roll < 0.66) {
      const newSize = size > SOFT_MAX_BYTES ? int(size) : int(Math.floor(size * 1.3) + 2);
      const handle = writers.length > 0 && random() < 0.5 ? pick(writers) : undefined;
      if (handle !== undefined) {
        log.push(`ftruncate(fh ${handle.fh}, ${newSize})`);
        await fx.fs.ftruncate(path, handle.fh, newSize);
        await handle.local.truncate(newSize);
      } else {
        log.push(`truncate(${newSize})`);
        await fx.fs.truncate(path, newSize);
        await truncate(localPath, newSize);
      }
    } else if (roll < 0.72 && writers.length > 0) {
      const handle = pick(writers);
      log.push(`fsync(fh ${handle.fh})`);
      await fx.fs.fsync(path, handle.fh, false);
    } else {
      const readers = handles.filter((h) => h.readable);
      const position = int(size + 1024);
      const length = 1 + int(200 * 1024);
      const expected = await readLocal(localPath, position, length);
      let actual: Buffer;
      if (readers.length > 0 && random() < 0.7) {
        const handle = pick(readers);
        log.push(`read(fh ${handle.fh}, pos ${position}, len ${length})`);
        actual = await fx.fs.read(path, handle.fh, position, length);
      } else {
        log.push(`read(new handle, pos ${position}, len ${length})`);
        const fh = await fx.fs.open(path, RDONLY, ALICE);
        try {
          actual = await fx.fs.read(path, fh, position, length);
        } finally {
          await fx.fs.release(path, fh);
        }
      }
      assert.equal(actual.length, expected.length, `read length; ${context()}`);
      assert.ok(actual.equals(expected), `read bytes; ${context()}`);
    }
    const expectedSize = await localSize(localPath);
    assert.equal((await fx.fs.getattr(path)).size, expectedSize, `getattr size; ${context()}`);
    assert.equal((await fx.fs.fgetattr(path, handles[0]!.fh)).size, expectedSize, `fgetattr size; ${context()}`);
    if (step % 40 === 39) {
      assert.ok((await readAll(fx.fs, path)).equals(await readFile(localPath)), `full content; ${context()}`);
    }
  }

  for (const handle of handles) {
    await fx.fs.flush(path, handle.fh);
    await fx.fs.release(path, handle.fh);
    await handle.local.close();
  }
  const expected = await readFile(localPath);
  assert.ok((await readAll(fx.fs, path)).equals(expected), `final content; ${context()}`);
  // What the store itself holds once every handle is closed.
  const stored = await fx.backend.openRead(path);
  assert.equal(stored.size, expected.length, context());
  assert.ok((await stored.readAt(0, stored.size + 1)).equals(expected), `store content; ${context()}`);
  await stored.close();
  assert.equal(fx.backend.hasWriter(path), false);
  // The sequence must have exercised every write path: streaming, native re-create, staged rewrite.
  assert.ok(fx.backend.callCount('write') > 0 && fx.backend.callCount('rename') > 0 && fx.backend.callCount('create') > 1,
    `write ${fx.backend.callCount('write')}, rename ${fx.backend.callCount('rename')}, create ${fx.backend.callCount('create')}`);
}

describe('FileSystem against node:fs on a local file (reference model)', () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}`, async () => {
      const fx = await makeFixture({ maxStagedBytes: 64 << 20, maxUnflushedBytes: 1 << 20 });
      const localDir = await mkdtemp(join(tmpdir(), 'ifuse-model-'));
      try {
        await runSeed(seed, fx, localDir);
        assert.deepEqual(await readdir(fx.stagingDir), [], 'staging emptied');
      } finally {
        await fx.cleanup();
        await rm(localDir, { recursive: true, force: true });
      }
    });
  }
});
