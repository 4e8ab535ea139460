import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry, isProcessAlive } from '../../../src/daemon/registry.js';

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
