import assert from 'node:assert/strict';
import { readdir, writeFile as writeLocal } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { FsError } from '../../../src/fs/errors.js';
import { FileSystem } from '../../../src/fs/filesystem.js';
import { S_IFDIR, S_IFREG } from '../../../src/fs/posix-fs.js';
import {
  ALICE, BOB, codeOf, makeFixture, O, RDONLY, RDWR, readAll, ROOT, WRONLY, writeFile, type Fixture,
} from './fs-fixture.js';

const CREATE = WRONLY | O.O_CREAT;

describe('FileSystem basics', () => {
  let fx: Fixture;
  beforeEach(async () => { fx = await makeFixture(); });
  afterEach(async () => { await fx.cleanup(); });

  it('creates, writes and reads back a file, owned by the caller', async () => {
    await writeFile(fx.fs, '/a.txt', 'hello world', 0o640);
    assert.equal((await readAll(fx.fs, '/a.txt')).toString(), 'hello world');
    const stat = await fx.fs.getattr('/a.txt');
    assert.equal(stat.size, 11);
    assert.equal(stat.mode, S_IFREG | 0o640);
    assert.equal(stat.uid, 1000);
    assert.equal(stat.gid, 1000);
    const stored = await fx.backend.stat('/a.txt');
    assert.equal(stored.user, 'alice');
    assert.equal(stored.group, 'alice');
  });

  it('shows default owner and modes for entries that store none', async () => {
    const handle = await fx.backend.create('/bare', { overwrite: false });
    await handle.close();
    await fx.backend.mkdir('/d', {});
    await fx.backend.setAttrs('/d', {});
    const file = await fx.fs.getattr('/bare');
    assert.equal(file.mode, S_IFREG | 0o644);
    assert.equal(file.uid, 4242);
    assert.equal(file.gid, 4343);
    const root = await fx.fs.getattr('/');
    assert.equal(root.mode & S_IFDIR, S_IFDIR);
    assert.equal(root.nlink, 2);
  });

  it('maps stored names back to ids: known names, decimal names, unknown names', async () => {
    await writeFile(fx.fs, '/f', 'x');
    await fx.backend.setAttrs('/f', { user: 'bob', group: 'staff' });
    let stat = await fx.fs.getattr('/f');
    assert.deepEqual([stat.uid, stat.gid], [1001, 50]);
    await fx.backend.setAttrs('/f', { user: '777', group: '888' });
    stat = await fx.fs.getattr('/f');
    assert.deepEqual([stat.uid, stat.gid], [777, 888]);
    await fx.backend.setAttrs('/f', { user: 'hdfs', group: 'supergroup' });
    stat = await fx.fs.getattr('/f');
    assert.deepEqual([stat.uid, stat.gid], [4242, 4343]);
  });

  it('chown stores names, unknown ids as decimal strings, and leaves -1 unchanged', async () => {
    await writeFile(fx.fs, '/f', 'x');
    await fx.fs.chown('/f', 1001, -1);
    assert.deepEqual([(await fx.backend.stat('/f')).user, (await fx.backend.stat('/f')).group], ['bob', 'alice']);
    await fx.fs.chown('/f', 0xffffffff, 50);
    assert.deepEqual([(await fx.backend.stat('/f')).user, (await fx.backend.stat('/f')).group], ['bob', 'staff']);
    await fx.fs.chown('/f', 5555, 6666);
    assert.deepEqual([(await fx.backend.stat('/f')).user, (await fx.backend.stat('/f')).group], ['5555', '6666']);
    const stat = await fx.fs.getattr('/f');
    assert.deepEqual([stat.uid, stat.gid], [5555, 6666]);
    assert.equal(await codeOf(fx.fs.chown('/missing', -1, -1)), 'ENOENT');
  });

  it('chmod and utimens persist; an omitted time stays unchanged', async () => {
    await writeFile(fx.fs, '/f', 'x');
    await fx.fs.chmod('/f', 0o100600);
    assert.equal((await fx.fs.getattr('/f')).mode, S_IFREG | 0o600);
    const before = await fx.fs.getattr('/f');
    await fx.fs.utimens('/f', { mtimeMs: 1_000_000 });
    const after = await fx.fs.getattr('/f');
    assert.equal(after.mtimeMs, 1_000_000);
    assert.equal(after.atimeMs, before.atimeMs);
    await fx.fs.utimens('/f', { atimeMs: 2_000_000 });
    assert.equal((await fx.fs.getattr('/f')).atimeMs, 2_000_000);
    assert.equal((await fx.fs.getattr('/f')).mtimeMs, 1_000_000);
  });

  it('readdir returns plain names without dot entries and hides staging temp names', async () => {
    await fx.fs.mkdir('/d', 0o755, ALICE);
    await writeFile(fx.fs, '/d/one', '1');
    await writeFile(fx.fs, '/d/two', '2');
    const temp = await fx.backend.create('/d/.two.ifuse-0123abcd', { overwrite: false });
    await temp.close();
    assert.deepEqual((await fx.fs.readdir('/d')).sort(), ['one', 'two']);
    assert.equal(await codeOf(fx.fs.readdir('/d/one')), 'ENOTDIR');
    assert.equal(await codeOf(fx.fs.readdir('/nope')), 'ENOENT');
  });

  it('statfs reports 4 KiB blocks, free = total - used, names up to 255', async () => {
    await fx.cleanup();
    fx = await makeFixture({}, { totalBytes: 1 << 20 });
    await writeFile(fx.fs, '/f', Buffer.alloc(8192, 1));
    const stats = await fx.fs.statfs('/');
    assert.equal(stats.blockSize, 4096);
    assert.equal(stats.totalBlocks, 256);
    assert.equal(stats.freeBlocks, 254);
    assert.equal(stats.availableBlocks, 254);
    assert.equal(stats.maxNameLength, 255);
  });
});

