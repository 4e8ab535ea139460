// Every IGFS command through IgfsClient against the real Ignite 2.8.1 node (scripts/ignite, IGFS on 10500).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newClient, startInstance, uniqueDir } from './ignite-node.js';
import type { IgfsClient } from '../../../src/igfs/client.js';

let client: IgfsClient;
let root: string;

before(async () => {
  await startInstance();
  client = newClient({ poolSize: 2 });
  root = uniqueDir();
  await client.mkdirs(root);
});

after(async () => {
  await client.delete(root, { recursive: true });
  client.close();
});

test('HANDSHAKE: IGFS name and group block size; a repeated handshake on the same connection is accepted', async () => {
  const first = await client.connect();
  assert.equal(first.igfsName, 'igfs');
  assert.ok(first.groupBlockSize > 0);
  const again = await client.handshake();
  assert.deepEqual(again, first);
});

test('STATUS: used <= total, total > 0', async () => {
  const s = await client.status();
  assert.ok(s.spaceTotal > 0);
  assert.ok(s.spaceUsed >= 0 && s.spaceUsed <= s.spaceTotal);
});

test('MODE_RESOLVER: PRIMARY without a secondary file system', async () => {
  const m = await client.modeResolver();
  assert.equal(m.defaultMode, 'PRIMARY');
});

test('MAKE_DIRECTORIES (with props, idempotent), EXISTS, INFO of a directory', async () => {
  const d = `${root}/mk/a/b`;
  await client.mkdirs(d, { permission: '0750' });
  await client.mkdirs(d); // existing: still fine
  assert.equal(await client.exists(d), true);
  assert.equal(await client.exists(`${root}/mk/none`), false);
  const info = await client.info(d);
  assert.ok(info);
  assert.equal(info.path, d);
  assert.equal(info.isDirectory, true);
  assert.equal(info.isFile, false);
  assert.equal(info.length, 0);
  assert.equal(info.properties?.get('permission'), '0750');
  // parents created by the same call carry the same props
  assert.equal((await client.info(`${root}/mk/a`))?.properties?.get('permission'), '0750');
  assert.equal(await client.info(`${root}/mk/none`), null);
});

test('OPEN_CREATE + WRITE_BLOCK + CLOSE, INFO of the file, OPEN_READ + READ_BLOCK (positional, EOF)', async () => {
  const f = `${root}/rw/file.bin`;
  const data = Buffer.from('0123456789abcdefghij');
  const w = await client.openCreate(f, { props: { permission: '0640', usrName: 'alice' } });
  await w.write(data.subarray(0, 7));
  await w.write(data.subarray(7));
  await w.close();
  const info = await client.info(f);
  assert.ok(info);
  assert.equal(info.isFile, true);
  assert.equal(info.length, data.length);
  assert.ok(info.blockSize > 0);
  assert.ok(info.groupBlockSize > 0);
  assert.equal(info.properties?.get('usrName'), 'alice');
  assert.ok(info.modificationTimeMs > 0 && info.accessTimeMs > 0);
  const r = await client.openRead(f);
  assert.equal(r.length, data.length);
  assert.deepEqual(await r.read(5, 4), data.subarray(5, 9));
  assert.deepEqual(await r.read(0, 1000), data);
  assert.deepEqual(await r.read(18, 10), data.subarray(18));
  assert.equal((await r.read(20, 10)).length, 0);
  assert.equal((await r.read(3, 0)).length, 0); // answered locally: a zero-length READ_BLOCK means nothing
  await r.close();
});

test('OPEN_READ with a prefetch hint', async () => {
  const f = `${root}/rw/hint`;
  await client.writeFile(f, Buffer.from('hint'));
  const r = await client.openRead(f, { seqReadsBeforePrefetch: 2 });
  assert.equal(String(await r.read(0, 4)), 'hint');
  await r.close();
});

