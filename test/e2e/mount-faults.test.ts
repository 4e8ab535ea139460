// Lifecycle and faults of a real IGFS mount: SIGTERM with a file being written, kill -9 of the daemon, a node that
// cannot be reached at mount time, a stalled or reset connection (through the fault proxy in front of the default
// node), a node restarted while mounted and a node that runs out of memory (both on instances of our own; the
// default instance is never stopped). The rule under test everywhere: an application gets its data or an error,
// never a hang without bound and never silent loss. No assertion is about time; limits only guard against hangs.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { mkdtemp, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FaultProxy } from '../support/fault-proxy.js';
import {
  cli, fuseAvailable, isAlive, isMounted, python, sh, shOk, startInstance, startMount, stopInstance, stopMount,
  steppedPython, uniqueName, waitFor, type IgniteInstance, type MountedDaemon,
} from '../support/mount-helper.js';

const skip = !fuseAvailable() && 'no /dev/fuse';

/** Python: {name: "ok" | errno name} for each probe given as (name, expression over path p). */
function probeScript(probes: Record<string, string>): string {
  const lines = Object.entries(probes).map(([name, expr]) => `probe(${JSON.stringify(name)}, lambda: ${expr})`);
  return [
    'import errno, json, os, sys',
    'p = sys.argv[1]',
    'out = {}',
    'def probe(name, fn):',
    '    try:',
    '        fn(); out[name] = "ok"',
    '    except OSError as e:',
    '        out[name] = errno.errorcode.get(e.errno, str(e.errno))',
    ...lines,
    'print(json.dumps(out))',
  ].join('\n');
}

function readAll(expr: string): string {
  return `open(${expr}, "rb").read()`;
}

