// POSIX behaviour of the IGFS mount seen from Python's `os` module (system python3), against the real default Ignite
// 2.8.1 node: every errno an application relies on, compared with the same calls on a local directory, plus the
// write semantics TensorFlow and TensorBoard depend on (read-your-writes, rename over, O_TRUNC keeping attributes,
// fsync visibility to another client, the second writer's errno).
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { IgfsClient } from '../../src/igfs/client.js';
import type { IgfsWriter } from '../../src/igfs/client.js';
import {
  cli, fuseAvailable, python, rmLocal, sh, shOk, startMount, stopMount, uniqueName, type MountedDaemon,
} from '../support/mount-helper.js';

const skip = !fuseAvailable() && 'no /dev/fuse';

/** Runs each named call on base dir sys.argv[1] and prints {name: "ok" | errno name}. */
const ERRNO_PROBE = String.raw`
import errno, json, os, sys
b = sys.argv[1]
def p(*parts): return os.path.join(b, *parts)
os.mkdir(p('dir'))
os.mkdir(p('full')); open(p('full', 'x'), 'w').close()
os.mkdir(p('full2')); open(p('full2', 'y'), 'w').close()
os.mkdir(p('empty'))
os.mkdir(p('src'))
with open(p('file'), 'w') as f: f.write('data')
with open(p('file2'), 'w') as f: f.write('data2')
out = {}
def probe(name, fn):
    try:
        r = fn()
        if isinstance(r, int) and name.startswith('open'):
            os.close(r)
        out[name] = 'ok'
    except OSError as e:
        out[name] = errno.errorcode.get(e.errno, str(e.errno))
probe('stat missing', lambda: os.stat(p('missing')))
probe('open missing', lambda: os.open(p('missing'), os.O_RDONLY))
probe('open missing parent O_CREAT', lambda: os.open(p('nodir', 'f'), os.O_WRONLY | os.O_CREAT, 0o644))
probe('unlink missing', lambda: os.unlink(p('missing')))
probe('rmdir missing', lambda: os.rmdir(p('missing')))
probe('rename missing source', lambda: os.rename(p('missing'), p('other')))
probe('mkdir missing parent', lambda: os.mkdir(p('nodir', 'sub')))
probe('listdir missing', lambda: os.listdir(p('missing')))
probe('mkdir existing dir', lambda: os.mkdir(p('dir')))
probe('mkdir existing file', lambda: os.mkdir(p('file')))
probe('open O_CREAT|O_EXCL existing', lambda: os.open(p('file'), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
probe('open O_CREAT|O_EXCL existing dir', lambda: os.open(p('dir'), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
probe('rmdir non-empty', lambda: os.rmdir(p('full')))
probe('rename dir onto non-empty dir', lambda: os.rename(p('src'), p('full')))
probe('rename non-empty dir onto non-empty dir', lambda: os.rename(p('full2'), p('full')))
probe('open dir O_WRONLY', lambda: os.open(p('dir'), os.O_WRONLY))
probe('open dir O_RDWR', lambda: os.open(p('dir'), os.O_RDWR))
probe('rename file onto dir', lambda: os.rename(p('file'), p('dir')))
probe('unlink dir', lambda: os.unlink(p('dir')))
probe('stat through file', lambda: os.stat(p('file', 'x')))
probe('open through file O_CREAT', lambda: os.open(p('file', 'x'), os.O_WRONLY | os.O_CREAT, 0o644))
probe('mkdir through file', lambda: os.mkdir(p('file', 'x')))
probe('listdir file', lambda: os.listdir(p('file')))
probe('rmdir file', lambda: os.rmdir(p('file')))
probe('rename dir onto file', lambda: os.rename(p('empty'), p('file')))
probe('open O_DIRECTORY file', lambda: os.open(p('file'), os.O_RDONLY | os.O_DIRECTORY))
probe('rename dir into itself', lambda: os.rename(p('dir'), p('dir', 'sub')))
probe('rename dir onto empty dir', lambda: os.rename(p('src'), p('empty')))
probe('rename file onto file', lambda: os.rename(p('file2'), p('file')))
probe('link', lambda: os.link(p('file'), p('hard')))
probe('symlink', lambda: os.symlink(p('file'), p('sym')))
probe('mkfifo', lambda: os.mkfifo(p('fifo')))
probe('name too long', lambda: os.open(p('n' * 256), os.O_WRONLY | os.O_CREAT, 0o644))
probe('stat name too long', lambda: os.stat(p('s' * 256)))
probe('mkdir name too long', lambda: os.mkdir(p('\u00e9' * 128)))
probe('rename to name too long', lambda: os.rename(p('file'), p('m' * 256)))
probe('name of 255 bytes', lambda: os.close(os.open(p('k' * 255), os.O_WRONLY | os.O_CREAT, 0o644)))
with open(p('file')) as f: out['content after rename over'] = f.read()
out['listing'] = sorted(os.listdir(b))
print(json.dumps(out))
`;

