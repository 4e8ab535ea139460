import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FsError } from '../../../src/fs/errors.js';
import { MemoryBackend } from '../../../src/fs/memory-backend.js';
import { codeOf } from './fs-fixture.js';

describe('MemoryBackend (IGFS write semantics)', () => {
  it('commits length only at flush/close; readers keep the length they opened with', async () => {
    const store = new MemoryBackend();
    const writer = await store.create('/f', { overwrite: false });
    await writer.write(Buffer.from('abc'));
    assert.equal(writer.size, 3);
    assert.equal((await store.stat('/f')).size, 0);
    const early = await store.openRead('/f');
    assert.equal(early.size, 0);
    await writer.flush();
    assert.equal((await store.stat('/f')).size, 3);
    await writer.write(Buffer.from('def'));
    const middle = await store.openRead('/f');
    assert.equal((await middle.readAt(0, 100)).toString(), 'abc');
    await writer.close();
    assert.equal((await store.stat('/f')).size, 6);
    assert.equal((await early.readAt(0, 100)).length, 0);
    const late = await store.openRead('/f');
    assert.equal((await late.readAt(2, 3)).toString(), 'cde');
  });

  it('allows one writer per file: a second append or an overwrite gets EBUSY until close', async () => {
    const store = new MemoryBackend();
    const writer = await store.create('/f', { overwrite: false });
    assert.equal(await codeOf(store.append('/f')), 'EBUSY');
    assert.equal(await codeOf(store.create('/f', { overwrite: true })), 'EBUSY');
    await writer.close();
    await writer.close();
    const again = await store.append('/f');
    assert.equal(again.size, 0);
    await again.close();
    assert.equal(await codeOf(writer.write(Buffer.from('x'))), 'EIO');
  });

  it('create: EEXIST without overwrite, EISDIR on directories, auto-created parents', async () => {
    const store = new MemoryBackend();
    await (await store.create('/a/b/f', { overwrite: false, mode: 0o600, user: 'u' })).close();
    const parent = await store.stat('/a/b');
    assert.equal(parent.kind, 'directory');
    assert.equal(parent.mode, 0o600, 'IGFS gives auto-created parents the file\'s properties');
    assert.equal(await codeOf(store.create('/a/b/f', { overwrite: false })), 'EEXIST');
    assert.equal(await codeOf(store.create('/a/b', { overwrite: true })), 'EISDIR');
    assert.equal(await codeOf(store.create('/a/b/f/g', { overwrite: false })), 'ENOTDIR');
    const replaced = await store.create('/a/b/f', { overwrite: true });
    await replaced.close();
    assert.equal((await store.stat('/a/b/f')).user, undefined);
    assert.equal(await codeOf(store.append('/missing')), 'ENOENT');
    assert.equal(await codeOf(store.append('/a')), 'EISDIR');
  });

  it('rename refuses existing destinations and missing parents, moves subtrees', async () => {
    const store = new MemoryBackend();
    await store.mkdir('/d/sub', {});
    await (await store.create('/d/sub/f', { overwrite: false })).close();
    await (await store.create('/g', { overwrite: false })).close();
    assert.equal(await codeOf(store.rename('/g', '/d/sub/f')), 'EEXIST');
    assert.equal(await codeOf(store.rename('/g', '/d')), 'EEXIST');
    assert.equal(await codeOf(store.rename('/g', '/nope/g')), 'ENOENT');
    assert.equal(await codeOf(store.rename('/d', '/d/sub/x')), 'EINVAL');
    assert.equal(await codeOf(store.rename('/missing', '/x')), 'ENOENT');
    await store.rename('/d', '/e');
    assert.equal((await store.stat('/e/sub/f')).kind, 'file');
    assert.equal(await codeOf(store.stat('/d')), 'ENOENT');
  });

  it('mkdir is mkdir -p and succeeds on an existing directory; rmdir and unlink check kinds', async () => {
    const store = new MemoryBackend();
    await store.mkdir('/x/y', { mode: 0o700 });
    await store.mkdir('/x/y', { mode: 0o755 });
    assert.equal((await store.stat('/x/y')).mode, 0o700);
    assert.equal(await codeOf(store.rmdir('/x')), 'ENOTEMPTY');
    assert.equal(await codeOf(store.unlink('/x')), 'EISDIR');
    await (await store.create('/x/f', { overwrite: false })).close();
    assert.equal(await codeOf(store.rmdir('/x/f')), 'ENOTDIR');
    assert.equal(await codeOf(store.mkdir('/x/f/z', {})), 'ENOTDIR');
    await store.unlink('/x/f');
    await store.rmdir('/x/y');
    assert.deepEqual(await store.list('/x'), []);
  });

  it('accounts used bytes, refuses writes beyond capacity with ENOSPC, and injects faults', async () => {
    const store = new MemoryBackend({ totalBytes: 10 });
    const writer = await store.create('/f', { overwrite: false });
    await writer.write(Buffer.alloc(8));
    assert.equal(await codeOf(writer.write(Buffer.alloc(3))), 'ENOSPC');
    assert.deepEqual(await store.statfs(), { totalBytes: 10, usedBytes: 8 });
    store.injectFault({ op: 'close', path: '/f', error: new FsError('EIO', 'injected'), times: 2 });
    assert.equal(await codeOf(writer.close()), 'EIO');
    assert.equal(await codeOf(writer.close()), 'EIO');
    assert.equal(store.hasWriter('/f'), true, 'a failed close keeps the stream registered, as IGFS does');
    await writer.close();
    assert.equal(store.hasWriter('/f'), false);
    await store.unlink('/f');
    assert.equal((await store.statfs()).usedBytes, 0);
  });

  it('reads across many small appended chunks', async () => {
    const store = new MemoryBackend();
    const writer = await store.create('/f', { overwrite: false });
    const expected: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const chunk = Buffer.alloc(1 + (i % 13), i & 0xff);
      expected.push(...chunk);
      await writer.write(chunk);
    }
    await writer.close();
    const reader = await store.openRead('/f');
    for (const [position, length] of [[0, 1], [5, 100], [3000, 2000], [expected.length - 3, 10]] as const) {
      assert.deepEqual([...(await reader.readAt(position, length))], expected.slice(position, position + length));
    }
  });

  it('a read-only store answers EROFS to mutations', async () => {
    const store = new MemoryBackend({ readOnly: true });
    assert.equal(await codeOf(store.create('/f', { overwrite: false })), 'EROFS');
    assert.equal(await codeOf(store.mkdir('/d', {})), 'EROFS');
    assert.equal(await codeOf(store.setAttrs('/', { mode: 0o700 })), 'EROFS');
  });
});
