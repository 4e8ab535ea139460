// src/fuse over a real mount (temp dir, /dev/fuse) with a recording in-memory PosixFs: shell tools reach the
// right method with the right arguments, FsErrors arrive as the right errno, every op is answered exactly once,
// and mount/unmount fail clearly. All access to the mount is asynchronous (see fuse-binding.test.ts).
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { constants } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { constants as osConstants, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { FsErrorCode } from '../../src/fs/errors.js';
import { forceUnmount, FuseMountError, mount, type FuseMount } from '../../src/fuse/mount.js';
import type { MountOptions } from '../../src/fuse/mount-options.js';
import { findMount } from '../../src/fuse/mount-table.js';
import { fsError, MemoryPosixFs } from '../support/memory-posix-fs.js';

const run = promisify(execFile);
const ERRNO = osConstants.errno;

/** Waits until `condition` holds (the kernel sends RELEASE after close(2) returns); gives up after `limit` tries. */
async function eventually(condition: () => boolean, what: string, limit = 500): Promise<void> {
  for (let i = 0; i < limit && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(condition(), `never happened: ${what}`);
}

class RecordingLogger {
  readonly lines: Array<{ level: 'warn' | 'debug'; message: string }> = [];
  warn(message: string): void { this.lines.push({ level: 'warn', message }); }
  debug(message: string): void { this.lines.push({ level: 'debug', message }); }
  about(text: string): Array<{ level: 'warn' | 'debug'; message: string }> {
    return this.lines.filter((l) => l.message.includes(text));
  }
}

interface Mounted {
  fs: MemoryPosixFs;
  mnt: string;
  handle: FuseMount;
  logger: RecordingLogger;
  answers: Array<{ op: string; path: string; errno: number }>;
}

const live = new Set<FuseMount>();

async function mountMemory(fs = new MemoryPosixFs(), options: Partial<MountOptions> = {}): Promise<Mounted> {
  const mnt = await mkdtemp(join(tmpdir(), 'fuse-layer-'));
  const logger = new RecordingLogger();
  const answers: Mounted['answers'] = [];
  const handle = await mount(fs, { mountpoint: mnt, attrTimeoutMs: 0, entryTimeoutMs: 0, ...options }, {
    logger, observer: (op, path, errno) => answers.push({ op, path, errno }),
  });
  live.add(handle);
  return { fs, mnt, handle, logger, answers };
}

async function unmountMemory(m: Mounted): Promise<void> {
  live.delete(m.handle);
  await m.handle.unmount();
  await rmdir(m.mnt);
}

after(async () => {
  for (const handle of live) await handle.unmount({ lazy: true }).catch(() => undefined);
});

async function sh(script: string, cwd?: string): Promise<string> {
  return (await run('sh', ['-c', script], { cwd, env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' } })).stdout;
}

async function python(code: string, ...args: string[]): Promise<string> {
  return (await run('python3', ['-c', code, ...args])).stdout.trim();
}

async function errnoOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code;
  }
}

describe('fuse layer over a PosixFs', () => {
  test('shell operations reach the right PosixFs methods with the right arguments', async () => {
    const m = await mountMemory();
    const { fs, mnt } = m;
    try {
      const mkdirChild = execFile('mkdir', ['-m', '750', join(mnt, 'dir')]);
      await once(mkdirChild, 'exit');
      const [[mkPath, mkMode, mkCaller]] = fs.callsOf('mkdir') as [[string, number, { uid: number; gid: number; pid: number }]];
      assert.equal(mkPath, '/dir');
      assert.equal(mkMode & 0o777, 0o750);
      assert.deepEqual(mkCaller, { uid: process.getuid!(), gid: process.getgid!(), pid: mkdirChild.pid });

      await sh(`printf hello > ${mnt}/dir/f`);
      const [[cPath, cMode, cFlags]] = fs.callsOf('create') as [[string, number, number]];
      assert.equal(cPath, '/dir/f');
      assert.equal(cMode & constants.S_IFMT, constants.S_IFREG);
      assert.equal(cFlags & 0o3, constants.O_WRONLY);
      const fh = fs.callsOf('write')[0][1] as number;
      assert.deepEqual(fs.callsOf('write'), [['/dir/f', fh, Buffer.from('hello'), 0]]);
      assert.ok(fs.callsOf('flush').some(([p, h]) => p === '/dir/f' && h === fh));
      await eventually(() => fs.callsOf('release').length > 0, 'release after close');
      assert.deepEqual(fs.callsOf('release'), [['/dir/f', fh]]);

      assert.equal(await sh(`cat ${mnt}/dir/f`), 'hello');
      const [[oPath, oFlags]] = fs.callsOf('open') as [[string, number]];
      assert.equal(oPath, '/dir/f');
      assert.equal(oFlags & 0o3, constants.O_RDONLY);
      const [rPath, , rPos] = fs.callsOf('read')[0] as [string, number, number, number];
      assert.equal(rPath, '/dir/f');
      assert.equal(rPos, 0);

      await sh(`mv ${mnt}/dir/f ${mnt}/dir/g`);
      assert.deepEqual(fs.callsOf('rename'), [['/dir/f', '/dir/g']]);
      await sh(`chmod 600 ${mnt}/dir/g`);
      assert.equal((fs.callsOf('chmod')[0][1] as number) & 0o7777, 0o600);
      await sh(`chown 1234:4321 ${mnt}/dir/g`);
      assert.deepEqual(fs.callsOf('chown'), [['/dir/g', 1234, 4321]]);
      await sh(`touch -m -d '2001-02-03 04:05:06' ${mnt}/dir/g`);
      assert.deepEqual(fs.callsOf('utimens'), [['/dir/g', { atimeMs: undefined, mtimeMs: Date.UTC(2001, 1, 3, 4, 5, 6) }]]);
      await sh(`truncate -s 3 ${mnt}/dir/g`);
      const truncated = [...fs.callsOf('truncate').map((a) => [a[0], a[1]]), ...fs.callsOf('ftruncate').map((a) => [a[0], a[2]])];
      assert.deepEqual(truncated, [['/dir/g', 3]]);
      assert.equal(fs.content('/dir/g')?.toString(), 'hel');

      assert.equal(await sh(`ls ${mnt}/dir`), 'g\n');
      assert.ok(fs.callsOf('readdir').some(([p]) => p === '/dir'));
      assert.equal(await sh(`ls -a ${mnt}/dir | tr '\\n' ' '`), '. .. g ');

      await python('import os, sys\nfd = os.open(sys.argv[1], os.O_WRONLY)\nos.fsync(fd)\nos.fdatasync(fd)\nos.close(fd)', join(mnt, 'dir/g'));
      const syncFh = fs.callsOf('fsync')[0][1];
      assert.deepEqual(fs.callsOf('fsync'), [['/dir/g', syncFh, false], ['/dir/g', syncFh, true]]);

      assert.equal(await python('import os, sys\nprint(os.access(sys.argv[1], os.W_OK))', join(mnt, 'dir/g')), 'True');
      const [aPath, aMode, aCaller] = fs.callsOf('access').at(-1) as [string, number, { uid: number }];
      assert.deepEqual([aPath, aMode, aCaller.uid], ['/dir/g', constants.W_OK, process.getuid!()]);

      const df = await sh(`df -k ${mnt} | tail -1`);
      assert.match(df, /^ignite-fuse\s+1048576\s+/);
      assert.ok(fs.callsOf('statfs').length > 0);

      await sh(`rm ${mnt}/dir/g && rmdir ${mnt}/dir`);
      assert.deepEqual(fs.callsOf('unlink'), [['/dir/g']]);
      assert.deepEqual(fs.callsOf('rmdir'), [['/dir']]);
      assert.deepEqual(m.logger.lines.filter((l) => l.level === 'warn'), []);
    } finally {
      await unmountMemory(m);
    }
  });

  test('FsError codes arrive as the same errno in Node fs calls', async () => {
    const m = await mountMemory();
    const codes: FsErrorCode[] = ['ENOENT', 'EEXIST', 'EISDIR', 'ENOTDIR', 'ENOTEMPTY', 'EROFS', 'ENOSPC', 'EACCES', 'EFBIG', 'EBUSY'];
    m.fs.override('mkdir', (path) => Promise.reject(fsError(path.slice(1) as FsErrorCode, path)));
    try {
      for (const code of codes) {
        assert.equal(await errnoOf(mkdir(join(m.mnt, code))), code, `mkdir answered with FsError ${code}`);
      }
    } finally {
      await unmountMemory(m);
    }
  });

  test('errors from the filesystem\'s own rules reach the caller (ENOTEMPTY, ENOSPC, EROFS, ENOENT, EEXIST)', async () => {
    const full = await mountMemory(new MemoryPosixFs({ capacityBytes: 1000 }));
    try {
      await mkdir(join(full.mnt, 'd'));
      await writeFile(join(full.mnt, 'd', 'f'), 'x');
      assert.equal(await errnoOf(rmdir(join(full.mnt, 'd'))), 'ENOTEMPTY');
      assert.equal(await errnoOf(writeFile(join(full.mnt, 'big'), Buffer.alloc(5000))), 'ENOSPC');
      assert.equal(await errnoOf(stat(join(full.mnt, 'missing'))), 'ENOENT');
      // The kernel has no cached entry (entry timeout 0), so the create reaches the fs, which refuses.
      full.fs.override('create', (path) => Promise.reject(fsError('EEXIST', path)));
      assert.equal(await errnoOf(writeFile(join(full.mnt, 'other'), 'x', { flag: 'wx' })), 'EEXIST');
    } finally {
      await unmountMemory(full);
    }
    const readOnlyFs = new MemoryPosixFs({ readOnly: true });
    readOnlyFs.seedFile('/f', 'data');
    const ro = await mountMemory(readOnlyFs);
    try {
      assert.equal(await errnoOf(writeFile(join(ro.mnt, 'new'), 'x')), 'EROFS');
      assert.equal(await errnoOf(rm(join(ro.mnt, 'f'))), 'EROFS');
      assert.equal(await errnoOf(mkdir(join(ro.mnt, 'd'))), 'EROFS');
      assert.equal(await sh(`cat ${ro.mnt}/f`), 'data');
    } finally {
      await unmountMemory(ro);
    }
  });

  test('a handler that throws synchronously, or rejects with a non-FsError, is answered EIO exactly once', async () => {
    const m = await mountMemory();
    m.fs.seedFile('/ok', 'fine');
    m.fs.override('getattr', (path) => {
      if (path === '/sync-throw') throw new TypeError('handler bug');
      if (path === '/async-reject') return Promise.reject(new RangeError('not an FsError'));
      if (path === '/ok') return Promise.resolve({ mode: 0o100644, size: 4, uid: 0, gid: 0, nlink: 1, atimeMs: 0, mtimeMs: 0, ctimeMs: 0 });
      return Promise.reject(fsError('ENOENT', path));
    });
    try {
      for (const name of ['sync-throw', 'async-reject']) {
        assert.equal(await errnoOf(stat(join(m.mnt, name))), 'EIO');
        const reached = m.fs.callsOf('getattr').filter(([p]) => p === `/${name}`).length;
        const answered = m.answers.filter((a) => a.path === `/${name}`);
        assert.ok(reached >= 1);
        assert.equal(answered.length, reached, 'one answer per call');
        assert.ok(answered.every((a) => a.errno === -ERRNO.EIO), JSON.stringify(answered));
        const warnings = m.logger.about(`/${name}`).filter((l) => l.level === 'warn');
        assert.equal(warnings.length, reached, 'one log line per failed op');
        assert.match(warnings[0].message, /EIO/);
      }
      // A double answer would have released another request with a stale result; the mount still answers right.
      for (let i = 0; i < 20; i++) assert.equal((await stat(join(m.mnt, 'ok'))).size, 4);
      assert.equal(await errnoOf(stat(join(m.mnt, 'absent'))), 'ENOENT');
    } finally {
      await unmountMemory(m);
    }
  });

  test('getxattr and listxattr are answered ENOSYS once; the kernel stops asking (and writes stop costing one)', async () => {
    const m = await mountMemory();
    try {
      await python(
        'import errno, os, sys\np = sys.argv[1]\nfor i in range(3):\n  with open(p, "ab") as f:\n    f.write(b"x"); f.flush()\n  for call in (lambda: os.getxattr(p, "user.a"), lambda: os.listxattr(p)):\n    try:\n      call()\n    except OSError as e:\n      assert e.errno == errno.EOPNOTSUPP, e',
        join(m.mnt, 'f'));
      assert.equal(m.answers.filter((a) => a.op === 'getxattr').length, 1);
      assert.equal(m.answers.filter((a) => a.op === 'listxattr').length, 1);
      assert.ok(m.answers.filter((a) => a.op === 'getxattr').every((a) => a.errno === -ERRNO.ENOSYS));
      assert.equal(m.fs.content('/f')?.toString(), 'xxx');
    } finally {
      await unmountMemory(m);
    }
  });

  test('link, symlink and mknod answer EPERM', async () => {
    const m = await mountMemory();
    m.fs.seedFile('/f', 'x');
    try {
      assert.match(await sh(`ln ${m.mnt}/f ${m.mnt}/hard 2>&1 || true`), /Operation not permitted/);
      assert.match(await sh(`ln -s f ${m.mnt}/soft 2>&1 || true`), /Operation not permitted/);
      assert.match(await sh(`mkfifo ${m.mnt}/fifo 2>&1 || true`), /Operation not permitted/);
    } finally {
      await unmountMemory(m);
    }
  });

  test('hard_remove: unlinking an open file calls unlink, never a .fuse_hidden rename', async () => {
    const m = await mountMemory();
    m.fs.seedFile('/open', 'data');
    try {
      const out = await python(
        'import os, sys\nfd = os.open(sys.argv[1], os.O_RDONLY)\nos.unlink(sys.argv[1])\nprint(sorted(os.listdir(os.path.dirname(sys.argv[1]))), os.read(fd, 10).decode())\nos.close(fd)',
        join(m.mnt, 'open'));
      assert.equal(out, '[] data', 'gone from the directory, still readable through the open descriptor');
      assert.deepEqual(m.fs.callsOf('unlink'), [['/open']]);
      assert.deepEqual(m.fs.callsOf('rename'), []);
      // libfuse has no path for an unlinked file: with flag_nullpath_ok the ops arrive with "" and the handle (the
      // unpatched binding answered ENOENT to the read, and handed JavaScript an uninitialized value for the
      // flush, which crashed the process now and then).
      await eventually(() => m.fs.callsOf('release').length > 0, 'release after close');
      const [[, fh]] = m.fs.callsOf('release') as [[string, number]];
      assert.deepEqual(m.fs.callsOf('read').map(([p, h]) => [p, h]), [['', fh]]);
      assert.ok(m.fs.callsOf('flush').every(([p, h]) => p === '' && h === fh), JSON.stringify(m.fs.callsOf('flush')));
    } finally {
      await unmountMemory(m);
    }
  });

  test('mount refuses a missing, non-directory, non-empty or already mounted mountpoint, and bad options', async () => {
    const base = await mkdtemp(join(tmpdir(), 'fuse-layer-bad-'));
    const fs = new MemoryPosixFs();
    const logger = new RecordingLogger();
    const code = async (options: MountOptions): Promise<string> => {
      try {
        const handle = await mount(fs, options, { logger });
        await handle.unmount();
        return 'mounted';
      } catch (err) {
        assert.ok(err instanceof FuseMountError, String(err));
        return err.code;
      }
    };
    try {
      assert.equal(await code({ mountpoint: join(base, 'missing') }), 'NO_MOUNTPOINT');
      await writeFile(join(base, 'file'), 'x');
      assert.equal(await code({ mountpoint: join(base, 'file') }), 'NOT_A_DIRECTORY');
      await mkdir(join(base, 'full'));
      await writeFile(join(base, 'full', 'x'), 'x');
      assert.equal(await code({ mountpoint: join(base, 'full') }), 'NOT_EMPTY');
      await mkdir(join(base, 'empty'));
      assert.equal(await code({ mountpoint: join(base, 'empty'), fsname: 'a,b' }), 'BAD_OPTIONS');
      assert.equal(await code({ mountpoint: join(base, 'empty'), maxWriteBytes: 1 << 20 }), 'BAD_OPTIONS');
      const first = await mountMemory();
      try {
        assert.equal(await code({ mountpoint: first.mnt }), 'ALREADY_MOUNTED');
      } finally {
        await unmountMemory(first);
      }
      assert.equal(await code({ mountpoint: join(base, 'empty') }), 'mounted');
      assert.equal(await findMount(join(base, 'empty')), undefined);
    } finally {
      await rm(base, { recursive: true });
    }
  });

  test('unmount of a busy mount rejects BUSY; lazy unmount detaches it', async () => {
    const m = await mountMemory();
    // Not spawn({ cwd: mnt }): libuv's spawn waits for the child's chdir, which needs this process to answer.
    const holder = spawn('sh', ['-c', 'cd "$1" && echo in && exec sleep 60', 'sh', m.mnt], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await once(holder.stdout, 'data');
      await assert.rejects(m.handle.unmount(), (err: unknown) => err instanceof FuseMountError && err.code === 'BUSY');
      assert.notEqual(await findMount(m.mnt), undefined, 'still mounted after the refused unmount');
      await m.handle.unmount({ lazy: true });
      assert.equal(await findMount(m.mnt), undefined);
      live.delete(m.handle);
    } finally {
      holder.kill('SIGKILL');
      await once(holder, 'exit').catch(() => undefined);
      await rmdir(m.mnt).catch(() => undefined);
    }
  });

  test('forceUnmount recovers the mount of a daemon killed with SIGKILL', async () => {
    const mnt = await mkdtemp(join(tmpdir(), 'fuse-layer-dead-'));
    const here = dirname(fileURLToPath(import.meta.url));
    const mountModule = resolve(here, '../../src/fuse/mount.js');
    const memoryModule = resolve(here, '../support/memory-posix-fs.js');
    const daemon = spawn(process.execPath, ['--input-type=module', '-e', `
      const { mount } = await import(${JSON.stringify(mountModule)});
      const { MemoryPosixFs } = await import(${JSON.stringify(memoryModule)});
      await mount(new MemoryPosixFs(), { mountpoint: ${JSON.stringify(mnt)} }, { logger: { warn() {}, debug() {} } });
      process.stdout.write('ready\\n');
      setInterval(() => {}, 1000);
    `], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const [chunk] = await once(daemon.stdout, 'data') as [Buffer];
      assert.equal(chunk.toString().trim(), 'ready');
      daemon.kill('SIGKILL');
      await once(daemon, 'exit');
      assert.notEqual(await findMount(mnt), undefined, 'the dead mount is still there');
      assert.equal(await errnoOf(stat(join(mnt, 'x'))), 'ENOTCONN');
      await assert.rejects(mount(new MemoryPosixFs(), { mountpoint: mnt }, { logger: new RecordingLogger() }),
        (err: unknown) => err instanceof FuseMountError && err.code === 'ALREADY_MOUNTED');
      await forceUnmount(mnt);
      assert.equal(await findMount(mnt), undefined);
      assert.deepEqual(await readdir(mnt), []);
    } finally {
      if (daemon.exitCode === null && daemon.signalCode === null) daemon.kill('SIGKILL');
      await forceUnmount(mnt).catch(() => undefined);
      await rmdir(mnt).catch(() => undefined);
    }
  });
});