/** Behaviours (not only errnos) run on the mount and on a local directory; sys.argv[1] is the base directory. */
const BEHAVIOUR_PROBE = String.raw`
import errno, json, mmap, os, sys, time
b = sys.argv[1]
def p(*parts): return os.path.join(b, *parts)
out = {}
def probe(name, fn):
    try:
        out[name] = fn()
    except OSError as e:
        out[name] = errno.errorcode.get(e.errno, str(e.errno))
def write(path, data, flags=os.O_WRONLY | os.O_CREAT | os.O_TRUNC):
    fd = os.open(path, flags, 0o644)
    os.write(fd, data)
    os.close(fd)
def read(path):
    with open(path, 'rb') as f: return f.read().decode('latin-1')
def random_write():
    write(p('rw'), b'0123456789')
    fd = os.open(p('rw'), os.O_RDWR)
    os.pwrite(fd, b'AB', 3)
    first = os.pread(fd, 10, 0).decode()
    os.close(fd)
    return [first, read(p('rw'))]
probe('pwrite in the middle', random_write)
def shrink():
    write(p('tr'), b'0123456789')
    os.truncate(p('tr'), 4)
    return [os.stat(p('tr')).st_size, read(p('tr'))]
probe('truncate shrink', shrink)
def grow():
    write(p('tg'), b'ab')
    os.truncate(p('tg'), 5)
    return [os.stat(p('tg')).st_size, read(p('tg'))]
probe('truncate grow', grow)
def hole():
    fd = os.open(p('hole'), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.pwrite(fd, b'x', 6)
    os.close(fd)
    return read(p('hole'))
probe('pwrite past the end', hole)
def append():
    write(p('ap'), b'start')
    fd = os.open(p('ap'), os.O_WRONLY | os.O_APPEND)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, b'-end')
    os.close(fd)
    return read(p('ap'))
probe('O_APPEND ignores the position', append)
def utime_open():
    fd = os.open(p('ut'), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.write(fd, b'data')
    os.utime(fd, ns=(1000000000 * 1500000000, 1000000000 * 1400000000))
    os.close(fd)
    st = os.stat(p('ut'))
    return [st.st_mtime_ns, st.st_atime_ns]
probe('futimens before close (tar x)', utime_open)
def utime_staged():
    write(p('uts'), b'0123456789')
    fd = os.open(p('uts'), os.O_RDWR)
    os.pwrite(fd, b'AB', 3)
    os.utime(fd, ns=(1000000000 * 1500000000, 1000000000 * 1400000000))
    os.close(fd)
    st = os.stat(p('uts'))
    return [st.st_mtime_ns, st.st_atime_ns, read(p('uts'))]
probe('futimens after a write in the middle, before close', utime_staged)
def utime_then_write():
    fd = os.open(p('utw'), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.write(fd, b'data')
    os.utime(fd, ns=(1000000000 * 1500000000, 1000000000 * 1400000000))
    os.write(fd, b'more')
    os.close(fd)
    st = os.stat(p('utw'))
    return [st.st_mtime_ns > 1000000000 * 1400000000, st.st_atime_ns]
probe('a write after futimens moves mtime to now, keeps atime', utime_then_write)
def unlinked_read():
    write(p('ul'), b'still here')
    fd = os.open(p('ul'), os.O_RDONLY)
    os.unlink(p('ul'))
    data = os.read(fd, 100).decode()
    os.close(fd)
    return [data, os.path.exists(p('ul'))]
probe('read after unlink of an open file', unlinked_read)
def renamed_writer():
    fd = os.open(p('rn1'), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.write(fd, b'one,')
    os.rename(p('rn1'), p('rn2'))
    os.write(fd, b'two')
    os.close(fd)
    return [read(p('rn2')), os.path.exists(p('rn1'))]
probe('write through an fd after rename', renamed_writer)
def rdwr():
    fd = os.open(p('rdwr'), os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
    os.write(fd, b'hello')
    os.lseek(fd, 0, os.SEEK_SET)
    data = os.read(fd, 10).decode()
    os.close(fd)
    return data
probe('O_RDWR read back', rdwr)
def mm():
    write(p('mm'), b'mapped bytes')
    with open(p('mm'), 'rb') as f:
        with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
            return m[:6].decode()
probe('mmap read', mm)
def mm_write():
    write(p('mmw'), b'abcdef')
    with open(p('mmw'), 'r+b') as f:
        with mmap.mmap(f.fileno(), 0) as m:
            m[0:1] = b'Z'
            m.flush()
    return read(p('mmw'))
probe('mmap shared write', mm_write)
probe('getxattr', lambda: os.getxattr(p('rw'), 'user.x'))
probe('setxattr', lambda: os.setxattr(p('rw'), 'user.x', b'1'))
probe('listxattr', lambda: os.listxattr(p('rw')))
def falloc():
    fd = os.open(p('fa'), os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        os.posix_fallocate(fd, 0, 100)
        return os.fstat(fd).st_size
    finally:
        os.close(fd)
probe('posix_fallocate', falloc)
def nlink():
    os.mkdir(p('nl')); os.mkdir(p('nl', 'a')); os.mkdir(p('nl', 'b'))
    return os.stat(p('nl')).st_nlink
probe('st_nlink of a directory with 2 subdirectories', nlink)
def dir_mtime():
    os.mkdir(p('dm'))
    os.utime(p('dm'), (1000, 1000))
    write(p('dm', 'f'), b'x')
    return os.stat(p('dm')).st_mtime > 1000
probe('creating a file updates the directory mtime', dir_mtime)
def ctime_chmod():
    write(p('ct'), b'x')
    os.utime(p('ct'), (1000, 1000))
    os.chmod(p('ct'), 0o600)
    return os.stat(p('ct')).st_ctime > 1000
probe('chmod updates ctime', ctime_chmod)
def atime_read():
    write(p('at'), b'x')
    os.utime(p('at'), (1000, 1000))
    read(p('at'))
    return os.stat(p('at')).st_atime > 1000
probe('read updates atime (relatime)', atime_read)
def ino():
    write(p('in'), b'x')
    a = os.stat(p('in')).st_ino
    os.rename(p('in'), p('in2'))
    return os.stat(p('in2')).st_ino == a
probe('st_ino kept across rename', ino)
print(json.dumps(out))
`;

