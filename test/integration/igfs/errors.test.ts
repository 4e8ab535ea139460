// Every server error as its typed error, with the real node's messages (which errors.ts's code-1 classification
// relies on).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newClient, startInstance, uniqueDir } from './ignite-node.js';
import type { IgfsClient } from '../../../src/igfs/client.js';
import { ServerError, type ServerErrorKind } from '../../../src/igfs/errors.js';

let client: IgfsClient;
let d: string;

before(async () => {
  await startInstance();
  client = newClient();
  d = uniqueDir();
  await client.mkdirs(`${d}/dir/child`);
  await client.writeFile(`${d}/file`, Buffer.from('f'));
});

after(async () => {
  await client.delete(d, { recursive: true });
  client.close();
});

function kind(k: ServerErrorKind, code: number) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof ServerError, `expected ServerError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.equal(e.kind, k, e.message);
    assert.ok(e.serverMessage !== null && e.serverMessage.length > 0);
    return true;
  };
}

test('not found (2): OPEN_READ, OPEN_APPEND without create, LIST_*, PATH_SUMMARY, SET_TIMES, RENAME source, AFFINITY', async () => {
  const m = `${d}/missing`;
  await assert.rejects(client.openRead(m), kind('not-found', 2));
  await assert.rejects(client.openAppend(m), kind('not-found', 2));
  await assert.rejects(client.listFiles(m), kind('not-found', 2));
  await assert.rejects(client.listPaths(m), kind('not-found', 2));
  await assert.rejects(client.summary(m), kind('not-found', 2));
  await assert.rejects(client.setTimes(m, { accessTimeMs: 1 }), kind('not-found', 2));
  await assert.rejects(client.rename(m, `${d}/other`), kind('not-found', 2));
  await assert.rejects(client.rename(`${d}/file`, `${d}/missing/deeper`), kind('not-found', 2));
  await assert.rejects(client.affinity(m, 0, 1), kind('not-found', 2));
});

test('already exists (3): OPEN_CREATE without overwrite, RENAME onto an existing file', async () => {
  await assert.rejects(client.openCreate(`${d}/file`), kind('already-exists', 3));
  await client.writeFile(`${d}/file2`, Buffer.from('2'));
  await assert.rejects(client.rename(`${d}/file2`, `${d}/file`), kind('already-exists', 3));
});

test('directory not empty (4): non-recursive DELETE', async () => {
  await assert.rejects(client.delete(`${d}/dir`), kind('directory-not-empty', 4));
  assert.equal(await client.exists(`${d}/dir/child`), true);
});

test('parent not a directory (5): MAKE_DIRECTORIES and OPEN_CREATE below a file', async () => {
  await assert.rejects(client.mkdirs(`${d}/file/sub`), kind('parent-not-directory', 5));
  await assert.rejects(client.openCreate(`${d}/file/sub`), kind('parent-not-directory', 5));
});

test('is a directory (1): OPEN_READ, OPEN_APPEND, OPEN_CREATE (also with overwrite), AFFINITY on a directory', async () => {
  await assert.rejects(client.openRead(`${d}/dir`), kind('is-directory', 1));
  await assert.rejects(client.openAppend(`${d}/dir`), kind('is-directory', 1));
  await assert.rejects(client.openAppend(`${d}/dir`, { create: true }), kind('is-directory', 1));
  await assert.rejects(client.openCreate(`${d}/dir`), kind('is-directory', 1));
  await assert.rejects(client.openCreate(`${d}/dir`, { overwrite: true }), kind('is-directory', 1));
  await assert.rejects(client.affinity(`${d}/dir`, 0, 1), kind('is-directory', 1));
});

test('already open for write (1): second OPEN_APPEND and OPEN_CREATE overwrite while a writer is open', async () => {
  const f = `${d}/locked`;
  const w = await client.openCreate(f);
  try {
    await assert.rejects(client.openAppend(f), kind('already-open-for-write', 1));
    await assert.rejects(client.openCreate(f, { overwrite: true }), kind('already-open-for-write', 1));
  } finally {
    await w.close();
  }
  const again = await client.openAppend(f); // the lock is released by CLOSE
  await again.close();
});

test('other code-1 errors stay generic: renaming the root, moving a directory into itself', async () => {
  await assert.rejects(client.rename('/', `${d}/root`), kind('igfs-generic', 1));
  await assert.rejects(client.rename(`${d}/dir`, `${d}/dir/child/x`), kind('igfs-generic', 1));
});

test('generic (0): UPDATE with an empty map', async () => {
  await assert.rejects(client.update(`${d}/file`, {}), kind('generic', 0));
});

test('wrong IGFS name: the handshake fails with the server message, code 0', async () => {
  const wrong = newClient({ igfsName: 'no-such-igfs' });
  try {
    await assert.rejects(wrong.exists('/'), (e: unknown) => {
      kind('generic', 0)(e);
      assert.match((e as ServerError).message, /IGFS name differs/);
      return true;
    });
  } finally {
    wrong.close();
  }
  const right = newClient({ igfsName: 'igfs' });
  assert.equal(await right.exists('/'), true);
  right.close();
});
