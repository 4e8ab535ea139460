// The ops object called directly as the binding would, without a mount.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FuseOperations } from 'fuse-native';
import { createFuseOps, PREFERRED_IO_BYTES, toFuseStat } from '../../../src/fuse/fuse-ops.js';
import { OpAdapter } from '../../../src/fuse/op-adapter.js';
import { MemoryPosixFs } from '../../support/memory-posix-fs.js';

const CALLER = { uid: 1000, gid: 100, pid: 4242 };
const quiet = { warn: () => undefined, debug: () => undefined };

function opsOver(fs: MemoryPosixFs): Required<FuseOperations> {
  return createFuseOps(fs, { adapter: new OpAdapter(quiet), caller: () => CALLER }) as Required<FuseOperations>;
}

/** Calls an op and resolves with the arguments of its (single) callback. */
function call(invoke: (cb: (...args: unknown[]) => void) => void): Promise<unknown[]> {
  return new Promise((resolve) => invoke((...args) => resolve(args)));
}

test('toFuseStat: ms times, 512-byte blocks, 128 KiB preferred I/O size', () => {
  const st = toFuseStat({ mode: 0o100644, size: 1025, uid: 1, gid: 2, nlink: 1, atimeMs: 1000, mtimeMs: 2000, ctimeMs: 3000 });
  assert.deepEqual(st, { mode: 0o100644, uid: 1, gid: 2, size: 1025, nlink: 1, blksize: PREFERRED_IO_BYTES, blocks: 3, atime: 1000, mtime: 2000, ctime: 3000 });
});

test('create/open pass flags and the caller; write copies the kernel buffer; read fills it', async () => {
  const fs = new MemoryPosixFs();
  const ops = opsOver(fs);
  const [code, fh] = await call((cb) => ops.create('/f', 0o100640, 0o101, cb));
  assert.equal(code, 0);
  assert.deepEqual(fs.callsOf('create'), [['/f', 0o100640, 0o101, CALLER]]);
  const kernelBuffer = Buffer.from('hello');
  const [written] = await call((cb) => ops.write('/f', fh as number, kernelBuffer, 5, 0, cb));
  assert.equal(written, 5);
  kernelBuffer.fill(0); // libfuse reuses its buffer once answered
  assert.equal(fs.content('/f')?.toString(), 'hello');
  const out = Buffer.alloc(10);
  const [read] = await call((cb) => ops.read('/f', fh as number, out, 10, 1, cb));
  assert.equal(read, 4);
  assert.equal(out.subarray(0, 4).toString(), 'ello');
});

test('a handle outside 1..2^31-1 is refused with EIO rather than mangled by the binding', async () => {
  const fs = new MemoryPosixFs();
  fs.seedFile('/f', 'x');
  const ops = opsOver(fs);
  for (const bad of [0, -1, 2 ** 31, 1.5]) {
    fs.override('open', async () => bad);
    assert.equal((await call((cb) => ops.open('/f', 0, cb)))[0], -5);
  }
});

test('utimens passes undefined through as "leave unchanged"', async () => {
  const fs = new MemoryPosixFs();
  fs.seedFile('/f', 'x');
  const ops = opsOver(fs);
  assert.deepEqual(await call((cb) => ops.utimens('/f', undefined, 5000, cb)), [0]);
  assert.deepEqual(fs.callsOf('utimens'), [['/f', { atimeMs: undefined, mtimeMs: 5000 }]]);
});

test('statfs maps FsStats onto statvfs fields; readdir adds . and ..', async () => {
  const fs = new MemoryPosixFs({ capacityBytes: 4096 * 100 });
  fs.seedFile('/a', 'x');
  const ops = opsOver(fs);
  const [code, st] = await call((cb) => ops.statfs('/', cb)) as [number, Record<string, number>];
  assert.equal(code, 0);
  assert.equal(st.bsize, 4096);
  assert.equal(st.frsize, 4096);
  assert.equal(st.blocks, 100);
  assert.equal(st.bfree, 99);
  assert.equal(st.namemax, 255);
  assert.deepEqual(await call((cb) => ops.readdir('/', cb)), [0, ['.', '..', 'a']]);
});

test('xattrs answer ENOSYS, link/symlink/mknod EPERM, without touching the filesystem', async () => {
  const fs = new MemoryPosixFs();
  const ops = opsOver(fs);
  assert.equal((await call((cb) => ops.getxattr('/', 'user.x', 0, cb)))[0], -38);
  assert.equal((await call((cb) => ops.listxattr('/', cb)))[0], -38);
  assert.deepEqual(await call((cb) => ops.link('/a', '/b', cb)), [-1]);
  assert.deepEqual(await call((cb) => ops.symlink('a', '/b', cb)), [-1]);
  assert.deepEqual(await call((cb) => ops.mknod('/p', 0o10644, 0, cb)), [-1]);
  assert.deepEqual(fs.calls, []);
});

test('fsync passes datasync as a boolean; chown passes ids through', async () => {
  const fs = new MemoryPosixFs();
  fs.seedFile('/f', 'x');
  const ops = opsOver(fs);
  const [, fh] = await call((cb) => ops.open('/f', 1, cb));
  await call((cb) => ops.fsync('/f', fh as number, 1, cb));
  await call((cb) => ops.fsync('/f', fh as number, 0, cb));
  assert.deepEqual(fs.callsOf('fsync'), [['/f', fh, true], ['/f', fh, false]]);
  await call((cb) => ops.chown('/f', 0xffffffff, 7, cb));
  assert.deepEqual(fs.callsOf('chown'), [['/f', 0xffffffff, 7]]);
});
