// The patched fuse-native binding (patches/fuse-native+2.2.6.patch) on a real mount at a temp dir, through
// /dev/fuse. Each test proves one fix of the patch; each would fail on the unpatched binding or the prebuilds.
// Everything the test process does to its own mount is asynchronous (fs.promises, child processes): a
// synchronous call would block the one JS thread that must answer the request.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rmdir, stat, utimes } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { promisify } from 'node:util';
import Fuse, { type FuseOperations, type FuseOptions } from 'fuse-native';

const run = promisify(execFile);
const E = { ENOENT: -2, ETIMEDOUT: -110 };

interface Node {
  mode: number;
  atimeMs: number;
  mtimeMs: number;
  size: number;
}

/** A flat in-memory tree served by raw fuse-native ops; records what the binding hands over. */
class TinyFs {
  readonly nodes = new Map<string, Node>([['/', { mode: 0o40777, atimeMs: 0, mtimeMs: 0, size: 0 }]]);
  readonly calls: Array<{ op: string; args: unknown[] }> = [];
  nextFd = 10;

  ops(): FuseOperations {
    const stat = (n: Node) => ({ mode: n.mode, size: n.size, nlink: 1, uid: 0, gid: 0, atime: n.atimeMs, mtime: n.mtimeMs, ctime: n.mtimeMs });
    return {
      getattr: (path, cb) => {
        this.calls.push({ op: 'getattr', args: [path, this.context()] });
        if (path === '/never-answered') return; // left to the binding's per-op timeout
        const n = this.nodes.get(path);
        return n ? cb(0, stat(n)) : cb(E.ENOENT);
      },
      fgetattr: (path, fd, cb) => {
        this.calls.push({ op: 'fgetattr', args: [path, fd] });
        const n = this.nodes.get(path);
        return n ? cb(0, stat(n)) : cb(E.ENOENT);
      },
      readdir: (_path, cb) => cb(0, [...this.nodes.keys()].filter((p) => p !== '/').map((p) => p.slice(1))),
      open: (path, flags, cb) => {
        this.calls.push({ op: 'open', args: [path, flags] });
        return cb(0, this.nextFd++);
      },
      create: (path, mode, flags, cb) => {
        this.calls.push({ op: 'create', args: [path, mode, flags] });
        this.nodes.set(path, { mode, atimeMs: 0, mtimeMs: 0, size: 0 });
        return cb(0, this.nextFd++);
      },
      write: (path, fd, _buffer, length, position, cb) => {
        this.calls.push({ op: 'write', args: [path, fd, length, position] });
        const n = this.nodes.get(path);
        if (n) n.size = Math.max(n.size, position + length);
        return cb(length);
      },
      fsync: (path, fd, datasync, cb) => {
        this.calls.push({ op: 'fsync', args: [path, fd, datasync] });
        return cb(0);
      },
      truncate: (path, size, cb) => {
        const n = this.nodes.get(path);
        if (n) n.size = size;
        return cb(0);
      },
      release: (_path, _fd, cb) => cb(0),
      utimens: (path, atime, mtime, cb) => {
        this.calls.push({ op: 'utimens', args: [path, atime, mtime] });
        const n = this.nodes.get(path);
        if (!n) return cb(E.ENOENT);
        if (atime !== undefined) n.atimeMs = atime;
        if (mtime !== undefined) n.mtimeMs = mtime;
        return cb(0);
      },
    };
  }

  context: () => unknown = () => undefined;

  callsOf(op: string): unknown[][] {
    return this.calls.filter((c) => c.op === op).map((c) => c.args);
  }
}

const mounted: Array<{ fuse: Fuse; mnt: string }> = [];

async function mountTiny(options: FuseOptions = {}): Promise<{ fs: TinyFs; mnt: string; fuse: Fuse }> {
  const mnt = await mkdtemp(join(tmpdir(), 'fuse-binding-'));
  const fs = new TinyFs();
  const fuse = new Fuse(mnt, fs.ops(), { attrTimeout: 0, entryTimeout: 0, ...options });
  fs.context = () => fuse.context;
  await new Promise<void>((resolve, reject) => fuse.mount((err) => (err ? reject(err) : resolve())));
  mounted.push({ fuse, mnt });
  return { fs, mnt, fuse };
}