describe('FileSystem open flags', () => {
  let fx: Fixture;
  beforeEach(async () => { fx = await makeFixture(); });
  afterEach(async () => { await fx.cleanup(); });

  it('fails to open a missing file, and O_CREAT|O_EXCL on an existing one', async () => {
    assert.equal(await codeOf(fx.fs.open('/missing', RDONLY, ALICE)), 'ENOENT');
    await writeFile(fx.fs, '/f', 'keep');
    assert.equal(await codeOf(fx.fs.create('/f', 0o644, CREATE | O.O_EXCL, ALICE)), 'EEXIST');
    assert.equal(await codeOf(fx.fs.open('/f', CREATE | O.O_EXCL, ALICE)), 'EEXIST');
  });

  it('create without O_EXCL on an existing file opens it without truncating', async () => {
    await writeFile(fx.fs, '/f', 'keep');
    const fh = await fx.fs.create('/f', 0o644, CREATE | O.O_APPEND, ALICE);
    await fx.fs.write('/f', fh, Buffer.from('+more'), 0);
    await fx.fs.release('/f', fh);
    assert.equal((await readAll(fx.fs, '/f')).toString(), 'keep+more');
  });

  it('O_CREAT through open() creates the file', async () => {
    const fh = await fx.fs.open('/new', RDWR | O.O_CREAT, ALICE);
    await fx.fs.write('/new', fh, Buffer.from('abc'), 0);
    assert.equal((await fx.fs.read('/new', fh, 0, 10)).toString(), 'abc');
    await fx.fs.release('/new', fh);
    assert.equal((await readAll(fx.fs, '/new')).toString(), 'abc');
  });

  it('O_TRUNC overwrites natively and keeps owner, group and mode', async () => {
    await writeFile(fx.fs, '/f', 'old content that is long');
    await fx.fs.chmod('/f', 0o600);
    await fx.fs.chown('/f', 1001, 50);
    const creates = fx.backend.callCount('create');
    const fh = await fx.fs.open('/f', WRONLY | O.O_TRUNC, ALICE);
    assert.equal((await fx.fs.getattr('/f')).size, 0);
    await fx.fs.write('/f', fh, Buffer.from('new'), 0);
    await fx.fs.release('/f', fh);
    assert.equal(fx.backend.callCount('create'), creates + 1, 'one OPEN_CREATE(overwrite), no staged rewrite');
    assert.equal((await readAll(fx.fs, '/f')).toString(), 'new');
    const stored = await fx.backend.stat('/f');
    assert.deepEqual([stored.mode, stored.user, stored.group], [0o600, 'bob', 'staff']);
  });

  it('truncate(path, 0) re-creates with the same owner, group and mode', async () => {
    await writeFile(fx.fs, '/f', 'abcdef', 0o751);
    await fx.fs.chown('/f', 1001, 1001);
    await fx.fs.truncate('/f', 0);
    const stored = await fx.backend.stat('/f');
    assert.deepEqual([stored.size, stored.mode, stored.user, stored.group], [0, 0o751, 'bob', 'bob']);
    assert.equal(fx.backend.hasWriter('/f'), false);
  });

  it('O_APPEND writes go to the end whatever the position', async () => {
    await writeFile(fx.fs, '/log', 'one;');
    const fh = await fx.fs.open('/log', WRONLY | O.O_APPEND, ALICE);
    await fx.fs.write('/log', fh, Buffer.from('two;'), 0);
    await fx.fs.write('/log', fh, Buffer.from('three;'), 2);
    await fx.fs.release('/log', fh);
    assert.equal((await readAll(fx.fs, '/log')).toString(), 'one;two;three;');
  });

  it('refuses to open a directory for writing and checks the handle mode', async () => {
    await fx.fs.mkdir('/d', 0o755, ALICE);
    assert.equal(await codeOf(fx.fs.open('/d', WRONLY, ALICE)), 'EISDIR');
    await writeFile(fx.fs, '/f', 'data');
    const ro = await fx.fs.open('/f', RDONLY, ALICE);
    assert.equal(await codeOf(fx.fs.write('/f', ro, Buffer.from('x'), 0)), 'EBADF');
    const wo = await fx.fs.open('/f', WRONLY, ALICE);
    assert.equal(await codeOf(fx.fs.read('/f', wo, 0, 4)), 'EBADF');
    await fx.fs.release('/f', ro);
    await fx.fs.release('/f', wo);
    assert.equal(await codeOf(fx.fs.read('/f', ro, 0, 4)), 'EBADF');
  });
});

