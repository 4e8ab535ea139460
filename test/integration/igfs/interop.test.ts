// Interoperability with Ignite's own Java IGFS API (scripts/ignite-java, a client node using IgniteFileSystem):
// file bytes and properties, both ways.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT, newClient, run, startInstance, uniqueDir } from './ignite-node.js';
import type { IgfsClient } from '../../../src/igfs/client.js';

const IGNITE_JAVA = path.join(REPO_ROOT, 'scripts', 'ignite-java');

let client: IgfsClient;
let d: string;
let tmp: string;

before(async () => {
  await startInstance();
  client = newClient();
  d = uniqueDir('interop');
  await client.mkdirs(d);
  tmp = await mkdtemp(path.join(tmpdir(), 'igfs-interop-'));
});

after(async () => {
  await client.delete(d, { recursive: true });
  client.close();
  await rm(tmp, { recursive: true, force: true });
});

async function java(...args: string[]): Promise<string> {
  const r = await run(IGNITE_JAVA, args);
  if (r.code !== 0) throw new Error(`scripts/ignite-java ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

interface JavaProps {
  path: string;
  isFile: boolean;
  length: number;
  blockSize: number;
  modificationTime: number;
  accessTime: number;
  properties: Record<string, string>;
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

test('written by us, read by Java: same bytes, length, times and properties', async () => {
  const data = randomBytes(5 * 1024 * 1024 + 321);
  const f = `${d}/from-node/данные 😀.bin`;
  const props = { permission: '0640', usrName: 'алиса', 'ключ 中': 'значение 😀', long: 'é'.repeat(20_000) };
  await client.writeFile(f, data, { props });
  const local = path.join(tmp, 'read-by-java.bin');
  await java('igfs-read', f, local);
  assert.equal(sha(await readFile(local)), sha(data));
  const seen = JSON.parse(await java('igfs-props', f)) as JavaProps;
  const ours = await client.info(f);
  assert.equal(seen.path, f);
  assert.equal(seen.isFile, true);
  assert.equal(seen.length, data.length);
  assert.equal(seen.blockSize, ours?.blockSize);
  assert.equal(seen.modificationTime, ours?.modificationTimeMs);
  assert.equal(seen.accessTime, ours?.accessTimeMs);
  assert.deepEqual(seen.properties, props);
});

test('written by Java, read by us: same bytes; properties Java sets are what we decode', async () => {
  const data = randomBytes(3 * 1024 * 1024 + 7);
  const local = path.join(tmp, 'written-by-java.bin');
  await writeFile(local, data);
  const f = `${d}/from-java/中文 файл.bin`;
  await java('igfs-write', f, local);
  assert.equal(sha(await client.readFile(f)), sha(data));
  const after = JSON.parse(await java('igfs-set-props', f, 'ключ=значение 😀', 'permission=0600', `big=${'ж'.repeat(17_000)}`)) as JavaProps;
  const ours = await client.info(f);
  assert.equal(ours?.length, data.length);
  assert.deepEqual(Object.fromEntries(ours?.properties ?? []), after.properties);
  assert.equal(ours?.properties?.get('ключ'), 'значение 😀');
  assert.equal(ours?.properties?.get('big'), 'ж'.repeat(17_000));
});