async function unmountTiny(fuse: Fuse, mnt: string): Promise<void> {
  const index = mounted.findIndex((m) => m.fuse === fuse);
  if (index >= 0) mounted.splice(index, 1);
  try {
    await run('fusermount', ['-u', mnt]);
  } catch {
    await run('fusermount', ['-uz', mnt]).catch(() => undefined);
  }
  await new Promise<void>((resolve, reject) => fuse.unmount((err) => (err ? reject(err) : resolve())));
  await rmdir(mnt);
}

after(async () => {
  for (const { fuse, mnt } of [...mounted]) await unmountTiny(fuse, mnt);
});

async function python(code: string, ...args: string[]): Promise<string> {
  return (await run('python3', ['-c', code, ...args])).stdout.trim();
}

function mountLine(mnt: string): string {
  return readFileSync('/proc/self/mounts', 'utf8').split('\n').find((l) => l.split(' ')[1] === mnt) ?? '';
}

describe('patched fuse-native binding', () => {
  test('loads our build/Release/fuse.node, linked against the system libfuse 2.9', async () => {
    const require = createRequire(import.meta.url);
    const packageDir = dirname(require.resolve('fuse-native/package.json'));
    assert.equal(Fuse.bindingPath, join(packageDir, 'build', 'Release', 'fuse.node'));
    const maps = await readFile('/proc/self/maps', 'utf8');
    assert.ok(maps.includes(Fuse.bindingPath), 'the build/Release binding is mapped into this process');
    assert.ok(!maps.includes(join(packageDir, 'prebuilds')), 'no prebuild is loaded');
    const libfuse = [...new Set(maps.split('\n').filter((l) => /libfuse\.so/.test(l)).map((l) => l.split(/\s+/).pop()))];
    assert.equal(libfuse.length, 1, `exactly one libfuse mapped: ${libfuse.join(', ')}`);
    assert.ok(!libfuse[0]!.includes('node_modules'), `the system libfuse, not the bundled one: ${libfuse[0]}`);
    const { stdout } = await run('pkg-config', ['--modversion', 'fuse']);
    assert.match(stdout.trim(), /^2\.9\./);
  });

  test('utimens: different atime and mtime arrive in their own slots', async () => {
    const { fs, mnt, fuse } = await mountTiny();
    try {
      fs.nodes.set('/f', { mode: 0o100644, atimeMs: 0, mtimeMs: 0, size: 0 });
      const atime = new Date(Date.UTC(2010, 0, 2, 3, 4, 5));
      const mtime = new Date(Date.UTC(2015, 6, 7, 8, 9, 10));
      await utimes(join(mnt, 'f'), atime, mtime);
      assert.deepEqual(fs.callsOf('utimens'), [['/f', atime.getTime(), mtime.getTime()]]);
      const st = await stat(join(mnt, 'f'));
      assert.equal(st.atimeMs, atime.getTime());
      assert.equal(st.mtimeMs, mtime.getTime());
    } finally {
      await unmountTiny(fuse, mnt);
    }
  });

  test('touch -m / -a set only their own time (UTIME_OMIT arrives as undefined); plain touch sets both to now', async () => {
    const { fs, mnt, fuse } = await mountTiny();
    try {
      const before = Date.UTC(1999, 0, 1);
      fs.nodes.set('/f', { mode: 0o100644, atimeMs: before, mtimeMs: before, size: 0 });
      const env = { ...process.env, TZ: 'UTC' };
      await run('touch', ['-m', '-d', '2001-02-03 04:05:06', join(mnt, 'f')], { env });
      const mtime = Date.UTC(2001, 1, 3, 4, 5, 6);
      assert.deepEqual(fs.callsOf('utimens'), [['/f', undefined, mtime]]);
      let st = await stat(join(mnt, 'f'));
      assert.equal(st.mtimeMs, mtime);
      assert.equal(st.atimeMs, before, 'atime left unchanged');

      await run('touch', ['-a', '-d', '2002-03-04 05:06:07', join(mnt, 'f')], { env });
      const atime = Date.UTC(2002, 2, 4, 5, 6, 7);
      assert.deepEqual(fs.callsOf('utimens')[1], ['/f', atime, undefined]);
      st = await stat(join(mnt, 'f'));
      assert.equal(st.atimeMs, atime);
      assert.equal(st.mtimeMs, mtime, 'mtime left unchanged');

      await run('touch', [join(mnt, 'f')]);
      const [, nowA, nowM] = fs.callsOf('utimens')[2] as [string, number, number];
      assert.equal(typeof nowA, 'number');
      assert.equal(nowA, nowM, 'UTIME_NOW in both slots becomes one current time');
      assert.ok(nowA > atime, 'UTIME_NOW becomes the current time, not 0 or a sentinel');
    } finally {
      await unmountTiny(fuse, mnt);
    }
  });

  test('big_writes: a 1 MiB write(2) arrives as 128 KiB requests; without it, as pages', async () => {
    const writeMiB = 'import mmap, os, sys\nfd = os.open(sys.argv[1], os.O_WRONLY)\nassert os.write(fd, mmap.mmap(-1, 1 << 20)) == 1 << 20\nos.close(fd)';
    const sizes = async (options: FuseOptions): Promise<number[]> => {
      const { fs, mnt, fuse } = await mountTiny(options);
      try {
        fs.nodes.set('/f', { mode: 0o100644, atimeMs: 0, mtimeMs: 0, size: 0 });
        await python(writeMiB, join(mnt, 'f'));
        return fs.callsOf('write').map((args) => args[2] as number);
      } finally {
        await unmountTiny(fuse, mnt);
      }
    };
    const big = await sizes({ bigWrites: true, maxWrite: 131072 });
    assert.deepEqual(big, Array(8).fill(131072));
    const small = await sizes({});
    assert.equal(small.reduce((a, b) => a + b, 0), 1 << 20);
    assert.ok(Math.max(...small) <= 4096, `without big_writes requests are at most a page, got ${Math.max(...small)}`);
  });

  test('direct_io: a write from unaligned, never-touched memory also arrives in 128 KiB requests', async () => {
    // Without direct_io, Linux 6.18 splits such a write at every source page (the copy faults mid-page).
    const { fs, mnt, fuse } = await mountTiny({ bigWrites: true, maxWrite: 131072, directIo: true });
    try {
      fs.nodes.set('/f', { mode: 0o100644, atimeMs: 0, mtimeMs: 0, size: 0 });
      await python('import os, sys\nfd = os.open(sys.argv[1], os.O_WRONLY)\nassert os.write(fd, bytes(1 << 20)) == 1 << 20\nos.close(fd)', join(mnt, 'f'));
      const sizes = fs.callsOf('write').map((args) => args[2] as number);
      assert.equal(sizes.reduce((a, b) => a + b, 0), 1 << 20);
      assert.equal(Math.max(...sizes), 131072);
      assert.ok(sizes.length <= 9, `${sizes.length} requests`);
    } finally {
      await unmountTiny(fuse, mnt);
    }
  });

  test('the added mount options reach libfuse and the kernel (fsname, subtype, ro, timeouts, hard_remove...)', async () => {
    const options: FuseOptions = {
      fsname: 'binding-test', subtype: 'probe', readOnly: true, bigWrites: true, maxWrite: 65536, maxRead: 131072,
      maxReadahead: 262144, negativeTimeout: 2, attrTimeout: 0, entryTimeout: 0.5, autoCache: true, hardRemove: true,
      defaultPermissions: true,
    };
    const { mnt, fuse } = await mountTiny(options);
    try {
      const line = mountLine(mnt);
      assert.match(line, /^binding-test /, line);
      assert.match(line, / fuse\.probe /, line);
      assert.match(line, / ro[ ,]/, line);
      assert.match(line, /default_permissions/, line);
      const opts = fuse._fuseOptions();
      for (const part of ['big_writes', 'max_write=65536', 'max_read=131072', 'max_readahead=262144', 'negative_timeout=2',
        'attr_timeout=0', 'entry_timeout=0.5', 'auto_cache', 'hard_remove', 'ro']) {
        assert.ok(opts.replace(/^-o/, '').split(',').includes(part), `${part} in ${opts}`);
      }
      await assert.rejects(run('touch', [join(mnt, 'new')]), /Read-only file system/);
    } finally {
      await unmountTiny(fuse, mnt);
    }
  });

  test('userId builds "user_id=N" (the original built "user_id=,N")', () => {
    const fuse = new Fuse('/nonexistent', {}, { userId: 1234 });
    assert.equal(fuse._fuseOptions(), '-ouser_id=1234');
  });

  test('per-op timeout is configurable: a getattr never answered gets ETIMEDOUT after its own timeout', async () => {
    const { mnt, fuse } = await mountTiny({ timeout: { default: 600_000, getattr: 200 } });
    try {
      await assert.rejects(stat(join(mnt, 'never-answered')), (err: NodeJS.ErrnoException) => err.code === 'ETIMEDOUT');
      // Other ops keep the large default: the mount still answers.
      assert.ok((await stat(mnt)).isDirectory());
    } finally {
      await unmountTiny(fuse, mnt);
    }
  });

  test('each request carries its caller (uid, gid, pid) as fuse.context', async () => {
    const { fs, mnt, fuse } = await mountTiny({ allowOther: true });
    try {
      fs.nodes.set('/f', { mode: 0o100644, atimeMs: 0, mtimeMs: 0, size: 0 });
      const out = await python(
        'import os, sys\nr, w = os.pipe()\npid = os.fork()\nif pid == 0:\n  os.setgid(4321); os.setuid(1234)\n  os.read(r, 1)\n  os.stat(sys.argv[1])\n  os._exit(0)\nprint(pid, flush=True)\nos.write(w, b"x")\nos.waitpid(pid, 0)',
        join(mnt, 'f'));
      const childPid = Number(out);
      const seen = fs.callsOf('getattr').map((args) => args[1] as { uid: number; gid: number; pid: number });
      assert.ok(seen.some((c) => c.uid === 1234 && c.gid === 4321 && c.pid === childPid), JSON.stringify(seen));
    } finally {
      await unmountTiny(fuse, mnt);
    }
  });

  test('create gets the open flags, fgetattr the handle, fsync (fd, datasync) in the documented order', async () => {
    const { fs, mnt, fuse } = await mountTiny();
    try {
      await python(
        'import os, sys\nfd = os.open(sys.argv[1], os.O_CREAT | os.O_WRONLY | os.O_APPEND, 0o640)\nos.write(fd, b"x")\nos.fstat(fd)\nos.fsync(fd)\nos.fdatasync(fd)\nos.close(fd)',
        join(mnt, 'f'));
      const [[path, mode, flags]] = fs.callsOf('create') as [[string, number, number]];
      assert.equal(path, '/f');
      assert.equal(mode & 0o777 & ~0o640, 0, `mode ${mode.toString(8)} within 0640 (less the umask)`);
      assert.equal(mode & 0o170000, 0o100000, 'S_IFREG');
      assert.equal(flags & 0o3, 0o1, 'O_WRONLY');
      assert.ok((flags & 0o2000) !== 0, 'O_APPEND');
      const fd = 10;
      assert.ok(fs.callsOf('fgetattr').some(([p, f]) => p === '/f' && f === fd), JSON.stringify(fs.callsOf('fgetattr')));
      assert.deepEqual(fs.callsOf('fsync'), [['/f', fd, 0], ['/f', fd, 1]]);
    } finally {
      await unmountTiny(fuse, mnt);
    }
  });
});