describe('FileSystem streaming writes and read-your-writes', () => {
  let fx: Fixture;
  beforeEach(async () => { fx = await makeFixture(); });
  afterEach(async () => { await fx.cleanup(); });

  it('streams sequential writes into one store handle without staging', async () => {
    const fh = await fx.fs.create('/big', 0o644, CREATE, ALICE);
    const chunk = Buffer.alloc(128 * 1024);
    for (let i = 0; i < 40; i++) {
      chunk.fill(i);
      await fx.fs.write('/big', fh, chunk, i * chunk.length);
    }
    assert.deepEqual(await readdir(fx.stagingDir), []);
    await fx.fs.release('/big', fh);
    assert.equal(fx.backend.callCount('create'), 1);
    assert.equal(fx.backend.callCount('append'), 0);
    assert.equal(fx.backend.callCount('rename'), 0);
    const data = await readAll(fx.fs, '/big');
    assert.equal(data.length, 40 * chunk.length);
    for (let i = 0; i < 40; i++) assert.equal(data[i * chunk.length + 5], i);
  });

  it('shows a writer\'s unflushed size and bytes to readers on this mount, not to the store', async () => {
    const fh = await fx.fs.create('/events', 0o644, CREATE, ALICE);
    const expected: Buffer[] = [];
    for (let i = 0; i < 20; i++) {
      const record = Buffer.alloc(1000 + i * 37, 65 + i);
      await fx.fs.write('/events', fh, record, Buffer.concat(expected).length);
      expected.push(record);
      const total = Buffer.concat(expected);
      // Size and readable content move together: everything below the size reads back, nothing more.
      assert.equal((await fx.fs.getattr('/events')).size, total.length);
      assert.equal((await fx.fs.fgetattr('/events', fh)).size, total.length);
      assert.deepEqual(await readAll(fx.fs, '/events', 777), total);
    }
    assert.equal((await fx.backend.stat('/events')).size, 0, 'the store commits only at flush/close');
    await fx.fs.fsync('/events', fh, false);
    assert.equal((await fx.backend.stat('/events')).size, Buffer.concat(expected).length);
    await fx.fs.release('/events', fh);
  });

  it('a reader opened before more data arrives follows the growing file', async () => {
    const writer = await fx.fs.create('/grow', 0o644, CREATE, ALICE);
    await fx.fs.write('/grow', writer, Buffer.from('first '), 0);
    await fx.fs.fsync('/grow', writer, false);
    const reader = await fx.fs.open('/grow', RDONLY, BOB);
    await fx.fs.write('/grow', writer, Buffer.from('second '), 6);
    assert.equal((await fx.fs.read('/grow', reader, 0, 100)).toString(), 'first second ');
    await fx.fs.fsync('/grow', writer, false);
    await fx.fs.write('/grow', writer, Buffer.from('third'), 13);
    assert.equal((await fx.fs.read('/grow', reader, 6, 100)).toString(), 'second third');
    await fx.fs.release('/grow', writer);
    assert.equal((await fx.fs.read('/grow', reader, 0, 100)).toString(), 'first second third');
    await fx.fs.release('/grow', reader);
  });

  it('a read-only handle sees data committed by another client after it opened', async () => {
    await writeFile(fx.fs, '/shared', 'abc');
    const reader = await fx.fs.open('/shared', RDONLY, ALICE);
    const other = await fx.backend.append('/shared');
    await other.write(Buffer.from('def'));
    await other.close();
    assert.equal((await fx.fs.read('/shared', reader, 0, 10)).toString(), 'abcdef');
    await fx.fs.release('/shared', reader);
  });

  it('several handles writing one path share a single store writer', async () => {
    const a = await fx.fs.create('/s', 0o644, CREATE, ALICE);
    const b = await fx.fs.open('/s', WRONLY, ALICE);
    await fx.fs.write('/s', a, Buffer.from('aa'), 0);
    await fx.fs.write('/s', b, Buffer.from('bb'), 2);
    await fx.fs.write('/s', a, Buffer.from('cc'), 4);
    await fx.fs.flush('/s', a);
    await fx.fs.release('/s', a);
    await fx.fs.write('/s', b, Buffer.from('dd'), 6);
    await fx.fs.release('/s', b);
    assert.equal((await readAll(fx.fs, '/s')).toString(), 'aabbccdd');
    assert.equal(fx.backend.callCount('create'), 1);
    assert.equal(fx.backend.callCount('append'), 0);
  });

  it('the last writer\'s flush commits and releases the store lock; a later write reopens for append', async () => {
    const fh = await fx.fs.create('/f', 0o644, CREATE, ALICE);
    await fx.fs.write('/f', fh, Buffer.from('one'), 0);
    await fx.fs.flush('/f', fh);
    assert.equal(fx.backend.hasWriter('/f'), false);
    assert.equal((await fx.backend.stat('/f')).size, 3);
    await fx.fs.write('/f', fh, Buffer.from('two'), 3);
    assert.equal(fx.backend.hasWriter('/f'), true);
    await fx.fs.release('/f', fh);
    assert.equal(fx.backend.hasWriter('/f'), false);
    assert.equal((await readAll(fx.fs, '/f')).toString(), 'onetwo');
  });

  it('orders a release and an immediate re-open for append on the same path', async () => {
    const first = await fx.fs.create('/f', 0o644, CREATE, ALICE);
    await fx.fs.write('/f', first, Buffer.from('12345'), 0);
    const [, second] = await Promise.all([
      fx.fs.release('/f', first),
      (async () => {
        const fh = await fx.fs.open('/f', WRONLY | O.O_APPEND, ALICE);
        await fx.fs.write('/f', fh, Buffer.from('678'), 0);
        return fh;
      })(),
    ]);
    await fx.fs.release('/f', second);
    assert.equal((await readAll(fx.fs, '/f')).toString(), '12345678');
  });

  it('keeps write order when writes are issued without waiting for each other', async () => {
    const fh = await fx.fs.create('/f', 0o644, CREATE, ALICE);
    await Promise.all(Array.from({ length: 50 }, (_, i) => fx.fs.write('/f', fh, Buffer.from([i]), i)));
    await fx.fs.release('/f', fh);
    assert.deepEqual([...(await readAll(fx.fs, '/f'))], Array.from({ length: 50 }, (_, i) => i));
  });

  it('a store writer lock held by another client fails the write with EBUSY, without poisoning the handle', async () => {
    await writeFile(fx.fs, '/f', 'abc');
    const fh = await fx.fs.open('/f', WRONLY | O.O_APPEND, ALICE);
    const other = await fx.backend.append('/f');
    assert.equal(await codeOf(fx.fs.write('/f', fh, Buffer.from('x'), 3)), 'EBUSY');
    await other.write(Buffer.from('def'));
    await other.close();
    await fx.fs.write('/f', fh, Buffer.from('ghi'), 0);
    await fx.fs.release('/f', fh);
    assert.equal((await readAll(fx.fs, '/f')).toString(), 'abcdefghi');
  });

  it('O_TRUNC while another handle writes truncates the shared session', async () => {
    const a = await fx.fs.create('/f', 0o644, CREATE, ALICE);
    await fx.fs.write('/f', a, Buffer.from('0123456789'), 0);
    const b = await fx.fs.open('/f', WRONLY | O.O_TRUNC, ALICE);
    assert.equal((await fx.fs.getattr('/f')).size, 0);
    await fx.fs.write('/f', b, Buffer.from('new'), 0);
    await fx.fs.write('/f', a, Buffer.from('!'), 3);
    await fx.fs.release('/f', a);
    await fx.fs.release('/f', b);
    assert.equal((await readAll(fx.fs, '/f')).toString(), 'new!');
  });

  it('beyond maxUnflushedBytes keeps no copy: a read of uncommitted bytes commits first', async () => {
    await fx.cleanup();
    fx = await makeFixture({ maxUnflushedBytes: 10_000 });
    const fh = await fx.fs.create('/f', 0o644, RDWR | O.O_CREAT, ALICE);
    await fx.fs.write('/f', fh, Buffer.alloc(6000, 1), 0);
    await fx.fs.write('/f', fh, Buffer.alloc(6000, 2), 6000);
    assert.equal((await fx.backend.stat('/f')).size, 0, 'writing alone never commits');
    assert.equal((await fx.fs.getattr('/f')).size, 12_000);
    assert.deepEqual(await fx.fs.read('/f', fh, 5998, 4), Buffer.from([1, 1, 2, 2]));
    assert.equal((await fx.backend.stat('/f')).size, 12_000, 'the read committed');
    await fx.fs.write('/f', fh, Buffer.alloc(10, 3), 12_000);
    assert.equal(fx.backend.callCount('flush'), 1);
    assert.deepEqual(await fx.fs.read('/f', fh, 11_999, 2), Buffer.from([2, 3]), 'served from the tail again');
    assert.equal(fx.backend.callCount('flush'), 1);
    await fx.fs.release('/f', fh);
  });
});

