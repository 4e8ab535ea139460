// A randomized reference model for a PosixFs: the same sequence of open/pwrite/write/truncate/ftruncate/
// read/fsync/close runs on the filesystem under test and on a real local file through node:fs; sizes and
// bytes must agree after every step, and the store must hold exactly the local bytes once every handle is
// closed. A seed replays deterministically. Used over MemoryBackend in unit tests; the same function can
// drive FileSystem over a real store (integration tests).
import assert from 'node:assert/strict';
import { constants } from 'node:fs';
import { open, readFile, stat, truncate, type FileHandle } from 'node:fs/promises';
import type { Backend } from '../../../src/fs/backend.js';
import type { PosixFs } from '../../../src/fs/posix-fs.js';
import { ALICE, RDONLY, readAll, seededRandom } from './fs-fixture.js';

export interface ModelRun {
  fs: PosixFs;
  /** The store under `fs`, read directly at the end. */
  store: Backend;
  /** Path of the file on `fs`. */
  path: string;
  /** A local file (need not exist) that plays the same sequence through node:fs. */
  localPath: string;
  seed: number;
  steps: number;
  /** Files grow to about this size; beyond it the sequence shrinks them. */
  softMaxBytes?: number;
}

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

export async function runModelSequence(run: ModelRun): Promise<void> {
  const { fs, store, path, localPath, seed, steps } = run;
  const softMaxBytes = run.softMaxBytes ?? 3 << 20;
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const int = (max: number): number => Math.floor(random() * max);
  const log: string[] = [];
  const context = (): string => `seed ${seed}, steps:\n  ${log.slice(-12).join('\n  ')}`;

  const fh0 = await fs.create(path, 0o644, constants.O_RDWR | constants.O_CREAT, ALICE);
  const local0 = await open(localPath, constants.O_RDWR | constants.O_CREAT, 0o644);
  const handles: PairedHandle[] = [{ fh: fh0, local: local0, flags: constants.O_RDWR, readable: true }];

  const payload = (length: number): Buffer => {
    const data = Buffer.allocUnsafe(length);
    const base = int(256);
    for (let i = 0; i < length; i++) data[i] = (base + i * 7 + (i >> 9)) & 0xff;
    return data;
  };

  for (let step = 0; step < steps; step++) {
    const size = await localSize(localPath);
    const roll = random();
    const writers = handles.filter((h) => (h.flags & 3) !== constants.O_RDONLY);
    if (roll < 0.08 && handles.length < 4) {
      const flags = pick(OPEN_FLAGS);
      log.push(`open(${flags.toString(8)})`);
      const fh = await fs.open(path, flags, ALICE);
      const local = await open(localPath, flags);
      handles.push({ fh, local, flags, readable: (flags & 3) !== constants.O_WRONLY });
    } else if (roll < 0.14 && handles.length > 1) {
      const handle = handles.splice(int(handles.length), 1)[0]!;
      log.push(`close(${handle.fh})`);
      await fs.flush(path, handle.fh);
      await fs.release(path, handle.fh);
      await handle.local.close();
    } else if (roll < 0.58 && writers.length > 0) {
      const handle = pick(writers);
      const shape = random();
      const length = shape < 0.05 ? 256 * 1024 + int(256 * 1024) : 1 + int(64 * 1024);
      // Mostly sequential appends, as real writers do; some overwrites and some holes.
      const position = size > softMaxBytes
        ? int(size)
        : shape < 0.6 ? size : shape < 0.85 ? int(size + 1) : size + int(128 * 1024);
      const data = payload(length);
      log.push(`pwrite(fh ${handle.fh}, pos ${position}, len ${length})`);
      const written = await fs.write(path, handle.fh, data, position);
      assert.equal(written, length, context());
      await handle.local.write(data, 0, length, position);
    } else if (roll < 0.66) {
      const newSize = size > softMaxBytes ? int(size) : int(Math.floor(size * 1.3) + 2);
      const handle = writers.length > 0 && random() < 0.5 ? pick(writers) : undefined;
      if (handle !== undefined) {
        log.push(`ftruncate(fh ${handle.fh}, ${newSize})`);
        await fs.ftruncate(path, handle.fh, newSize);
        await handle.local.truncate(newSize);
      } else {
        log.push(`truncate(${newSize})`);
        await fs.truncate(path, newSize);
        await truncate(localPath, newSize);
      }
    } else if (roll < 0.72 && writers.length > 0) {
      const handle = pick(writers);
      log.push(`fsync(fh ${handle.fh})`);
      await fs.fsync(path, handle.fh, false);
    } else {
      const readers = handles.filter((h) => h.readable);
      const position = int(size + 1024);
      const length = 1 + int(200 * 1024);
      const expected = await readLocal(localPath, position, length);
      let actual: Buffer;
      if (readers.length > 0 && random() < 0.7) {
        const handle = pick(readers);
        log.push(`read(fh ${handle.fh}, pos ${position}, len ${length})`);
        actual = await fs.read(path, handle.fh, position, length);
      } else {
        log.push(`read(new handle, pos ${position}, len ${length})`);
        const fh = await fs.open(path, RDONLY, ALICE);
        try {
          actual = await fs.read(path, fh, position, length);
        } finally {
          await fs.release(path, fh);
        }
      }
      assert.equal(actual.length, expected.length, `read length; ${context()}`);
      assert.ok(actual.equals(expected), `read bytes; ${context()}`);
    }
    const expectedSize = await localSize(localPath);
    assert.equal((await fs.getattr(path)).size, expectedSize, `getattr size; ${context()}`);
    assert.equal((await fs.fgetattr(path, handles[0]!.fh)).size, expectedSize, `fgetattr size; ${context()}`);
    if (step % 40 === 39) {
      assert.ok((await readAll(fs, path)).equals(await readFile(localPath)), `full content; ${context()}`);
    }
  }

  for (const handle of handles) {
    await fs.flush(path, handle.fh);
    await fs.release(path, handle.fh);
    await handle.local.close();
  }
  const expected = await readFile(localPath);
  assert.ok((await readAll(fs, path)).equals(expected), `final content; ${context()}`);
  // What the store itself holds once every handle is closed.
  const stored = await store.openRead(path);
  try {
    assert.equal(stored.size, expected.length, context());
    const parts: Buffer[] = [];
    for (let position = 0; position < stored.size; ) {
      const part = await stored.readAt(position, Math.min(1 << 20, stored.size - position));
      if (part.length === 0) break;
      parts.push(part);
      position += part.length;
    }
    assert.ok(Buffer.concat(parts).equals(expected), `store content; ${context()}`);
  } finally {
    await stored.close();
  }
}