/** [local, mount] for each behaviour of BEHAVIOUR_PROBE where the mount differs from a local filesystem. */
const KNOWN_DIFFERENCES: Record<string, [unknown, unknown]> = {
  // No extended attributes: getxattr/listxattr answer ENOSYS once, the kernel then reports EOPNOTSUPP itself.
  'getxattr': ['ENODATA', 'ENOTSUP'],
  'setxattr': [null, 'ENOTSUP'],
  'listxattr': [['user.x'], 'ENOTSUP'],
  // IGFS keeps no link counts; every directory reports 2 (find and du do not rely on it for FUSE).
  'st_nlink of a directory with 2 subdirectories': [4, 2],
  // IGFS does not touch a directory's modification time when entries are added or removed.
  'creating a file updates the directory mtime': [true, false],
  // IGFS keeps no change time: ctime is the modification time, so chmod/chown do not move it.
  'chmod updates ctime': [true, false],
  // Reads do not update the access time (IGFS changes it only through SET_TIMES): like a noatime mount.
  'read updates atime (relatime)': [true, false],
};

describe('IGFS mount: POSIX from Python', { skip }, () => {
  let m: MountedDaemon;
  let work: string;
  let local: string;
  const name = uniqueName('e2e-posix');
  let client: IgfsClient;

  before(async () => {
    // commit-interval 0: only fsync and close make data visible to other clients, so the fsync test can tell.
    m = await startMount({ args: ['--commit-interval', '0'] });
    work = join(m.mountpoint, name);
    await shOk('mkdir "$1"', [work]);
    local = await mkdtemp(join(tmpdir(), 'ifuse-e2e-posix-'));
    client = new IgfsClient({ endpoints: '127.0.0.1:10500' });
  });

  after(async () => {
    client?.close();
    if (m !== undefined) {
      await sh('rm -rf "$1"', [work]);
      await stopMount(m);
      await cli(['igfs', 'rm', '-r', `/${name}`]);
    }
    if (local !== undefined) await rmLocal(local);
  });

  test('errno of every failing call matches a local filesystem (except link/symlink/mkfifo: EPERM)', async () => {
    await shOk('mkdir "$1/errno" "$2/errno"', [work, local]);
    const onMount = await python<Record<string, unknown>>(ERRNO_PROBE, [join(work, 'errno')]);
    const onLocal = await python<Record<string, unknown>>(ERRNO_PROBE, [join(local, 'errno')]);
    // Explicit expectations, so a change on either side shows up as a failure of its own.
    const expected: Record<string, string> = {
      'stat missing': 'ENOENT',
      'open missing': 'ENOENT',
      'open missing parent O_CREAT': 'ENOENT',
      'unlink missing': 'ENOENT',
      'rmdir missing': 'ENOENT',
      'rename missing source': 'ENOENT',
      'mkdir missing parent': 'ENOENT',
      'listdir missing': 'ENOENT',
      'mkdir existing dir': 'EEXIST',
      'mkdir existing file': 'EEXIST',
      'open O_CREAT|O_EXCL existing': 'EEXIST',
      'open O_CREAT|O_EXCL existing dir': 'EEXIST',
      'rmdir non-empty': 'ENOTEMPTY',
      'rename dir onto non-empty dir': 'ENOTEMPTY',
      'rename non-empty dir onto non-empty dir': 'ENOTEMPTY',
      'open dir O_WRONLY': 'EISDIR',
      'open dir O_RDWR': 'EISDIR',
      'rename file onto dir': 'EISDIR',
      'unlink dir': 'EISDIR',
      'stat through file': 'ENOTDIR',
      'open through file O_CREAT': 'ENOTDIR',
      'mkdir through file': 'ENOTDIR',
      'listdir file': 'ENOTDIR',
      'rmdir file': 'ENOTDIR',
      'rename dir onto file': 'ENOTDIR',
      'open O_DIRECTORY file': 'ENOTDIR',
      'rename dir into itself': 'EINVAL',
      'rename dir onto empty dir': 'ok',
      'rename file onto file': 'ok',
      'name too long': 'ENAMETOOLONG',
      'stat name too long': 'ENAMETOOLONG',
      'mkdir name too long': 'ENAMETOOLONG',
      'rename to name too long': 'ENAMETOOLONG',
      'name of 255 bytes': 'ok',
    };
    for (const [call, errno] of Object.entries(expected)) {
      assert.equal(onLocal[call], errno, `local: ${call}`);
    }
    const differences: Record<string, [unknown, unknown]> = {};
    for (const key of Object.keys(onLocal)) {
      if (JSON.stringify(onLocal[key]) !== JSON.stringify(onMount[key])) differences[key] = [onLocal[key], onMount[key]];
    }
    // The only documented differences: no hard links, symbolic links or special files (EPERM).
    assert.deepEqual(differences, {
      'link': ['ok', 'EPERM'],
      'symlink': ['ok', 'EPERM'],
      'mkfifo': ['ok', 'EPERM'],
      'listing': [
        ['dir', 'empty', 'fifo', 'file', 'full', 'full2', 'hard', 'k'.repeat(255), 'sym'],
        ['dir', 'empty', 'file', 'full', 'full2', 'k'.repeat(255)],
      ],
    });
  });

  test('behaviour beyond errnos matches a local filesystem, except the listed differences', async () => {
    await shOk('mkdir "$1/behaviour" "$2/behaviour"', [work, local]);
    const onMount = await python<Record<string, unknown>>(BEHAVIOUR_PROBE, [join(work, 'behaviour')]);
    const onLocal = await python<Record<string, unknown>>(BEHAVIOUR_PROBE, [join(local, 'behaviour')]);
    assert.deepEqual(onLocal['pwrite in the middle'], ['012AB56789', '012AB56789']);
    assert.deepEqual(onLocal['futimens before close (tar x)'], [1400000000 * 1e9, 1500000000 * 1e9]);
    assert.deepEqual(onLocal['futimens after a write in the middle, before close'], [1400000000 * 1e9, 1500000000 * 1e9, '012AB56789']);
    assert.deepEqual(onLocal['a write after futimens moves mtime to now, keeps atime'], [true, 1500000000 * 1e9]);
    const differences: Record<string, [unknown, unknown]> = {};
    for (const key of Object.keys(onLocal)) {
      if (JSON.stringify(onLocal[key]) !== JSON.stringify(onMount[key])) differences[key] = [onLocal[key], onMount[key]];
    }
    // Every known difference, [local, mount]; docs/SEMANTICS.md material. Anything new fails here.
    assert.deepEqual(differences, KNOWN_DIFFERENCES);
  });

  test('read-your-writes: data written and not closed is visible through stat and another fd', async () => {
    const r = await python<{ sizes: number[]; read: string[]; fstat: number }>(String.raw`
import json, os, sys
path = os.path.join(sys.argv[1], 'ryw')
w = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
sizes, read = [], []
for chunk in [b'first line\n', b'second line\n', b'x' * 200000]:
    os.write(w, chunk)
    sizes.append(os.stat(path).st_size)
    r = os.open(path, os.O_RDONLY)
    data = b''
    while True:
        part = os.read(r, 1 << 20)
        if not part: break
        data += part
    os.close(r)
    read.append(data[:23].decode() + ':' + str(len(data)))
fstat = os.fstat(w).st_size
os.close(w)
print(json.dumps({'sizes': sizes, 'read': read, 'fstat': fstat}))
`, [work]);
    assert.deepEqual(r.sizes, [11, 23, 200023]);
    assert.deepEqual(r.read, ['first line\n:11', 'first line\nsecond line\n:23', 'first line\nsecond line\n:200023']);
    assert.equal(r.fstat, 200023);
  });

  test('rename over an existing file replaces it (TensorFlow writes checkpoint.tmp, renames over checkpoint)', async () => {
    const r = await python<{ contents: string[]; listing: string[] }>(String.raw`
import json, os, sys
d = os.path.join(sys.argv[1], 'ckpt')
os.mkdir(d)
contents = []
for step in range(3):
    tmp = os.path.join(d, 'checkpoint.tmp%d' % step)
    with open(tmp, 'w') as f:
        f.write('model_checkpoint_path: "ckpt-%d"\n' % step)
    os.rename(tmp, os.path.join(d, 'checkpoint'))
    with open(os.path.join(d, 'checkpoint')) as f:
        contents.append(f.read())
print(json.dumps({'contents': contents, 'listing': sorted(os.listdir(d))}))
`, [work]);
    assert.deepEqual(r.contents, [0, 1, 2].map((i) => `model_checkpoint_path: "ckpt-${i}"\n`));
    assert.deepEqual(r.listing, ['checkpoint']);
    const igfsSide = await cli(['igfs', 'cat', `/${name}/ckpt/checkpoint`]);
    assert.equal(igfsSide.code, 0, igfsSide.stderr);
    assert.equal(igfsSide.stdout, 'model_checkpoint_path: "ckpt-2"\n');
  });

  test('O_TRUNC keeps owner, group and mode', async () => {
    const r = await python<{ before: number[]; after: number[]; content: string }>(String.raw`
import json, os, sys
path = os.path.join(sys.argv[1], 'trunc')
with open(path, 'w') as f: f.write('long original content')
os.chmod(path, 0o640)
os.chown(path, 1, 2)
st = os.stat(path)
before = [st.st_mode & 0o7777, st.st_uid, st.st_gid]
fd = os.open(path, os.O_WRONLY | os.O_TRUNC)
os.write(fd, b'short')
os.close(fd)
st = os.stat(path)
with open(path) as f: content = f.read()
print(json.dumps({'before': before, 'after': [st.st_mode & 0o7777, st.st_uid, st.st_gid, st.st_size], 'content': content}))
`, [work]);
    assert.deepEqual(r.before, [0o640, 1, 2]);
    assert.deepEqual(r.after, [0o640, 1, 2, 5]);
    assert.equal(r.content, 'short');
  });

  test('fsync makes data visible to another client while the file stays open', async () => {
    const rel = `/${name}/fsynced`;
    const path = join(m.mountpoint, rel);
    // A Python writer that waits for a line on stdin between steps, so the test can look from outside meanwhile.
    const { spawn } = await import('node:child_process');
    const child = spawn('python3', ['-u', '-c', String.raw`
import os, sys
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
os.write(fd, b'before fsync\n')
print('written', flush=True)
sys.stdin.readline()
os.fsync(fd)
print('fsynced', flush=True)
sys.stdin.readline()
os.write(fd, b'after\n')
os.close(fd)
print('closed', flush=True)
`, path], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines: string[] = [];
    let wake: (() => void) | undefined;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      lines.push(...chunk.split('\n').filter((l) => l !== ''));
      wake?.();
    });
    const waitLine = async (line: string): Promise<void> => {
      while (!lines.includes(line)) {
        if (child.exitCode !== null) throw new Error(`writer exited ${child.exitCode} before "${line}"`);
        await new Promise<void>((r) => { wake = r; setTimeout(r, 200); });
      }
    };
    try {
      await waitLine('written');
      // Not committed yet: another client sees an empty file (commit-interval is 0 on this mount).
      const early = await cli(['igfs', 'cat', rel]);
      assert.equal(early.code, 0, early.stderr);
      assert.equal(early.stdout, '');
      child.stdin.write('\n');
      await waitLine('fsynced');
      const seen = await cli(['igfs', 'cat', rel]);
      assert.equal(seen.code, 0, seen.stderr);
      assert.equal(seen.stdout, 'before fsync\n');
      child.stdin.write('\n');
      await waitLine('closed');
      const final = await cli(['igfs', 'cat', rel]);
      assert.equal(final.stdout, 'before fsync\nafter\n');
    } finally {
      child.kill();
    }
  });

  test('two writers on this mount share one stream; a writer elsewhere makes writes fail with EBUSY', async () => {
    const same = await python<{ content: string }>(String.raw`
import json, os, sys
path = os.path.join(sys.argv[1], 'shared')
a = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
b = os.open(path, os.O_WRONLY | os.O_APPEND)
os.write(a, b'a1 '); os.write(b, b'b1 '); os.write(a, b'a2')
os.close(a); os.close(b)
with open(path) as f: print(json.dumps({'content': f.read()}))
`, [work]);
    assert.equal(same.content, 'a1 b1 a2');

    // Another IGFS client holds the file's writer lock (OPEN_APPEND) while the mount tries to write.
    const rel = `/${name}/locked`;
    await shOk('printf base > "$1"', [join(m.mountpoint, rel)]);
    let holder: IgfsWriter | undefined = await client.openAppend(rel);
    try {
      const r = await python<Record<string, string>>(String.raw`
import errno, json, os, sys
out = {}
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_APPEND)
out['open'] = 'ok'
try:
    os.write(fd, b'x'); out['write'] = 'ok'
except OSError as e: out['write'] = errno.errorcode[e.errno]
try:
    os.close(fd); out['close'] = 'ok'
except OSError as e: out['close'] = errno.errorcode[e.errno]
print(json.dumps(out))
`, [join(m.mountpoint, rel)]);
      assert.deepEqual(r, { open: 'ok', write: 'EBUSY', close: 'ok' });
      await holder.write(Buffer.from('+other'));
      await holder.close();
      holder = undefined;
      // Once the other writer is gone, the mount writes again (the failed write left nothing behind).
      await shOk('printf +mount >> "$1"', [join(m.mountpoint, rel)]);
      const cat = await shOk('cat "$1"', [join(m.mountpoint, rel)]);
      assert.equal(cat.stdout, 'base+other+mount');
    } finally {
      await holder?.close().catch(() => undefined);
    }
  });
});