describe('FileSystem staged writes and truncate', () => {
  let fx: Fixture;
  beforeEach(async () => { fx = await makeFixture({ maxStagedBytes: 64 * 1024 }); });
  afterEach(async () => { await fx.cleanup(); });

  it('rewrites a file after a write before its end, via a temp name renamed into place', async () => {
    await writeFile(fx.fs, '/f', 'hello world', 0o600);
    await fx.fs.chown('/f', 1001, 50);
    const fh = await fx.fs.open('/f', RDWR, ALICE);
    await fx.fs.write('/f', fh, Buffer.from('HELLO'), 0);
    assert.equal((await fx.fs.read('/f', fh, 0, 100)).toString(), 'HELLO world');
    assert.equal((await fx.backend.stat('/f')).size, 11);
    assert.equal((await readdir(fx.stagingDir)).length, 1);
    await fx.fs.release('/f', fh);
    assert.equal((await readAll(fx.fs, '/f')).toString(), 'HELLO world');
    assert.deepEqual(await readdir(fx.stagingDir), []);
    assert.deepEqual((await fx.backend.list('/')).map((e) => e.name), ['f']);
    const stored = await fx.backend.stat('/f');
    assert.deepEqual([stored.mode, stored.user, stored.group], [0o600, 'bob', 'staff']);
    assert.equal(fx.backend.callCount('rename'), 2, 'original aside, rewrite into place');
  });

  it('fills a hole past the end with zeros by streaming them', async () => {
    const fh = await fx.fs.create('/sparse', 0o644, CREATE, ALICE);
    await fx.fs.write('/sparse', fh, Buffer.from('end'), 1000);
    assert.equal((await fx.fs.getattr('/sparse')).size, 1003);
    await fx.fs.release('/sparse', fh);
    const data = await readAll(fx.fs, '/sparse');
    assert.deepEqual(data, Buffer.concat([Buffer.alloc(1000), Buffer.from('end')]));
    assert.equal(fx.backend.callCount('rename'), 0);
  });

  it('truncate(n > 0) shrinks via staging and grows with zeros', async () => {
    await writeFile(fx.fs, '/f', 'abcdefghij', 0o640);
    await fx.fs.truncate('/f', 4);
    assert.equal((await readAll(fx.fs, '/f')).toString(), 'abcd');
    assert.equal((await fx.backend.stat('/f')).mode, 0o640);
    await fx.fs.truncate('/f', 6);
    assert.deepEqual(await readAll(fx.fs, '/f'), Buffer.from('abcd\0\0'));
    assert.deepEqual(await readdir(fx.stagingDir), []);
  });

  it('ftruncate on an open writer is visible at once and committed at close', async () => {
    const fh = await fx.fs.create('/f', 0o644, CREATE, ALICE);
    await fx.fs.write('/f', fh, Buffer.from('0123456789'), 0);
    await fx.fs.ftruncate('/f', fh, 3);
    assert.equal((await fx.fs.fgetattr('/f', fh)).size, 3);
    await fx.fs.write('/f', fh, Buffer.from('xyz'), 3);
    await fx.fs.release('/f', fh);
    assert.equal((await readAll(fx.fs, '/f')).toString(), '012xyz');
  });

  it('fails with EFBIG above maxStagedBytes, leaving the file intact and appends working', async () => {
    const big = Buffer.alloc(100 * 1024, 7);
    await writeFile(fx.fs, '/big', big);
    const fh = await fx.fs.open('/big', WRONLY, ALICE);
    assert.equal(await codeOf(fx.fs.write('/big', fh, Buffer.from('x'), 0)), 'EFBIG');
    assert.equal(await codeOf(fx.fs.write('/big', fh, Buffer.from('x'), big.length + 65 * 1024)), 'EFBIG');
    await fx.fs.write('/big', fh, Buffer.from('tail'), big.length);
    await fx.fs.release('/big', fh);
    assert.deepEqual(await readAll(fx.fs, '/big'), Buffer.concat([big, Buffer.from('tail')]));
    assert.equal(await codeOf(fx.fs.truncate('/big', 70 * 1024)), 'EFBIG');
    await fx.fs.truncate('/big', 10);
    assert.deepEqual(await readAll(fx.fs, '/big'), big.subarray(0, 10));
    assert.deepEqual(await readdir(fx.stagingDir), []);
  });

  it('the limit is shared by all staged files', async () => {
    await writeFile(fx.fs, '/a', Buffer.alloc(40 * 1024));
    await writeFile(fx.fs, '/b', Buffer.alloc(40 * 1024));
    const a = await fx.fs.open('/a', WRONLY, ALICE);
    const b = await fx.fs.open('/b', WRONLY, ALICE);
    await fx.fs.write('/a', a, Buffer.from('x'), 0);
    assert.equal(await codeOf(fx.fs.write('/b', b, Buffer.from('x'), 0)), 'EFBIG');
    await fx.fs.release('/a', a);
    await fx.fs.write('/b', b, Buffer.from('y'), 0);
    await fx.fs.release('/b', b);
    assert.equal((await readAll(fx.fs, '/b'))[0], 'y'.charCodeAt(0));
  });

  it('removes staging leftovers of dead processes at start, keeping live ones and other files', async () => {
    const { spawnSync } = await import('node:child_process');
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!;
    const livePid = process.ppid;
    const names = [`ifuse-stage-${deadPid}-1`, `ifuse-stage-${process.pid}-3`, `ifuse-stage-${livePid}-2`, 'unrelated'];
    for (const name of names) await writeLocal(join(fx.stagingDir, name), 'leftover');
    const again = await makeFixture({ stagingDir: fx.stagingDir });
    assert.deepEqual((await readdir(fx.stagingDir)).sort(), [`ifuse-stage-${livePid}-2`, 'unrelated'].sort());
    await again.fs.shutdown();
  });
});