/** A Python writer: writes `first` bytes, waits, then writes `second` bytes, fsyncs, closes; reports where it failed. */
const STEPPED_WRITER = String.raw`
import errno, os, sys
path, first, second = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
os.write(fd, b'A' * first)
print('written', flush=True)
sys.stdin.readline()
stage = 'write'
try:
    left = second
    while left > 0:
        n = min(left, 1 << 20)
        os.write(fd, b'B' * n)
        left -= n
    stage = 'fsync'
    os.fsync(fd)
    stage = 'close'
    fdd, fd = fd, None
    os.close(fdd)
    print('result ok', flush=True)
except OSError as e:
    print('result %s %s' % (stage, errno.errorcode.get(e.errno, e.errno)), flush=True)
    if fd is not None:
        try:
            os.close(fd)
            print('close ok', flush=True)
        except OSError as e2:
            print('close %s' % errno.errorcode.get(e2.errno, e2.errno), flush=True)
`;

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('IGFS mount lifecycle', { skip }, () => {
  const name = uniqueName('e2e-life');
  const mounts: MountedDaemon[] = [];

  before(async () => {
    assert.equal((await cli(['igfs', 'mkdir', '-p', `/${name}`])).code, 0);
  });

  after(async () => {
    for (const m of mounts) await stopMount(m);
    await cli(['igfs', 'rm', '-r', `/${name}`]);
  });

  test('SIGTERM (unmount) while a file is being written: the data is committed, the mount is gone', { timeout: 180_000 }, async () => {
    const m = await startMount();
    mounts.push(m);
    const writer = steppedPython(STEPPED_WRITER, [join(m.mountpoint, name, 'sigterm.bin'), '300000', '10']);
    try {
      await writer.waitForLine('written');
      const r = await cli(['unmount', m.mountpoint]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /flushed and exited/);
      assert.equal(isAlive(m.pid), false);
      assert.equal(await isMounted(m.mountpoint), false);
      // What the application wrote before the stop is in IGFS.
      const cat = await cli(['igfs', 'cat', `/${name}/sigterm.bin`]);
      assert.equal(cat.code, 0, cat.stderr);
      assert.equal(cat.stdoutBytes.length, 300000);
      assert.ok(cat.stdoutBytes.every((b) => b === 0x41));
      // The application's next calls fail (the daemon is gone); they do not succeed silently.
      writer.step();
      const result = await writer.waitForLine('result');
      assert.notEqual(result, 'result ok');
      assert.match(result, /^result (write|fsync|close) (ENOTCONN|EIO|ECONNABORTED)$/);
    } finally {
      writer.kill();
    }
  });

  test('kill -9 of the daemon leaves a dead mount (ENOTCONN); unmount --force recovers it; a fresh mount works', { timeout: 180_000 }, async () => {
    const m = await startMount();
    mounts.push(m); // a failure below must still leave no dead mount behind
    await shOk('printf survived > "$1"', [join(m.mountpoint, name, 'kill9.txt')]);
    process.kill(m.pid, 'SIGKILL');
    await waitFor(() => !isAlive(m.pid), 'the daemon to die');
    assert.equal(await isMounted(m.mountpoint), true);
    const dead = await python<Record<string, string>>(probeScript({ stat: 'os.stat(p)', listdir: 'os.listdir(p)' }), [m.mountpoint]);
    assert.deepEqual(dead, { stat: 'ENOTCONN', listdir: 'ENOTCONN' });

    const plain = await cli(['unmount', m.mountpoint]);
    assert.equal(plain.code, 1);
    assert.equal(plain.stderr.trim().split('\n').length, 1, plain.stderr);
    assert.match(plain.stderr, /--force/);
    const forced = await cli(['unmount', m.mountpoint, '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(await isMounted(m.mountpoint), false);

    const again = await startMount({ mountpoint: m.mountpoint });
    mounts.splice(mounts.indexOf(m), 1, again);
    await rm(m.logFile, { force: true }); // the killed daemon's log; stopMount never sees it now
    const cat = await shOk('cat "$1"', [join(again.mountpoint, name, 'kill9.txt')]);
    assert.equal(cat.stdout, 'survived');
  });

  test('node unreachable at mount time: exit 1 with one line, nothing mounted, no daemon left', { timeout: 120_000 }, async () => {
    const port = await closedPort();
    const mountpoint = await mkdtemp(join(tmpdir(), 'ifuse-e2e-unreach-'));
    try {
      for (const mode of [['--background'], []]) {
        const r = await cli(['mount', mountpoint, ...mode, '--igfs', `127.0.0.1:${port}`, '--connect-timeout', '2s']);
        assert.equal(r.code, 1, `${mode.join(' ')}: ${r.stdout}${r.stderr}`);
        assert.equal(r.stdout, '');
        const lines = r.stderr.trim().split('\n');
        assert.equal(lines.length, 1, r.stderr);
        assert.match(lines[0], new RegExp(`^ignite-fuse mount: cannot reach IGFS: .*127\\.0\\.0\\.1:${port}`));
        assert.equal(await isMounted(mountpoint), false);
      }
      // No daemon of ours kept running for that mountpoint.
      const ps = await sh('ps -eo args | grep -F -- "$1" | grep -v grep || true', [mountpoint]);
      assert.equal(ps.stdout.trim(), '');
    } finally {
      await rmdir(mountpoint).catch(() => undefined);
    }
  });
});

describe('IGFS mount through the fault proxy', { skip }, () => {
  const name = uniqueName('e2e-proxy');
  let proxy: FaultProxy;
  let m: MountedDaemon;

  before(async () => {
    assert.equal((await cli(['igfs', 'mkdir', '-p', `/${name}`])).code, 0);
    proxy = await FaultProxy.start({ targetPort: 10500 });
    m = await startMount({ args: ['--igfs', proxy.endpoint, '--request-timeout', '2s', '--connect-timeout', '2s'] });
  });

  after(async () => {
    proxy?.setFault({ kind: 'pass' }, { includeOpen: true });
    if (m !== undefined) await stopMount(m);
    await proxy?.close();
    await cli(['igfs', 'rm', '-r', `/${name}`]);
  });

  test('a stalled node gives EIO to stat and cat (bounded), and the mount works again once it answers', { timeout: 240_000 }, async () => {
    // Written by another client, so nothing about it is cached on the mount.
    assert.equal((await cli(['igfs', 'put', '-', `/${name}/stalled.txt`], { input: 'not cached' })).code, 0);
    proxy.setFault({ kind: 'stall' }, { includeOpen: true });
    const dir = join(m.mountpoint, name);
    const r = await python<Record<string, string>>(probeScript({
      'stat': 'os.stat(os.path.join(p, "never-seen"))',
      'cat': readAll('os.path.join(p, "stalled.txt")'),
    }), [dir], { killAfterMs: 200_000 });
    assert.deepEqual(r, { stat: 'EIO', cat: 'EIO' });
    proxy.setFault({ kind: 'pass' }, { includeOpen: true });
    const cat = await shOk('cat "$1/stalled.txt"', [dir]);
    assert.equal(cat.stdout, 'not cached');
  });

  test('a connection reset in the middle of a write is reported (EIO) at write, fsync or close', { timeout: 240_000 }, async () => {
    const path = join(m.mountpoint, name, 'reset.bin');
    // 3 MiB before the reset: more than the 1 MiB write buffer, so blocks are on the wire.
    const writer = steppedPython(STEPPED_WRITER, [path, String(3 << 20), String(4 << 20)]);
    try {
      await writer.waitForLine('written');
      for (const c of proxy.openConnections) c.reset();
      writer.step();
      const result = await writer.waitForLine('result');
      assert.match(result, /^result (write|fsync|close) EIO$/, writer.output.join(' | '));
      assert.equal(await writer.wait(), 0, writer.stderr);
    } finally {
      writer.kill();
    }
    // The mount itself keeps working on new connections.
    await shOk('printf after-reset > "$1"', [join(m.mountpoint, name, 'after.txt')]);
    const cat = await cli(['igfs', 'cat', `/${name}/after.txt`]);
    assert.equal(cat.stdout, 'after-reset');
  });
});

describe('IGFS mount while its node restarts (instance mnt-fault)', { skip }, () => {
  let inst: IgniteInstance;
  let m: MountedDaemon;

  before(async () => {
    inst = await startInstance('mnt-fault');
    m = await startMount({ args: ['--igfs', inst.igfsEndpoint, '--request-timeout', '5s', '--connect-timeout', '2s'] });
  });

  after(async () => {
    if (m !== undefined) await stopMount(m);
    await stopInstance('mnt-fault');
  });

  test('ops fail cleanly while the node is down and work again after it restarts, without remounting', { timeout: 300_000 }, async () => {
    const dir = join(m.mountpoint, 'restart');
    await shOk('mkdir -p "$1" && printf before > "$1/f"', [dir]);
    await stopInstance('mnt-fault');
    const down = await python<Record<string, string>>(probeScript({
      'stat new': 'os.stat(os.path.join(p, "restart", "new"))',
      'create': 'os.close(os.open(os.path.join(p, "restart", "created"), os.O_WRONLY | os.O_CREAT, 0o644))',
      'mkdir': 'os.mkdir(os.path.join(p, "newdir"))',
    }), [m.mountpoint], { killAfterMs: 200_000 });
    assert.deepEqual(down, { 'stat new': 'EIO', 'create': 'EIO', 'mkdir': 'EIO' });

    await startInstance('mnt-fault');
    // The restarted in-memory node is empty (Ignite's doing); the same mount serves it.
    await waitFor(async () => (await sh('mkdir -p "$1"', [dir])).code === 0, 'the mount to reach the restarted node', 120_000);
    await shOk('printf after > "$1/g"', [dir]);
    const r = await shOk('cat "$1/g" && echo && ls "$1"', [dir]);
    assert.equal(r.stdout, 'after\ng\n');
  });
});

describe('IGFS mount on a node that runs out of memory (instance mnt-small, 32 MiB IGFS region)', { skip }, () => {
  let inst: IgniteInstance;
  let m: MountedDaemon;

  before(async () => {
    inst = await startInstance('mnt-small', { ...process.env, IGNITE_FUSE_NODE_DATA_MB: '32', IGNITE_FUSE_NODE_HEAP_MB: '512' });
    m = await startMount({ args: ['--igfs', inst.igfsEndpoint, '--request-timeout', '10s', '--connect-timeout', '2s'] });
  });

  after(async () => {
    if (m !== undefined) await stopMount(m);
    await stopInstance('mnt-small');
  });

  test('writing until the space is gone fails at write, fsync or close, never silently', { timeout: 300_000 }, async () => {
    const r = await python<{ written: number; stage: string; errno: string; closeErrno?: string }>(String.raw`
import errno, json, os, sys
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
chunk = b'z' * (1 << 18)
written, stage = 0, 'write'
out = {}
try:
    while written < (512 << 20):
        stage = 'write'
        os.write(fd, chunk)
        written += len(chunk)
        if written % (1 << 20) == 0:
            stage = 'fsync'
            os.fsync(fd)
    stage = 'close'
    fdd, fd = fd, None
    os.close(fdd)
    out = {'stage': 'none', 'errno': 'none'}
except OSError as e:
    out = {'stage': stage, 'errno': errno.errorcode.get(e.errno, str(e.errno))}
    if fd is not None:
        try:
            os.close(fd)
            out['closeErrno'] = 'ok'
        except OSError as e2:
            out['closeErrno'] = errno.errorcode.get(e2.errno, str(e2.errno))
out['written'] = written
print(json.dumps(out))
`, [join(m.mountpoint, 'fill.bin')], { killAfterMs: 280_000 });
    // 512 MiB cannot fit in a 32 MiB region: some call must fail. Ignite 2.8.1 does not answer "out of space"
    // here: the region overflows, its failure handler halts the node, and the mount sees the connection close.
    assert.notEqual(r.stage, 'none', `all ${r.written} bytes were accepted`);
    assert.ok(['ENOSPC', 'EIO'].includes(r.errno), JSON.stringify(r));
    // The error stays: close of the failed file reports it too.
    if (r.stage !== 'close') assert.ok(['ENOSPC', 'EIO'].includes(r.closeErrno ?? ''), JSON.stringify(r));
  });
});
