// Random writes, truncates and cross-mount visibility through real mounts of a real node (issue: TensorFlow-grade
// semantics). Python drives the same seeded operation sequence on a file on the mount and on a local file.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  cli, fuseAvailable, igniteScript, python, rmLocal, run, shOk, startMount, stopMount, uniqueName, type MountedDaemon,
} from '../support/mount-helper.js';

const skip = fuseAvailable() ? false : 'no /dev/fuse';

// One seeded sequence of pwrite / append / truncate / fsync / reopen on two files (mount and local), checking size and
// SHA-256 of both after every step and at the end through a fresh open. Files grow up to `max_size`.
const RANDOM_IO = String.raw`
import hashlib, json, os, random, sys
seed, max_size, steps = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
paths = [os.path.join(sys.argv[1], 'f%d' % seed), os.path.join(sys.argv[2], 'f%d' % seed)]
rng = random.Random(seed)
fds = [os.open(p, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644) for p in paths]
def digest(path):
    h = hashlib.sha256(); n = 0
    with open(path, 'rb') as f:
        while True:
            b = f.read(1 << 20)
            if not b: break
            h.update(b); n += len(b)
    return n, h.hexdigest()
mismatches, ops = [], []
size = 0
for step in range(steps):
    r = rng.random()
    if r < 0.45:
        n = rng.randint(1, 1 << 20); off = rng.randint(0, max(0, min(size, max_size - n)))
        data = rng.randbytes(n); op = ('pwrite', off, n)
        for fd in fds: os.pwrite(fd, data, off)
        size = max(size, off + n)
    elif r < 0.7:
        n = rng.randint(1, 4 << 20)
        if size + n > max_size: n = max(1, max_size - size)
        data = rng.randbytes(n); op = ('append', size, n)
        for fd in fds: os.pwrite(fd, data, size)
        size += n
    elif r < 0.82:
        new = rng.choice([0, rng.randint(0, size), rng.randint(0, max_size)]); op = ('truncate', new)
        for fd in fds: os.ftruncate(fd, new)
        size = new
    elif r < 0.92:
        op = ('fsync',)
        for fd in fds: os.fsync(fd)
    else:
        op = ('reopen',)
        for fd in fds: os.close(fd)
        fds = [os.open(p, os.O_RDWR) for p in paths]
    ops.append(op)
    sizes = [os.fstat(fd).st_size for fd in fds]
    if sizes[0] != sizes[1] or sizes[1] != size:
        mismatches.append({'step': step, 'op': op, 'sizes': sizes, 'expected': size})
    if step % 10 == 9:
        a, b = digest(paths[0]), digest(paths[1])
        if a != b: mismatches.append({'step': step, 'op': op, 'mount': a, 'local': b})
for fd in fds: os.close(fd)
final = [digest(p) for p in paths]
print(json.dumps({'mismatches': mismatches, 'final': final, 'ops': len(ops)}))
`;

describe('IGFS mount: random writes and truncates match a local file', { skip }, () => {
  let m: MountedDaemon;
  let work: string;
  let local: string;
  const name = uniqueName('e2e-random');

  before(async () => {
    m = await startMount();
    work = join(m.mountpoint, name);
    await shOk('mkdir "$1"', [work]);
    local = await mkdtemp(join(tmpdir(), 'ifuse-e2e-random-'));
  });

  after(async () => {
    if (m !== undefined) {
      await run('rm', ['-rf', work]);
      await stopMount(m);
    }
    if (local !== undefined) await rmLocal(local);
  });

  for (const [seed, maxMiB, steps] of [[1, 8, 60], [2, 16, 60], [3, 64, 40]] as const) {
    test(`seed ${seed}: ${steps} operations, files up to ${maxMiB} MiB`, async () => {
      const r = await python<{ mismatches: unknown[]; final: [number, string][]; ops: number }>(
        RANDOM_IO, [work, local, String(seed), String(maxMiB << 20), String(steps)], { killAfterMs: 600_000 });
      assert.equal(r.ops, steps);
      assert.deepEqual(r.mismatches, []);
      assert.deepEqual(r.final[0], r.final[1]);
    });
  }
});

describe('two mounts of one node: what one writes, the other sees after fsync and within --commit-interval', { skip }, () => {
  let a: MountedDaemon;
  let b: MountedDaemon;
  const name = uniqueName('e2e-two-mounts');

  before(async () => {
    await run('bash', [igniteScript, 'start']);
    // A commits open files every second; B caches attributes for 200 ms.
    a = await startMount({ args: ['--commit-interval', '1s'] });
    b = await startMount({ args: ['--attr-ttl', '200ms', '--entry-ttl', '200ms', '--negative-ttl', '200ms', '--dir-ttl', '200ms'] });
    await shOk('mkdir "$1"', [join(a.mountpoint, name)]);
  });

  after(async () => {
    if (a !== undefined) await stopMount(a);
    if (b !== undefined) await stopMount(b);
    await cli(['igfs', 'rm', '-r', `/${name}`]);
  });

  test('fsync makes data visible to the other mount; so does the commit interval for a file kept open', async () => {
    const r = await python<{ after_fsync: string; after_interval: string; after_close: string }>(String.raw`
import json, os, sys, time
pa, pb = sys.argv[1], sys.argv[2]
def read_b(expect, limit_s=60):
    # Polls B (bounded) until it shows 'expect'; returns what B showed last.
    deadline = time.monotonic() + limit_s; seen = None
    while time.monotonic() < deadline:
        try:
            with open(pb, 'rb') as f: seen = f.read().decode()
        except FileNotFoundError:
            seen = None
        if seen == expect: break
        time.sleep(0.1)
    return seen
fd = os.open(pa, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
os.write(fd, b'event 1\n'); os.fsync(fd)
after_fsync = read_b('event 1\n')
os.write(fd, b'event 2\n')   # no fsync: the commit interval publishes it while the file stays open
after_interval = read_b('event 1\nevent 2\n')
os.write(fd, b'event 3\n'); os.close(fd)
after_close = read_b('event 1\nevent 2\nevent 3\n')
print(json.dumps({'after_fsync': after_fsync, 'after_interval': after_interval, 'after_close': after_close}))
`, [join(a.mountpoint, name, 'events'), join(b.mountpoint, name, 'events')], { killAfterMs: 300_000 });
    assert.equal(r.after_fsync, 'event 1\n');
    assert.equal(r.after_interval, 'event 1\nevent 2\n');
    assert.equal(r.after_close, 'event 1\nevent 2\nevent 3\n');
  });
});