describe('IGFS mount: --read-only', { skip }, () => {
  let m: MountedDaemon;
  const name = uniqueName('e2e-ro');

  before(async () => {
    assert.equal((await cli(['igfs', 'mkdir', '-p', `/${name}`])).code, 0);
    const put = await cli(['igfs', 'put', '-', `/${name}/file`], { input: 'read me' });
    assert.equal(put.code, 0, put.stderr);
    m = await startMount({ args: ['--read-only'] });
  });

  after(async () => {
    if (m !== undefined) await stopMount(m);
    await cli(['igfs', 'rm', '-r', `/${name}`]);
  });

  test('every mutation fails with EROFS; reads work', async () => {
    const r = await python<Record<string, string>>(String.raw`
import errno, json, os, sys
b = sys.argv[1]
f = os.path.join(b, 'file')
out = {}
def probe(name, fn):
    try:
        fn(); out[name] = 'ok'
    except OSError as e:
        out[name] = errno.errorcode[e.errno]
with open(f) as fh: out['read'] = fh.read()
probe('open O_WRONLY', lambda: os.open(f, os.O_WRONLY))
probe('open O_CREAT', lambda: os.open(os.path.join(b, 'new'), os.O_WRONLY | os.O_CREAT, 0o644))
probe('open O_TRUNC', lambda: os.open(f, os.O_WRONLY | os.O_TRUNC))
probe('mkdir', lambda: os.mkdir(os.path.join(b, 'd')))
probe('unlink', lambda: os.unlink(f))
probe('rmdir', lambda: os.rmdir(b))
probe('rename', lambda: os.rename(f, os.path.join(b, 'g')))
probe('chmod', lambda: os.chmod(f, 0o600))
probe('chown', lambda: os.chown(f, 1, 1))
probe('utime', lambda: os.utime(f, (1, 1)))
probe('truncate', lambda: os.truncate(f, 0))
probe('access W_OK', lambda: (_ for _ in ()).throw(OSError(errno.EROFS, 'x')) if not os.access(f, os.W_OK) else None)
print(json.dumps(out))
`, [join(m.mountpoint, name)]);
    assert.deepEqual(r, {
      'read': 'read me',
      'open O_WRONLY': 'EROFS', 'open O_CREAT': 'EROFS', 'open O_TRUNC': 'EROFS', 'mkdir': 'EROFS', 'unlink': 'EROFS',
      'rmdir': 'EROFS', 'rename': 'EROFS', 'chmod': 'EROFS', 'chown': 'EROFS', 'utime': 'EROFS', 'truncate': 'EROFS',
      'access W_OK': 'EROFS',
    });
  });
});
