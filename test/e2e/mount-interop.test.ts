// Interop of the IGFS mount with Ignite's own Java IGFS API (scripts/ignite-java: a client node using
// IgniteFileSystem, no code of ours): bytes written through the mount read identically in Java and the reverse, and
// owner/group/mode stored by chmod/chown are the Hadoop-convention properties Java sees (and the reverse).
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  cli, fuseAvailable, igniteJavaScript, rmLocal, run, sh, shOk, startMount, stopMount, uniqueName, type MountedDaemon,
} from '../support/mount-helper.js';

interface JavaProps {
  path: string;
  isFile: boolean;
  length: number;
  modificationTime: number;
  properties: Record<string, string>;
}

async function java(...args: string[]): Promise<string> {
  const r = await run(igniteJavaScript, args, { killAfterMs: 180_000 });
  if (r.code !== 0) throw new Error(`scripts/ignite-java ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

async function nameOf(db: 'passwd' | 'group', id: number): Promise<string> {
  const r = await shOk('getent "$1" "$2" | cut -d: -f1', [db, String(id)]);
  return r.stdout.trim();
}

describe('IGFS mount interop with the Java IGFS API', { skip: !fuseAvailable() && 'no /dev/fuse' }, () => {
  let m: MountedDaemon;
  let local: string;
  const name = uniqueName('e2e-interop');

  before(async () => {
    m = await startMount();
    await shOk('mkdir "$1"', [join(m.mountpoint, name)]);
    local = await mkdtemp(join(tmpdir(), 'ifuse-e2e-interop-'));
  });

  after(async () => {
    if (m !== undefined) {
      await sh('rm -rf "$1"', [join(m.mountpoint, name)]);
      await stopMount(m);
    }
    await cli(['igfs', 'rm', '-r', `/${name}`]);
    if (local !== undefined) await rmLocal(local);
  });

  test('written through the mount (with chmod/chown), read by Java: same bytes and Hadoop properties', { timeout: 240_000 }, async () => {
    const data = randomBytes(3 * 1024 * 1024 + 4321);
    const src = join(local, 'src.bin');
    await writeFile(src, data);
    const onMount = join(m.mountpoint, name, 'from-mount.bin');
    // cp streams in st_blksize pieces; the file is closed before chmod/chown.
    await shOk('cp "$1" "$2" && chmod 640 "$2" && chown 1:2 "$2"', [src, onMount]);
    const back = join(local, 'read-by-java.bin');
    await java('igfs-read', `/${name}/from-mount.bin`, back);
    assert.equal(sha(await readFile(back)), sha(data));
    const props = JSON.parse(await java('igfs-props', `/${name}/from-mount.bin`)) as JavaProps;
    assert.equal(props.isFile, true);
    assert.equal(props.length, data.length);
    assert.equal(props.properties.permission, '0640');
    assert.equal(props.properties.usrName, await nameOf('passwd', 1));
    assert.equal(props.properties.grpName, await nameOf('group', 2));
  });

  test('written by Java, read through the mount; properties set by Java show in stat', { timeout: 240_000 }, async () => {
    const data = randomBytes(2 * 1024 * 1024 + 77);
    const src = join(local, 'java-src.bin');
    await writeFile(src, data);
    await java('igfs-write', `/${name}/from-java.bin`, src);
    const onMount = join(m.mountpoint, name, 'from-java.bin');
    const cat = await sh('cat "$1"', [onMount]);
    assert.equal(cat.code, 0, cat.stderr);
    assert.equal(sha(cat.stdoutBytes), sha(data));

    const user = await nameOf('passwd', 1);
    const group = await nameOf('group', 2);
    await java('igfs-set-props', `/${name}/from-java.bin`, `usrName=${user}`, `grpName=${group}`, 'permission=0604');
    // The mount caches attributes for --attr-ttl (1 s); a remount-free check waits that out, never asserting time.
    const expected = `604 1 2 ${data.length}`;
    let seen = '';
    for (let i = 0; i < 50 && seen !== expected; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 200));
      seen = (await shOk('stat -c "%a %u %g %s" "$1"', [onMount])).stdout.trim();
    }
    assert.equal(seen, expected);
    // A numeric usrName (how chown stores ids without a passwd entry) maps to that id.
    await java('igfs-set-props', `/${name}/from-java.bin`, 'usrName=4242', 'grpName=4343');
    seen = '';
    for (let i = 0; i < 50 && seen !== '4242 4343'; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 200));
      seen = (await shOk('stat -c "%u %g" "$1"', [onMount])).stdout.trim();
    }
    assert.equal(seen, '4242 4343');
  });
});