test('OPEN_CREATE overwrite truncates; OPEN_APPEND appends; OPEN_APPEND create makes a file', async () => {
  const f = `${root}/ap/f`;
  await client.writeFile(f, Buffer.from('first'));
  await client.writeFile(f, Buffer.from('second'), { overwrite: true });
  assert.equal(String(await client.readFile(f)), 'second');
  const a = await client.openAppend(f);
  await a.write(Buffer.from('+more'));
  await a.close();
  assert.equal(String(await client.readFile(f)), 'second+more');
  const g = `${root}/ap/new/g`;
  const c = await client.openAppend(g, { create: true, props: { permission: '0600' } });
  await c.write(Buffer.from('g'));
  await c.close();
  assert.equal(String(await client.readFile(g)), 'g');
  assert.equal((await client.info(g))?.properties?.get('permission'), '0600');
});

test('a reader opened before an append keeps its open-time length', async () => {
  const f = `${root}/ap/snap`;
  await client.writeFile(f, Buffer.from('abc'));
  const r = await client.openRead(f);
  const a = await client.openAppend(f);
  await a.write(Buffer.from('def'));
  await a.close();
  assert.equal(r.length, 3);
  assert.equal(String(await r.read(0, 100)), 'abc');
  await r.close();
  assert.equal(String(await client.readFile(f)), 'abcdef');
});

test('LIST_PATHS and LIST_FILES (unordered; a file lists as itself for LIST_FILES, empty for LIST_PATHS)', async () => {
  const d = `${root}/ls`;
  await client.mkdirs(`${d}/sub`);
  await client.writeFile(`${d}/x`, Buffer.from('xx'));
  await client.writeFile(`${d}/y`, Buffer.from('y'));
  assert.deepEqual((await client.listPaths(d)).sort(), [`${d}/sub`, `${d}/x`, `${d}/y`]);
  const files = (await client.listFiles(d)).sort((a, b) => a.path.localeCompare(b.path));
  assert.deepEqual(files.map((f) => [f.path, f.isDirectory, f.length]), [[`${d}/sub`, true, 0], [`${d}/x`, false, 2], [`${d}/y`, false, 1]]);
  const self = await client.listFiles(`${d}/x`);
  assert.deepEqual(self.map((f) => f.path), [`${d}/x`]);
  assert.deepEqual(await client.listPaths(`${d}/x`), []);
  assert.deepEqual(await client.listFiles(`${d}/sub`), []);
});

test('PATH_SUMMARY counts files, directories and bytes below a path', async () => {
  const d = `${root}/sum`;
  await client.mkdirs(`${d}/a/b`);
  await client.writeFile(`${d}/a/f1`, Buffer.alloc(10));
  await client.writeFile(`${d}/a/b/f2`, Buffer.alloc(5));
  const s = await client.summary(d);
  assert.equal(s.filesCount, 2);
  assert.equal(s.totalLength, 15);
  // Ignite 2.8.1 counts the summarized directory itself: sum, a, a/b (igfs-protocol.md §4.4 only says the root is
  // not counted).
  assert.equal(s.directoriesCount, 3);
  assert.equal(s.path, d);
});

test('UPDATE merges properties and removes a key given null; null for a missing path', async () => {
  const f = `${root}/upd`;
  await client.writeFile(f, Buffer.from('u'), { props: { permission: '0644', keep: 'k' } });
  const updated = await client.update(f, { permission: '0600', extra: 'e' });
  assert.equal(updated?.properties?.get('permission'), '0600');
  assert.equal(updated?.properties?.get('keep'), 'k');
  assert.equal(updated?.properties?.get('extra'), 'e');
  const removed = await client.update(f, new Map([['extra', null]]));
  assert.equal(removed?.properties?.has('extra'), false);
  assert.equal(await client.update(`${root}/nothing`, { a: 'b' }), null);
});

test('a 20,000-character property value survives UPDATE and INFO (lstr chunking both ways)', async () => {
  const f = `${root}/bigprop`;
  await client.writeFile(f, Buffer.from('p'));
  // 1-, 2-, 3-byte characters and whole surrogate pairs (a lone surrogate comes back as "?": the node stores
  // properties through Ignite's binary marshaller, which writes standard UTF-8).
  const big = 'aé中😀'.repeat(4000);
  assert.equal(big.length, 20_000);
  await client.update(f, { big, [big]: 'key too' });
  const props = (await client.info(f))?.properties;
  assert.ok(props?.get('big') === big, 'value survives');
  assert.ok(props?.get(big) === 'key too', 'key survives');
});

