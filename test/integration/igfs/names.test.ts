// Names in several scripts through the real node: paths are modified UTF-8 on the wire, CESU-style for non-BMP.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newClient, startInstance, uniqueDir } from './ignite-node.js';
import type { IgfsClient } from '../../../src/igfs/client.js';
import { InvalidPathError } from '../../../src/igfs/errors.js';

let client: IgfsClient;
let d: string;

before(async () => {
  await startInstance();
  client = newClient();
  d = uniqueDir('names');
  await client.mkdirs(d);
});

after(async () => {
  await client.delete(d, { recursive: true });
  client.close();
});

const names = ['中文目录', '日本語のファイル', '한국어', 'Привет мир', 'Ελληνικά', 'emoji 😀🎉👩‍💻', 'math 𝔸𝕓', 'mixed é ß ñ ø'];

test('files and directories named in several scripts round-trip through create, list, info, read, rename', async () => {
  for (const name of names) {
    await client.mkdirs(`${d}/${name}`);
    await client.writeFile(`${d}/${name}/${name}.txt`, Buffer.from(name));
  }
  assert.deepEqual((await client.listPaths(d)).sort(), names.map((n) => `${d}/${n}`).sort());
  for (const name of names) {
    const info = await client.info(`${d}/${name}/${name}.txt`);
    assert.equal(info?.path, `${d}/${name}/${name}.txt`);
    assert.equal(String(await client.readFile(`${d}/${name}/${name}.txt`)), name);
    const files = await client.listFiles(`${d}/${name}`);
    assert.deepEqual(files.map((f) => f.path), [`${d}/${name}/${name}.txt`]);
  }
  await client.rename(`${d}/${names[5]}`, `${d}/renamed ${names[3]}`);
  assert.equal(await client.exists(`${d}/renamed ${names[3]}/${names[5]}.txt`), true);
});

test('property keys and values in several scripts', async () => {
  const f = `${d}/props`;
  const props = Object.fromEntries(names.map((n, i) => [n, names[(i + 1) % names.length]]));
  await client.writeFile(f, Buffer.from('p'), { props });
  assert.deepEqual(Object.fromEntries((await client.info(f))?.properties ?? []), props);
});

test('NUL in a path is refused before anything is sent; the connection stays usable', async () => {
  await assert.rejects(client.mkdirs(`${d}/a\0b`), InvalidPathError);
  await assert.rejects(client.openCreate(`${d}/x\0`), InvalidPathError);
  await assert.rejects(client.exists('relative/path'), InvalidPathError);
  await assert.rejects(client.info(`${d}//double`), InvalidPathError);
  // an unpaired surrogate would be stored as "?" by the node (see igfs-path.ts)
  await assert.rejects(client.mkdirs(`${d}/lone \ud800`), (e: unknown) => e instanceof InvalidPathError && e.reason === 'unpaired-surrogate');
  await assert.rejects(client.exists('/' + '長'.repeat(21_845)), InvalidPathError); // 65536 bytes with the "/"
  assert.equal(await client.exists(d), true);
});

test('the longest legal path (65535 encoded bytes) is accepted by the server', async () => {
  const p = '/' + 'x'.repeat(65534);
  assert.equal(await client.exists(p), false);
});