describe('FileSystem write errors', () => {
  let fx: Fixture;
  beforeEach(async () => { fx = await makeFixture(); });
  afterEach(async () => { await fx.cleanup(); });

  const eio = (): FsError => new FsError('EIO', 'injected');

  it('a failed store write fails that write and every later write, flush and release', async () => {
    const fh = await fx.fs.create('/f', 0o644, CREATE, ALICE);
    await fx.fs.write('/f', fh, Buffer.from('ok'), 0);
    fx.backend.injectFault({ op: 'write', error: eio() });
    assert.equal(await codeOf(fx.fs.write('/f', fh, Buffer.from('lost'), 2)), 'EIO');
    assert.equal(await codeOf(fx.fs.write('/f', fh, Buffer.from('more'), 6)), 'EIO');
    assert.equal(await codeOf(fx.fs.fsync('/f', fh, false)), 'EIO');
    assert.equal(await codeOf(fx.fs.flush('/f', fh)), 'EIO');
    assert.equal(await codeOf(fx.fs.release('/f', fh)), 'EIO');
    assert.equal(fx.backend.hasWriter('/f'), false, 'the store stream is closed anyway');
  });

  it('the error ends with the last writer: a new open starts clean', async () => {
    const fh = await fx.fs.create('/f', 0o644, CREATE, ALICE);
    fx.backend.injectFault({ op: 'write', error: eio() });
    assert.equal(await codeOf(fx.fs.write('/f', fh, Buffer.from('lost'), 0)), 'EIO');
    assert.equal(await codeOf(fx.fs.release('/f', fh)), 'EIO');
    const again = await fx.fs.open('/f', WRONLY | O.O_TRUNC, ALICE);
    await fx.fs.write('/f', again, Buffer.from('kept'), 0);
    await fx.fs.write('/f', again, Buffer.alloc(0), 100);
    await fx.fs.release('/f', again);
    assert.equal((await readAll(fx.fs, '/f')).toString(), 'kept');
  });

  it('a failed close surfaces at flush (close(2)) and again at release', async () => {
    const fh = await fx.fs.create('/f', 0o644, CREATE, ALICE);
    await fx.fs.write('/f', fh, Buffer.from('data'), 0);
    fx.backend.injectFault({ op: 'close', path: '/f', error: eio() });
    assert.equal(await codeOf(fx.fs.flush('/f', fh)), 'EIO');
    assert.equal(await codeOf(fx.fs.release('/f', fh)), 'EIO');
  });

  it('a failed commit surfaces at fsync', async () => {
    const fh = await fx.fs.create('/f', 0o644, CREATE, ALICE);
    await fx.fs.write('/f', fh, Buffer.from('data'), 0);
    fx.backend.injectFault({ op: 'flush', error: eio() });
    assert.equal(await codeOf(fx.fs.fsync('/f', fh, false)), 'EIO');
    assert.equal(await codeOf(fx.fs.release('/f', fh)), 'EIO');
  });

  it('ENOSPC passes through as ENOSPC', async () => {
    await fx.cleanup();
    fx = await makeFixture({}, { totalBytes: 1000 });
    const fh = await fx.fs.create('/f', 0o644, CREATE, ALICE);
    await fx.fs.write('/f', fh, Buffer.alloc(900), 0);
    assert.equal(await codeOf(fx.fs.write('/f', fh, Buffer.alloc(200), 900)), 'ENOSPC');
    assert.equal(await codeOf(fx.fs.release('/f', fh)), 'ENOSPC');
  });

  it('a failed rewrite of a staged file surfaces at close and leaves the original in place', async () => {
    await writeFile(fx.fs, '/f', 'original');
    const fh = await fx.fs.open('/f', WRONLY, ALICE);
    await fx.fs.write('/f', fh, Buffer.from('O'), 0);
    fx.backend.injectFault({ op: 'rename', error: eio() });
    assert.equal(await codeOf(fx.fs.flush('/f', fh)), 'EIO');
    assert.equal(await codeOf(fx.fs.release('/f', fh)), 'EIO');
    assert.deepEqual(await readdir(fx.stagingDir), []);
    assert.equal((await readAll(fx.fs, '/f')).toString(), 'original');
  });

  it('a commit-timer failure surfaces at the next write', async () => {
    await fx.cleanup();
    fx = await makeFixture({ commitIntervalMs: 1000 });
    const fh = await fx.fs.create('/f', 0o644, CREATE, ALICE);
    await fx.fs.write('/f', fh, Buffer.from('data'), 0);
    fx.backend.injectFault({ op: 'flush', error: eio() });
    fx.clock.advance(1000);
    await fx.fs.drain();
    assert.equal(await codeOf(fx.fs.write('/f', fh, Buffer.from('more'), 4)), 'EIO');
    await fx.fs.release('/f', fh).catch(() => undefined);
  });

  it('shutdown commits every open writer and reports failures with their paths', async () => {
    const a = await fx.fs.create('/a', 0o644, CREATE, ALICE);
    const b = await fx.fs.create('/b', 0o644, CREATE, ALICE);
    await fx.fs.write('/a', a, Buffer.from('aaa'), 0);
    await fx.fs.write('/b', b, Buffer.from('bbb'), 0);
    fx.backend.injectFault({ op: 'close', path: '/b', error: eio() });
    const err = await fx.fs.shutdown().then(() => undefined, (e: unknown) => e as FsError);
    assert.equal(err?.code, 'EIO');
    assert.match(err!.message, /\/b/);
    assert.equal((await fx.backend.stat('/a')).size, 3);
    assert.equal(fx.backend.hasWriter('/a'), false);
  });
});

