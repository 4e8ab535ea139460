import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFuseMount, parseMounts } from '../../../src/daemon/mount-table.js';
import { Registry, isProcessAlive } from '../../../src/daemon/registry.js';

const sample = [
  'proc /proc proc rw,nosuid 0 0',
  'ignite-fuse /mnt/with\\040space fuse.ignite-fuse rw,nosuid,nodev 0 0',
  'ignite-fuse /mnt/igfs fuse rw 0 0',
  '/dev/vda / ext4 rw 0 0',
  '',
].join('\n');

test('parseMounts unescapes octal escapes in mountpoints', () => {
  const entries = parseMounts(sample);
  assert.equal(entries.length, 4);
  assert.equal(entries[1].mountpoint, '/mnt/with space');
  assert.equal(entries[1].fstype, 'fuse.ignite-fuse');
});

test('findFuseMount finds fuse and fuse.* mounts only', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mt-'));
  const file = join(dir, 'mounts');
  await writeFile(file, sample);
  assert.equal((await findFuseMount('/mnt/igfs', file))?.fstype, 'fuse');
  assert.equal((await findFuseMount('/mnt/with space', file))?.source, 'ignite-fuse');
  assert.equal(await findFuseMount('/', file), undefined);
  assert.equal(await findFuseMount('/mnt', file), undefined);
});

test('Registry stores, finds and removes entries by mountpoint', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'reg-'));
  const reg = new Registry(dir);
  assert.equal(await reg.get('/mnt/a'), undefined);
  await reg.add({ pid: 42, mountpoint: '/mnt/a', role: 'igfs', startedAt: 'now' });
  assert.equal((await reg.get('/mnt/a'))?.pid, 42);
  await reg.remove('/mnt/a', 43); // another pid: kept
  assert.equal((await reg.get('/mnt/a'))?.pid, 42);
  await reg.remove('/mnt/a', 42);
  assert.equal(await reg.get('/mnt/a'), undefined);
});

test('isProcessAlive tells a live pid from a dead one', () => {
  assert.equal(isProcessAlive(process.pid), true);
  assert.equal(isProcessAlive(2 ** 22 + 12345), false);
});
