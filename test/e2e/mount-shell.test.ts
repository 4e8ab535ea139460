// The IGFS mount driven by ordinary shell tools (coreutils, tar, diff) against the real default Ignite 2.8.1 node:
// what an operator does to a local directory must work, with the same results, on the mount.
// One daemon on a temp mountpoint; all work happens in a unique directory under the IGFS root, removed at the end.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rmdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  cli, fuseAvailable, rmLocal, sh, shOk, startMount, stopMount, uniqueName, type MountedDaemon,
} from '../support/mount-helper.js';

describe('IGFS mount: shell tools', { skip: !fuseAvailable() && 'no /dev/fuse' }, () => {
  let m: MountedDaemon;
  let work: string; // the test's directory on the mount
  let local: string; // a local scratch directory
  const name = uniqueName('e2e-shell');

  before(async () => {
    m = await startMount();
    work = join(m.mountpoint, name);
    local = await mkdtemp(join(tmpdir(), 'ifuse-e2e-shell-'));
    await shOk('mkdir "$1"', [work]);
  });

  after(async () => {
    try {
      if (m !== undefined) {
        await stopMount(m);
        // One recursive IGFS delete instead of a thousand unlinks through the mount (rm -r is tested above).
        const rm = await cli(['igfs', 'rm', '-r', `/${name}`]);
        assert.equal(rm.code, 0, rm.stderr);
      }
    } finally {
      if (local !== undefined) await rmLocal(local);
    }
  });

  test('mkdir -p, cat, >> appends, rm -r', async () => {
    const d = join(work, 'p/q/r');
    await shOk('mkdir -p "$1" && mkdir -p "$1"', [d]);
    await shOk('printf "one\\n" > "$1/f" && printf "two\\n" >> "$1/f" && printf "three\\n" >> "$1/f"', [d]);
    const cat = await shOk('cat "$1/f"', [d]);
    assert.equal(cat.stdout, 'one\ntwo\nthree\n');
    const size = await shOk('stat -c %s "$1/f"', [d]);
    assert.equal(size.stdout.trim(), '14');
    // mkdir without -p of an existing directory fails like on a local disk.
    const again = await sh('mkdir "$1"', [d]);
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /File exists/);
    await shOk('rm -r "$1"', [join(work, 'p')]);
    const gone = await sh('ls "$1"', [join(work, 'p')]);
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /No such file or directory/);
  });

  test('cp -r of 1,000 small files, then diff -r finds no difference', async () => {
    const src = join(local, 'many');
    for (let d = 0; d < 10; d++) {
      await mkdir(join(src, `d${d}`), { recursive: true });
      for (let f = 0; f < 100; f++) {
        // Sizes from 0 bytes to a few KiB, content unique per file.
        const body = `${d}/${f}:`.repeat((d * 100 + f) % 97) + (f % 7 === 0 ? '' : `\n${d * 1000 + f}\n`);
        await writeFile(join(src, `d${d}`, `f${f}.txt`), body);
      }
    }
    await shOk('cp -r "$1" "$2"', [src, join(work, 'many')], { killAfterMs: 240_000 });
    const diff = await sh('diff -r "$1" "$2"', [src, join(work, 'many')], { killAfterMs: 240_000 });
    assert.equal(diff.code, 0, `diff -r: ${diff.stdout}${diff.stderr}`);
    const count = await shOk('find "$1" -type f | wc -l', [join(work, 'many')]);
    assert.equal(count.stdout.trim(), '1000');
  });

  test('tar x into the mount, tar c --sort=name back out: byte-identical to tar of the original tree', async () => {
    const tree = join(local, 'tree');
    await shOk(`
      mkdir -p "$1/a/b" "$1/c"
      printf 'hello\\n' > "$1/a/hello.txt"
      head -c 300000 /dev/urandom > "$1/a/b/random.bin"
      : > "$1/c/empty"
      printf 'x%.0s' $(seq 1 5000) > "$1/c/xs"
      chmod 600 "$1/a/hello.txt"; chmod 755 "$1/c/xs"; chmod 700 "$1/a/b"
      chown 1:1 "$1/c/xs"
      touch -m -d '2001-02-03 04:05:06' "$1/a/hello.txt"
      touch -m -d '2010-10-10 10:10:10.5' "$1/a/b/random.bin"
      touch -m -d '1999-12-31 23:59:59' "$1/c/empty" "$1/c/xs"
      touch -m -d '2005-05-05 05:05:05' "$1/a/b" "$1/c" "$1/a" "$1"
    `, [tree]);
    await shOk('tar c --sort=name -C "$1" -f "$2" .', [tree, join(local, 'orig.tar')]);
    const into = join(work, 'untar');
    await shOk('mkdir "$1" && tar x -C "$1" -f "$2"', [into, join(local, 'orig.tar')]);
    // tar restores the top directory's mtime too; compare every header and byte.
    await shOk('tar c --sort=name -C "$1" -f "$2" .', [into, join(local, 'back.tar')]);
    const cmp = await sh('cmp "$1" "$2"', [join(local, 'orig.tar'), join(local, 'back.tar')]);
    if (cmp.code !== 0) {
      const a = await sh('tar tvf "$1" --full-time', [join(local, 'orig.tar')]);
      const b = await sh('tar tvf "$1" --full-time', [join(local, 'back.tar')]);
      assert.fail(`archives differ: ${cmp.stdout}\noriginal:\n${a.stdout}\nfrom the mount:\n${b.stdout}`);
    }
  });

  test('mv over an existing file replaces it; mv of a directory; rm -r', async () => {
    const d = join(work, 'mv');
    await shOk(`
      mkdir "$1" && cd "$1"
      printf old > target; printf new > source
      mv source target
      printf 'dir-file' > f; mkdir sub; mv f sub/; mv sub sub2
    `, [d]);
    const r = await shOk('cd "$1" && cat target && echo && ls && ls sub2 && cat sub2/f', [d]);
    assert.equal(r.stdout, 'new\nsub2\ntarget\nf\ndir-file');
    await shOk('rm -r "$1"', [d]);
  });

  test('touch -d, touch -m -d, chmod, chown then stat -c and ls -l', async () => {
    const f = join(work, 'attrs');
    await shOk('printf abc > "$1"', [f]);
    await shOk('touch -d "2020-01-02 03:04:05.25" "$1"', [f]);
    let st = await shOk('stat -c "%y|%x" "$1"', [f]);
    assert.equal(st.stdout.trim(), '2020-01-02 03:04:05.250000000 +0000|2020-01-02 03:04:05.250000000 +0000');
    // Only the modification time: the access time stays.
    await shOk('touch -m -d "2021-06-07 08:09:10" "$1"', [f]);
    st = await shOk('stat -c "%y|%x" "$1"', [f]);
    assert.equal(st.stdout.trim(), '2021-06-07 08:09:10.000000000 +0000|2020-01-02 03:04:05.250000000 +0000');
    await shOk('touch -a -d "2022-01-01 00:00:00" "$1"', [f]);
    st = await shOk('stat -c "%y|%x" "$1"', [f]);
    assert.equal(st.stdout.trim(), '2021-06-07 08:09:10.000000000 +0000|2022-01-01 00:00:00.000000000 +0000');

    await shOk('chmod 640 "$1" && chown 1:2 "$1"', [f]);
    st = await shOk('stat -c "%a %u %g %s %F" "$1"', [f]);
    assert.equal(st.stdout.trim(), '640 1 2 3 regular file');
    const names = await shOk('stat -c "%U %G" "$1" && getent passwd 1 | cut -d: -f1 && getent group 2 | cut -d: -f1', [f]);
    const [shown, user, group] = names.stdout.trim().split('\n');
    assert.equal(shown, `${user} ${group}`);
    const ls = await shOk('ls -l "$1"', [f]);
    assert.match(ls.stdout, new RegExp(`^-rw-r----- 1 ${user} ${group} 3 Jun  7  2021 `));
    // chown -1 keeps the group, chgrp keeps the owner.
    await shOk('chown 0 "$1" && chgrp 0 "$1"', [f]);
    st = await shOk('stat -c "%u %g" "$1"', [f]);
    assert.equal(st.stdout.trim(), '0 0');
    const dirMode = await shOk('mkdir "$1.d" && chmod 2750 "$1.d" && stat -c "%a %F" "$1.d" && ls -ld "$1.d"', [f]);
    assert.match(dirMode.stdout, /^2750 directory\ndrwxr-s--- /);
    await shOk('rmdir "$1.d"', [f]);
  });

  test('cp -p keeps mode and times', async () => {
    const src = join(local, 'preserved');
    await shOk('printf keep > "$1" && chmod 604 "$1" && touch -m -d "2003-04-05 06:07:08" "$1" && touch -a -d "2004-01-01 00:00:00" "$1"', [src]);
    const dst = join(work, 'preserved');
    // Before the copy: reading the source moves its local access time (relatime), cp -p keeps the old one.
    const a = await shOk('stat -c "%a %Y %X %s" "$1"', [src]);
    await shOk('cp -p "$1" "$2"', [src, dst]);
    const b = await shOk('stat -c "%a %Y %X %s" "$1"', [dst]);
    assert.equal(b.stdout, a.stdout);
  });

  test('du and df', async () => {
    const d = join(work, 'du');
    await shOk('mkdir "$1" && head -c 1048576 /dev/zero > "$1/one" && head -c 10000 /dev/zero > "$1/two"', [d]);
    const du = await shOk('du -sb "$1"', [d]);
    assert.equal(du.stdout.split('\t')[0], String(1048576 + 10000));
    const duK = await shOk('du -k "$1/one"', [d]);
    assert.equal(duK.stdout.split('\t')[0], '1024');
    // df reports IGFS STATUS: the total is the node's IGFS space, as `ignite-fuse igfs df` reports it.
    const df = await shOk('df -B1 --output=size,used,avail "$1" | tail -1', [d]);
    const [size, used, avail] = df.stdout.trim().split(/\s+/).map(Number);
    const igfsDf = await cli(['igfs', 'df']);
    assert.equal(igfsDf.code, 0, igfsDf.stderr);
    const [, total] = igfsDf.stdout.trim().split('\n')[1].trim().split(/\s+/);
    assert.equal(size, Number(total));
    assert.ok(used > 0 && used <= size, `used ${used} of ${size}`);
    assert.equal(used + avail, size);
  });
});

