// Shared setup for FileSystem unit tests: a MemoryBackend, a fake clock, a private staging directory
// and a fixed identity table, so tests depend on nothing of the machine they run on.
import { constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileSystem, type FileSystemOptions } from '../../../src/fs/filesystem.js';
import { TableIdentityMap } from '../../../src/fs/identity.js';
import { MemoryBackend, type MemoryBackendOptions } from '../../../src/fs/memory-backend.js';
import type { Caller, PosixFs } from '../../../src/fs/posix-fs.js';
import { FakeClock } from '../../../src/util/fake-clock.js';
import { parseIdTable } from '../../../src/util/passwd-db.js';

export { seededRandom } from '../../../src/util/seeded-random.js';

export const ALICE: Caller = { uid: 1000, gid: 1000, pid: 42 };
export const BOB: Caller = { uid: 1001, gid: 1001, pid: 43 };
export const ROOT: Caller = { uid: 0, gid: 0, pid: 1 };

export const identities = new TableIdentityMap(
  parseIdTable('root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\nbob:x:1001:1001::/home/bob:/bin/sh\n'),
  parseIdTable('root:x:0:\nalice:x:1000:\nbob:x:1001:\nstaff:x:50:alice,bob\n'),
);

export const O = constants;
export const RDONLY = constants.O_RDONLY;
export const WRONLY = constants.O_WRONLY;
export const RDWR = constants.O_RDWR;

export interface Fixture {
  fs: FileSystem;
  backend: MemoryBackend;
  clock: FakeClock;
  stagingDir: string;
  cleanup(): Promise<void>;
}

export async function makeFixture(
  options: Partial<FileSystemOptions> = {},
  backendOptions: MemoryBackendOptions = {},
): Promise<Fixture> {
  const clock = new FakeClock();
  const backend = new MemoryBackend({ now: () => clock.now(), ...backendOptions });
  const stagingDir = options.stagingDir ?? (await mkdtemp(join(tmpdir(), 'ifuse-fs-test-')));
  const fs = await FileSystem.create(backend, {
    uid: 4242, gid: 4343, identities, clock, maxStagedBytes: 8 << 20, ...options, stagingDir,
  });
  return {
    fs, backend, clock, stagingDir,
    cleanup: async () => {
      await fs.shutdown().catch(() => undefined);
      await rm(stagingDir, { recursive: true, force: true });
    },
  };
}

/** Reads a whole file through a fresh read-only handle. */
export async function readAll(fs: PosixFs, path: string, chunkBytes = 1 << 20): Promise<Buffer> {
  const fh = await fs.open(path, RDONLY, ALICE);
  try {
    const parts: Buffer[] = [];
    for (let position = 0; ; ) {
      const part = await fs.read(path, fh, position, chunkBytes);
      if (part.length === 0) break;
      parts.push(Buffer.from(part));
      position += part.length;
    }
    return Buffer.concat(parts);
  } finally {
    await fs.release(path, fh);
  }
}

/** Writes `content` as a new file (create, write, flush, release). */
export async function writeFile(fs: PosixFs, path: string, content: Buffer | string, mode = 0o644): Promise<void> {
  const fh = await fs.create(path, mode, WRONLY | constants.O_CREAT | constants.O_TRUNC, ALICE);
  await fs.write(path, fh, Buffer.from(content), 0);
  await fs.flush(path, fh);
  await fs.release(path, fh);
}

/** The error code an operation rejects with (fails the test if it resolves). */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
  throw new Error('expected the operation to fail');
}