describe('FileSystem commit interval', () => {
  it('commits an open writer at most once per interval, on a fake clock', async () => {
    const fx = await makeFixture({ commitIntervalMs: 5000 });
    try {
      const fh = await fx.fs.create('/f', 0o644, CREATE, ALICE);
      assert.equal(fx.clock.pendingTimers, 0, 'no timer before the first write');
      await fx.fs.write('/f', fh, Buffer.from('abc'), 0);
      await fx.fs.write('/f', fh, Buffer.from('def'), 3);
      assert.equal(fx.clock.pendingTimers, 1, 'one timer per writer, however many writes');
      fx.clock.advance(4999);
      await fx.fs.drain();
      assert.equal((await fx.backend.stat('/f')).size, 0);
      fx.clock.advance(1);
      await fx.fs.drain();
      assert.equal((await fx.backend.stat('/f')).size, 6);
      assert.equal(fx.backend.callCount('flush'), 1);
      assert.equal(fx.clock.pendingTimers, 0, 'an idle writer keeps no timer');
      fx.clock.advance(20_000);
      await fx.fs.drain();
      assert.equal(fx.backend.callCount('flush'), 1, 'nothing new, nothing committed');
      await fx.fs.write('/f', fh, Buffer.from('g'), 6);
      fx.clock.advance(5000);
      await fx.fs.drain();
      assert.equal((await fx.backend.stat('/f')).size, 7);
      await fx.fs.release('/f', fh);
      assert.equal(fx.clock.pendingTimers, 0);
    } finally {
      await fx.cleanup();
    }
  });
});

describe('FileSystem rename', () => {
  let fx: Fixture;
  beforeEach(async () => { fx = await makeFixture(); });
  afterEach(async () => { await fx.cleanup(); });

  it('moves onto a missing target', async () => {
    await writeFile(fx.fs, '/a', 'A');
    await fx.fs.rename('/a', '/b');
    assert.equal(await codeOf(fx.fs.getattr('/a')), 'ENOENT');
    assert.equal((await readAll(fx.fs, '/b')).toString(), 'A');
  });

  it('replaces an existing file (checkpoint.tmp over checkpoint)', async () => {
    await writeFile(fx.fs, '/checkpoint', 'old');
    await writeFile(fx.fs, '/checkpoint.tmp123', 'new');
    await fx.fs.rename('/checkpoint.tmp123', '/checkpoint');
    assert.equal((await readAll(fx.fs, '/checkpoint')).toString(), 'new');
    assert.deepEqual((await fx.backend.list('/')).map((e) => e.name), ['checkpoint'], 'no aside copy left');
  });

  it('puts the target back when the source cannot take its name', async () => {
    await writeFile(fx.fs, '/target', 'old');
    await writeFile(fx.fs, '/source', 'new');
    fx.backend.injectFault({ op: 'rename', path: '/source', error: new FsError('EIO', 'injected') });
    assert.equal(await codeOf(fx.fs.rename('/source', '/target')), 'EIO');
    assert.equal((await readAll(fx.fs, '/target')).toString(), 'old');
    assert.equal((await readAll(fx.fs, '/source')).toString(), 'new');
    assert.deepEqual((await fx.backend.list('/')).map((e) => e.name).sort(), ['source', 'target']);
  });

  it('replaces an empty directory, refuses a non-empty one', async () => {
    await fx.fs.mkdir('/src', 0o755, ALICE);
    await writeFile(fx.fs, '/src/x', 'x');
    await fx.fs.mkdir('/empty', 0o755, ALICE);
    await fx.fs.rename('/src', '/empty');
    assert.equal((await readAll(fx.fs, '/empty/x')).toString(), 'x');
    await fx.fs.mkdir('/other', 0o755, ALICE);
    await writeFile(fx.fs, '/other/y', 'y');
    assert.equal(await codeOf(fx.fs.rename('/empty', '/other')), 'ENOTEMPTY');
  });

  it('returns POSIX errors for type mismatches, missing sources and moves into itself', async () => {
    await writeFile(fx.fs, '/f', 'f');
    await fx.fs.mkdir('/d', 0o755, ALICE);
    assert.equal(await codeOf(fx.fs.rename('/f', '/d')), 'EISDIR');
    assert.equal(await codeOf(fx.fs.rename('/d', '/f')), 'ENOTDIR');
    assert.equal(await codeOf(fx.fs.rename('/missing', '/x')), 'ENOENT');
    assert.equal(await codeOf(fx.fs.rename('/d', '/d/sub')), 'EINVAL');
    await fx.fs.rename('/f', '/f');
    assert.equal((await readAll(fx.fs, '/f')).toString(), 'f');
  });

  it('a file open for writing keeps its handle working across a rename', async () => {
    const fh = await fx.fs.create('/out.tmp', 0o644, CREATE, ALICE);
    await fx.fs.write('/out.tmp', fh, Buffer.from('before;'), 0);
    await fx.fs.rename('/out.tmp', '/out');
    await fx.fs.write('/out', fh, Buffer.from('after'), 7);
    assert.equal((await fx.fs.getattr('/out')).size, 12);
    await fx.fs.release('/out', fh);
    assert.equal((await readAll(fx.fs, '/out')).toString(), 'before;after');
    assert.equal(await codeOf(fx.fs.getattr('/out.tmp')), 'ENOENT');
  });

  it('writers inside a renamed directory follow it', async () => {
    await fx.fs.mkdir('/run', 0o755, ALICE);
    const fh = await fx.fs.create('/run/log', 0o644, CREATE, ALICE);
    await fx.fs.write('/run/log', fh, Buffer.from('1'), 0);
    await fx.fs.rename('/run', '/run.done');
    await fx.fs.write('/run.done/log', fh, Buffer.from('2'), 1);
    await fx.fs.release('/run.done/log', fh);
    assert.equal((await readAll(fx.fs, '/run.done/log')).toString(), '12');
  });

  it('a reader of a replaced target keeps reading the old content', async () => {
    await writeFile(fx.fs, '/target', 'old content');
    await writeFile(fx.fs, '/source', 'new');
    const reader = await fx.fs.open('/target', RDONLY, BOB);
    await fx.fs.rename('/source', '/target');
    assert.equal((await fx.fs.read('/target', reader, 0, 100)).toString(), 'old content');
    await fx.fs.release('/target', reader);
    assert.equal((await readAll(fx.fs, '/target')).toString(), 'new');
    assert.deepEqual((await fx.backend.list('/')).map((e) => e.name), ['target'], 'the replaced copy is gone after the last close');
  });
});