test('RENAME: to a new name, and into an existing directory (IGFS moves it inside)', async () => {
  const d = `${root}/mv`;
  await client.writeFile(`${d}/a`, Buffer.from('a'));
  await client.rename(`${d}/a`, `${d}/b`);
  assert.equal(await client.exists(`${d}/a`), false);
  assert.equal(String(await client.readFile(`${d}/b`)), 'a');
  await client.mkdirs(`${d}/dir`);
  await client.rename(`${d}/b`, `${d}/dir`);
  assert.equal(String(await client.readFile(`${d}/dir/b`)), 'a');
  await client.rename(`${d}/dir/b`, `${d}/dir/b`); // same path: no-op
});

test('DELETE: file, empty directory, recursive tree; false for a missing path and for the root', async () => {
  const d = `${root}/rm`;
  await client.writeFile(`${d}/t/f`, Buffer.from('f'));
  await client.mkdirs(`${d}/empty`);
  await client.writeFile(`${d}/file`, Buffer.from('f'));
  assert.equal(await client.delete(`${d}/file`), true);
  assert.equal(await client.delete(`${d}/empty`), true);
  assert.equal(await client.delete(`${d}/t`, { recursive: true }), true);
  assert.equal(await client.delete(`${d}/missing`), false);
  assert.equal(await client.delete('/'), false);
  assert.deepEqual(await client.listPaths(d), []);
});

test('SET_TIMES: access first on the wire; -1 leaves a time unchanged; works on directories', async () => {
  const f = `${root}/times`;
  await client.writeFile(f, Buffer.from('t'));
  const before = await client.info(f);
  assert.ok(before);
  await client.setTimes(f, { accessTimeMs: 1_000_000_000_000, modificationTimeMs: 1_100_000_000_000 });
  let info = await client.info(f);
  assert.equal(info?.accessTimeMs, 1_000_000_000_000);
  assert.equal(info?.modificationTimeMs, 1_100_000_000_000);
  await client.setTimes(f, { modificationTimeMs: 1_200_000_000_000 });
  info = await client.info(f);
  assert.equal(info?.accessTimeMs, 1_000_000_000_000);
  assert.equal(info?.modificationTimeMs, 1_200_000_000_000);
  await client.setTimes(root, { accessTimeMs: 1_300_000_000_000 });
  assert.equal((await client.info(root))?.accessTimeMs, 1_300_000_000_000);
});

test('AFFINITY: block locations covering the requested range', async () => {
  const f = `${root}/aff`;
  await client.writeFile(f, Buffer.alloc(200_000, 1));
  const locs = await client.affinity(f, 0, 200_000);
  assert.ok(locs.length >= 1);
  assert.equal(locs[0].start, 0);
  assert.equal(locs.reduce((n, l) => n + l.length, 0), 200_000);
  assert.ok(locs[0].hosts.length >= 1);
  assert.ok(locs[0].nodeIds === null || locs[0].nodeIds.length >= 1);
});

test('CLOSE twice on a reader is harmless; a closed reader refuses to read', async () => {
  const f = `${root}/close2`;
  await client.writeFile(f, Buffer.from('c'));
  const r = await client.openRead(f);
  await r.close();
  await r.close();
  await assert.rejects(r.read(0, 1));
});

test('a file deleted while it is being written: the node accepts further writes and CLOSE, the file stays gone', async () => {
  // Pinned because it is silent: nothing reports the lost bytes (the FUSE layer must not rely on a write error).
  const f = `${root}/deleted-while-open/f`;
  const w = await client.openCreate(f);
  await w.write(Buffer.alloc(100_000, 1));
  assert.equal(await client.delete(`${root}/deleted-while-open`, { recursive: true }), true);
  await w.write(Buffer.alloc(100_000, 2));
  await w.close();
  assert.equal(await client.exists(f), false);
});