describe('IGFS mount: owner, group, mode and times survive a remount', { skip: !fuseAvailable() && 'no /dev/fuse' }, () => {
  let m: MountedDaemon | undefined;
  let mountpoint: string | undefined;
  const name = uniqueName('e2e-remount');

  after(async () => {
    if (m !== undefined) {
      await sh('rm -rf "$1"', [join(m.mountpoint, name)]);
      await stopMount(m);
    }
    // The mountpoint outlives the first daemon; remove it even when the second mount never came up.
    if (mountpoint !== undefined) await rmdir(mountpoint).catch(() => undefined);
    await cli(['igfs', 'rm', '-r', `/${name}`]);
  });

  test('chmod/chown/utimens, unmount, mount again, stat', async () => {
    m = await startMount();
    mountpoint = m.mountpoint;
    const d = join(m.mountpoint, name);
    const script = 'stat -c "%n %a %u %g %Y %X %s" "$1/f" "$1/sub"';
    await shOk(`
      mkdir "$1" "$1/sub" && printf data > "$1/f"
      chmod 604 "$1/f" && chown 1:2 "$1/f" && chmod 711 "$1/sub" && chown 2:1 "$1/sub"
      touch -m -d '2012-03-04 05:06:07' "$1/f" && touch -a -d '2013-01-01 00:00:00' "$1/f"
      touch -d '2014-01-01 00:00:00' "$1/sub"
    `, [d]);
    const beforeText = (await shOk(script, [d])).stdout.replaceAll(m.mountpoint, 'MNT');
    assert.equal(beforeText, [
      `MNT/${name}/f 604 1 2 ${Date.UTC(2012, 2, 4, 5, 6, 7) / 1000} ${Date.UTC(2013, 0, 1) / 1000} 4`,
      `MNT/${name}/sub 711 2 1 ${Date.UTC(2014, 0, 1) / 1000} ${Date.UTC(2014, 0, 1) / 1000} 0`,
      '',
    ].join('\n'));
    await stopMount(m, { keepMountpoint: true });
    m = undefined;
    m = await startMount({ mountpoint });
    const afterText = (await shOk(script, [d])).stdout.replaceAll(m.mountpoint, 'MNT');
    assert.equal(afterText, beforeText);
    const ls = await shOk('ls -ln "$1"', [d]);
    assert.match(ls.stdout, /^-rw----r-- 1 1 2 4 /m);
    assert.match(ls.stdout, /^drwx--x--x 2 2 1 0 /m);
  });
});