describe('FileSystem unlink, mkdir, rmdir', () => {
  let fx: Fixture;
  beforeEach(async () => { fx = await makeFixture(); });
  afterEach(async () => { await fx.cleanup(); });

  it('open handles keep reading an unlinked file (kept hidden until the last close), nothing left after', async () => {
    await writeFile(fx.fs, '/f', 'still here');
    const reader = await fx.fs.open('/f', RDONLY, ALICE);
    const both = await fx.fs.open('/f', RDWR, ALICE);
    await fx.fs.unlink('/f');
    assert.equal(await codeOf(fx.fs.getattr('/f')), 'ENOENT');
    assert.deepEqual(await fx.fs.readdir('/'), []);
    assert.equal((await fx.backend.list('/')).length, 1, 'the store keeps the content under a hidden name');
    assert.equal((await fx.fs.read('/f', reader, 0, 100)).toString(), 'still here');
    assert.equal((await fx.fs.read('/f', both, 6, 100)).toString(), 'here', 'a handle that never read opens the hidden copy');
    assert.equal((await fx.fs.fgetattr('/f', reader)).size, 10);
    await fx.fs.release('/f', reader);
    assert.equal((await fx.backend.list('/')).length, 1);
    await fx.fs.release('/f', both);
    assert.deepEqual(await fx.backend.list('/'), [], 'deleted at the last close');
  });

  it('unlink of a file nobody has open deletes it at once', async () => {
    await writeFile(fx.fs, '/f', 'x');
    await fx.fs.unlink('/f');
    assert.deepEqual(await fx.backend.list('/'), []);
  });

  it('rmdir of a directory whose only content is an unlinked open file succeeds', async () => {
    await fx.fs.mkdir('/d', 0o755, ALICE);
    await writeFile(fx.fs, '/d/f', 'data');
    const reader = await fx.fs.open('/d/f', RDONLY, ALICE);
    await fx.fs.unlink('/d/f');
    await fx.fs.rmdir('/d');
    assert.equal(await codeOf(fx.fs.getattr('/d')), 'ENOENT');
    // Documented: the hidden copy went with the directory, so the handle now fails like IGFS after a purge.
    assert.equal(await codeOf(fx.fs.read('/d/f', reader, 0, 10)), 'EIO');
    await fx.fs.release('/d/f', reader);
    assert.deepEqual(await fx.backend.list('/'), []);
  });

  it('a hidden file follows a rename of its directory and is deleted at the last close', async () => {
    await fx.fs.mkdir('/d', 0o755, ALICE);
    await writeFile(fx.fs, '/d/f', 'data');
    const reader = await fx.fs.open('/d/f', RDONLY, ALICE);
    await fx.fs.unlink('/d/f');
    await fx.fs.rename('/d', '/e');
    assert.equal((await fx.fs.read('/d/f', reader, 0, 10)).toString(), 'data');
    await fx.fs.release('/d/f', reader);
    assert.deepEqual(await fx.backend.list('/e'), []);
  });

  it('shutdown deletes hidden copies of unlinked open files', async () => {
    await writeFile(fx.fs, '/f', 'data');
    await fx.fs.open('/f', RDONLY, ALICE);
    await fx.fs.unlink('/f');
    await fx.fs.shutdown();
    assert.deepEqual(await fx.backend.list('/'), []);
  });

  it('writes through a handle on an unlinked file fail with EIO; a new file at the path is independent', async () => {
    const fh = await fx.fs.create('/f', 0o644, CREATE, ALICE);
    await fx.fs.write('/f', fh, Buffer.from('abc'), 0);
    await fx.fs.unlink('/f');
    assert.equal(fx.backend.hasWriter('/f'), false);
    assert.equal(await codeOf(fx.fs.write('/f', fh, Buffer.from('d'), 3)), 'EIO');
    await writeFile(fx.fs, '/f', 'fresh');
    await fx.fs.release('/f', fh);
    assert.equal((await readAll(fx.fs, '/f')).toString(), 'fresh');
  });

  it('unlinking a file with staged writes drops the staged copy and leaves nothing in the store', async () => {
    await writeFile(fx.fs, '/f', 'abcdef');
    const fh = await fx.fs.open('/f', RDWR, ALICE);
    await fx.fs.write('/f', fh, Buffer.from('X'), 1);
    assert.equal((await readdir(fx.stagingDir)).length, 1);
    await fx.fs.unlink('/f');
    assert.deepEqual(await readdir(fx.stagingDir), []);
    await fx.fs.release('/f', fh);
    assert.deepEqual((await fx.backend.list('/')).map((e) => e.name), []);
  });

  it('unlink returns EISDIR for directories and ENOENT for missing paths', async () => {
    await fx.fs.mkdir('/d', 0o755, ALICE);
    assert.equal(await codeOf(fx.fs.unlink('/d')), 'EISDIR');
    assert.equal(await codeOf(fx.fs.unlink('/missing')), 'ENOENT');
  });

  it('mkdir fails on existing paths and missing or non-directory parents; stores mode and owner', async () => {
    await fx.fs.mkdir('/d', 0o750, BOB);
    const stored = await fx.backend.stat('/d');
    assert.deepEqual([stored.mode, stored.user, stored.group], [0o750, 'bob', 'bob']);
    assert.equal((await fx.fs.getattr('/d')).mode, S_IFDIR | 0o750);
    assert.equal(await codeOf(fx.fs.mkdir('/d', 0o755, ALICE)), 'EEXIST');
    await writeFile(fx.fs, '/f', 'x');
    assert.equal(await codeOf(fx.fs.mkdir('/f', 0o755, ALICE)), 'EEXIST');
    assert.equal(await codeOf(fx.fs.mkdir('/no/such', 0o755, ALICE)), 'ENOENT');
    assert.equal(await codeOf(fx.fs.mkdir('/f/sub', 0o755, ALICE)), 'ENOTDIR');
  });

  it('rmdir refuses non-empty directories and files', async () => {
    await fx.fs.mkdir('/d', 0o755, ALICE);
    await writeFile(fx.fs, '/d/f', 'x');
    assert.equal(await codeOf(fx.fs.rmdir('/d')), 'ENOTEMPTY');
    assert.equal(await codeOf(fx.fs.rmdir('/d/f')), 'ENOTDIR');
    await fx.fs.unlink('/d/f');
    await fx.fs.rmdir('/d');
    assert.equal(await codeOf(fx.fs.getattr('/d')), 'ENOENT');
  });
});

describe('FileSystem access and read-only mode', () => {
  it('checks R/W/X against owner, group and other bits; root reads and writes anything', async () => {
    const fx = await makeFixture();
    try {
      await writeFile(fx.fs, '/f', 'x', 0o640);
      await fx.fs.access('/f', O.F_OK, BOB);
      await fx.fs.access('/f', O.R_OK | O.W_OK, ALICE);
      assert.equal(await codeOf(fx.fs.access('/f', O.X_OK, ALICE)), 'EACCES');
      assert.equal(await codeOf(fx.fs.access('/f', O.R_OK, BOB)), 'EACCES');
      await fx.fs.chown('/f', -1, 1001);
      await fx.fs.access('/f', O.R_OK, BOB);
      assert.equal(await codeOf(fx.fs.access('/f', O.W_OK, BOB)), 'EACCES');
      await fx.fs.chmod('/f', 0o000);
      await fx.fs.access('/f', O.R_OK | O.W_OK, ROOT);
      assert.equal(await codeOf(fx.fs.access('/f', O.X_OK, ROOT)), 'EACCES');
      await fx.fs.chmod('/f', 0o001);
      await fx.fs.access('/f', O.X_OK, ROOT);
      assert.equal(await codeOf(fx.fs.access('/missing', O.F_OK, ALICE)), 'ENOENT');
    } finally {
      await fx.cleanup();
    }
  });

  it('readOnly answers EROFS to every mutation and still serves reads', async () => {
    const fx = await makeFixture();
    await writeFile(fx.fs, '/f', 'data');
    await fx.fs.mkdir('/d', 0o755, ALICE);
    // A read-only filesystem over the same store.
    const fs = await FileSystem.create(fx.backend, { readOnly: true, stagingDir: fx.stagingDir });
    try {
      const mutations: Array<Promise<unknown>> = [
        fs.create('/new', 0o644, CREATE, ALICE),
        fs.open('/f', WRONLY, ALICE),
        fs.open('/f', RDWR, ALICE),
        fs.truncate('/f', 0),
        fs.unlink('/f'),
        fs.mkdir('/e', 0o755, ALICE),
        fs.rmdir('/d'),
        fs.rename('/f', '/g'),
        fs.chmod('/f', 0o600),
        fs.chown('/f', 1001, 1001),
        fs.utimens('/f', { mtimeMs: 1 }),
      ];
      for (const mutation of mutations) assert.equal(await codeOf(mutation), 'EROFS');
      assert.equal(await codeOf(fs.access('/f', O.W_OK, ROOT)), 'EROFS');
      assert.equal((await readAll(fs, '/f')).toString(), 'data');
    } finally {
      await fs.shutdown();
      await fx.cleanup();
    }
  });
});
