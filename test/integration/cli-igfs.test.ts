// `ignite-fuse igfs <cmd>` end to end: the real CLI binary in a child process against the real default Ignite
// 2.8.1 node (scripts/ignite start; IGFS on 127.0.0.1:10500). Every command's success path and its documented
// failures, with exit codes and the exact one-line messages. State is checked through IgfsClient, independently
// of the CLI's own output. Each run works in its own directory under the root, removed at the end.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { IgfsClient } from '../../src/igfs/client.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(repoRoot, 'bin/ignite-fuse.js');
const igniteScript = join(repoRoot, 'scripts/ignite');
const MiB = 1024 * 1024;

interface RunResult {
  status: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Runs `ignite-fuse igfs ARGS...`, feeding `input` (if any) on stdin. */
function igfs(args: string[], input?: Buffer): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'igfs', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.on('error', () => undefined); // the child may exit before reading all of stdin
    child.stdin.end(input ?? Buffer.alloc(0));
  });
}

async function ok(args: string[], input?: Buffer): Promise<RunResult> {
  const r = await igfs(args, input);
  assert.equal(r.status, 0, `igfs ${args.join(' ')} failed: ${r.stderr}`);
  assert.equal(r.stderr, '', `igfs ${args.join(' ')} wrote to stderr`);
  return r;
}

/** Expects exit 1 and exactly `ignite-fuse igfs <cmd>: <subject>: <reason>` as the only stderr line. */
async function fails(args: string[], subject: string, reason: string | RegExp, input?: Buffer): Promise<RunResult> {
  const r = await igfs(args, input);
  assert.equal(r.status, 1, `igfs ${args.join(' ')}: expected exit 1, got ${r.status}; stderr: ${r.stderr}`);
  const lines = r.stderr.split('\n');
  assert.equal(lines.length, 2, `one line expected, got: ${JSON.stringify(r.stderr)}`);
  assert.equal(lines[1], '');
  const prefix = `ignite-fuse igfs ${args[0]}: ${subject}: `;
  assert.ok(lines[0]!.startsWith(prefix), `${JSON.stringify(lines[0])} should start with ${JSON.stringify(prefix)}`);
  const text = lines[0]!.slice(prefix.length);
  if (typeof reason === 'string') assert.equal(text, reason);
  else assert.match(text, reason);
  return r;
}

async function usageError(args: string[]): Promise<RunResult> {
  const r = await igfs(args);
  assert.equal(r.status, 2, `igfs ${args.join(' ')}: expected exit 2, got ${r.status}; stderr: ${r.stderr}`);
  assert.notEqual(r.stderr.trim(), '');
  return r;
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

function umask(): number {
  return process.umask();
}

const execFileAsync = promisify(execFile);
const client = new IgfsClient({ poolSize: 1 });
const base = `/cli-igfs-test-${process.pid}-${randomBytes(4).toString('hex')}`;
let localDir = '';

/** Uses the default instance as it runs (whatever flags it was started with); starts it only when it is down. */
async function ensureDefaultNode(): Promise<void> {
  try {
    await execFileAsync(igniteScript, ['status'], { timeout: 60_000 });
  } catch {
    await execFileAsync(igniteScript, ['start'], { timeout: 300_000 });
  }
}

before(async () => {
  await ensureDefaultNode();
  await client.mkdirs(base);
  localDir = await mkdtemp(join(tmpdir(), 'cli-igfs-test-'));
});

after(async () => {
  await client.delete(base, { recursive: true }).catch(() => undefined);
  client.close();
  if (localDir !== '') await rm(localDir, { recursive: true, force: true });
});

async function remoteFile(path: string, data: Buffer): Promise<void> {
  await client.writeFile(path, data, { overwrite: true });
}

describe('ls', () => {
  test('lists a directory sorted by name, relative paths from the root, a file as itself', async () => {
    const dir = `${base}/ls`;
    await client.mkdirs(dir);
    for (const name of ['c', 'a', 'B', 'b.txt']) await remoteFile(`${dir}/${name}`, Buffer.from(name));
    await client.mkdirs(`${dir}/d`);
    const r = await ok(['ls', dir]);
    assert.equal(r.stdout.toString(), 'B\na\nb.txt\nc\nd\n');
    const relative = await ok(['ls', `${dir.slice(1)}//./`]);
    assert.equal(relative.stdout.toString(), r.stdout.toString());
    const one = await ok(['ls', `${dir}/a`]);
    assert.equal(one.stdout.toString(), `${dir}/a\n`);
    const empty = await ok(['ls', `${dir}/d`]);
    assert.equal(empty.stdout.toString(), '');
  });

  test('-l shows type and mode, owner, group, size, mtime and name of what put and mkdir created', async () => {
    const dir = `${base}/lsl`;
    await ok(['mkdir', dir]);
    await ok(['put', '-', `${dir}/f`], Buffer.alloc(12345, 7));
    await ok(['mkdir', `${dir}/sub`]);
    const lines = (await ok(['ls', '-l', dir])).stdout.toString().trimEnd().split('\n');
    assert.equal(lines.length, 2);
    const who = userInfo().username;
    const fileMode = (0o666 & ~umask()).toString(8);
    const fields = lines[0]!.split(/\s+/);
    assert.equal(fields[0], `-${rwx(0o666 & ~umask())}`, `mode of ${lines[0]} (umask ${fileMode})`);
    assert.equal(fields[1], who);
    assert.equal(fields[3], '12345');
    assert.match(`${fields[4]} ${fields[5]}`, /^\d{4}-\d\d-\d\d \d\d:\d\d$/);
    assert.equal(fields[6], 'f');
    const dirFields = lines[1]!.split(/\s+/);
    assert.equal(dirFields[0], `d${rwx(0o777 & ~umask())}`);
    assert.equal(dirFields[6], 'sub');
  });

  test('a missing path fails with one line', async () => {
    await fails(['ls', `${base}/nope`], `${base}/nope`, 'No such file or directory');
    await fails(['ls', '-l', `${base}/nope`], `${base}/nope`, 'No such file or directory');
  });
});

function rwx(mode: number): string {
  let s = '';
  for (const shift of [6, 3, 0]) {
    const bits = (mode >> shift) & 7;
    s += `${bits & 4 ? 'r' : '-'}${bits & 2 ? 'w' : '-'}${bits & 1 ? 'x' : '-'}`;
  }
  return s;
}

describe('put, get, cat', () => {
  test('a few MiB round-trip through local files with equal SHA-256, stored with the caller\'s owner and mode', async () => {
    const data = randomBytes(5 * MiB + 123);
    const src = join(localDir, 'src.bin');
    const back = join(localDir, 'back.bin');
    await writeFile(src, data);
    await ok(['put', src, `${base}/big.bin`]);
    const info = await client.info(`${base}/big.bin`);
    assert.equal(info?.length, data.length);
    assert.equal(info?.properties?.get('usrName'), userInfo().username);
    assert.ok((info?.properties?.get('grpName') ?? '') !== '');
    assert.equal(info?.properties?.get('permission'), (0o666 & ~umask()).toString(8).padStart(4, '0'));
    assert.equal(sha256(await client.readFile(`${base}/big.bin`)), sha256(data));
    await ok(['get', `${base}/big.bin`, back]);
    assert.equal(sha256(await readFile(back)), sha256(data));
  });

  test('a few MiB round-trip through - pipes (stdin to put, get - and cat to stdout)', async () => {
    const data = randomBytes(3 * MiB + 7);
    await ok(['put', '-', `${base}/pipe.bin`], data);
    assert.equal(sha256(await client.readFile(`${base}/pipe.bin`)), sha256(data));
    assert.equal(sha256((await ok(['get', `${base}/pipe.bin`, '-'])).stdout), sha256(data));
    assert.equal(sha256((await ok(['cat', `${base}/pipe.bin`])).stdout), sha256(data));
  });

  test('empty files', async () => {
    await ok(['put', '-', `${base}/empty`], Buffer.alloc(0));
    assert.equal((await client.info(`${base}/empty`))?.length, 0);
    assert.equal((await ok(['cat', `${base}/empty`])).stdout.length, 0);
  });

  test('put onto an existing file fails without -f and leaves it alone; -f replaces it', async () => {
    await remoteFile(`${base}/exists`, Buffer.from('old'));
    await fails(['put', '-', `${base}/exists`], `${base}/exists`, 'File exists', Buffer.from('new'));
    assert.equal((await client.readFile(`${base}/exists`)).toString(), 'old');
    await ok(['put', '-f', '-', `${base}/exists`], Buffer.from('new!'));
    assert.equal((await client.readFile(`${base}/exists`)).toString(), 'new!');
  });

  test('put into a directory copies under the local name; get into a local directory likewise', async () => {
    await client.mkdirs(`${base}/into`);
    const src = join(localDir, 'named.txt');
    await writeFile(src, 'named');
    await ok(['put', src, `${base}/into`]);
    assert.equal((await client.readFile(`${base}/into/named.txt`)).toString(), 'named');
    const dest = join(localDir, 'getdir');
    await mkdir(dest);
    await ok(['get', `${base}/into/named.txt`, dest]);
    assert.equal(await readFile(join(dest, 'named.txt'), 'utf8'), 'named');
    await fails(['put', '-', `${base}/into`], `${base}/into`, 'Is a directory', Buffer.from('x'));
  });

  test('documented failures', async () => {
    const missingLocal = join(localDir, 'no-such-file');
    await fails(['put', missingLocal, `${base}/x`], missingLocal, 'No such file or directory');
    await fails(['put', '-', `${base}/no/parent`], `${base}/no/parent`, 'No such file or directory', Buffer.from('x'));
    assert.equal(await client.exists(`${base}/no`), false, 'put must not create missing parents');
    await remoteFile(`${base}/plain`, Buffer.from('p'));
    await fails(['put', '-', `${base}/plain/child`], `${base}/plain/child`, 'Not a directory', Buffer.from('x'));
    await fails(['get', `${base}/missing`, join(localDir, 'm')], `${base}/missing`, 'No such file or directory');
    await fails(['cat', `${base}/missing`], `${base}/missing`, 'No such file or directory');
    await client.mkdirs(`${base}/adir`);
    await fails(['cat', `${base}/adir`], `${base}/adir`, 'Is a directory');
    await fails(['get', `${base}/adir`, '-'], `${base}/adir`, 'Is a directory');
    const noDir = join(localDir, 'no-dir', 'f');
    await fails(['get', `${base}/plain`, noDir], noDir, 'No such file or directory');
  });
});

describe('stat', () => {
  test('a file and a directory', async () => {
    await ok(['put', '-', `${base}/st`], Buffer.from('hello'));
    const lines = (await ok(['stat', `${base}/st`])).stdout.toString().split('\n');
    assert.ok(lines.includes(`path: ${base}/st`));
    assert.ok(lines.includes('type: regular file'));
    assert.ok(lines.includes('size: 5'));
    assert.ok(lines.includes(`owner: ${userInfo().username}`));
    const mode = (0o666 & ~umask()).toString(8).padStart(4, '0');
    assert.ok(lines.includes(`mode: ${mode} (-${rwx(0o666 & ~umask())})`), lines.join('\n'));
    const dir = (await ok(['stat', base])).stdout.toString().split('\n');
    assert.ok(dir.includes('type: directory'));
  });

  test('missing', async () => {
    await fails(['stat', `${base}/nothing`], `${base}/nothing`, 'No such file or directory');
  });
});

describe('mkdir', () => {
  test('creates with the caller\'s properties; existing fails without -p', async () => {
    await ok(['mkdir', `${base}/m`]);
    const info = await client.info(`${base}/m`);
    assert.equal(info?.isDirectory, true);
    assert.equal(info?.properties?.get('permission'), (0o777 & ~umask()).toString(8).padStart(4, '0'));
    assert.equal(info?.properties?.get('usrName'), userInfo().username);
    await fails(['mkdir', `${base}/m`], `${base}/m`, 'File exists');
    await ok(['mkdir', '-p', `${base}/m`]);
  });

  test('missing parents only with -p; a file in the way fails', async () => {
    await fails(['mkdir', `${base}/p1/p2`], `${base}/p1/p2`, 'No such file or directory');
    assert.equal(await client.exists(`${base}/p1`), false);
    await ok(['mkdir', '-p', `${base}/p1/p2`]);
    assert.equal((await client.info(`${base}/p1`))?.isDirectory, true);
    assert.equal((await client.info(`${base}/p1/p2`))?.isDirectory, true);
    await remoteFile(`${base}/mfile`, Buffer.from('f'));
    await fails(['mkdir', `${base}/mfile`], `${base}/mfile`, 'File exists');
    await fails(['mkdir', '-p', `${base}/mfile`], `${base}/mfile`, 'File exists');
    await fails(['mkdir', `${base}/mfile/x`], `${base}/mfile/x`, 'Not a directory');
    await fails(['mkdir', '-p', `${base}/mfile/x/y`], `${base}/mfile/x/y`, 'Not a directory');
  });
});

describe('rm', () => {
  test('a file, an empty directory; a non-empty one only with -r', async () => {
    await remoteFile(`${base}/r1`, Buffer.from('x'));
    await ok(['rm', `${base}/r1`]);
    assert.equal(await client.exists(`${base}/r1`), false);
    await client.mkdirs(`${base}/rd`);
    await ok(['rm', `${base}/rd`]);
    assert.equal(await client.exists(`${base}/rd`), false);
    await remoteFile(`${base}/rt/inner/f`, Buffer.from('x'));
    await fails(['rm', `${base}/rt`], `${base}/rt`, 'Directory not empty');
    assert.equal(await client.exists(`${base}/rt/inner/f`), true);
    await ok(['rm', '-r', `${base}/rt`]);
    assert.equal(await client.exists(`${base}/rt`), false);
  });

  test('a missing path fails', async () => {
    await fails(['rm', `${base}/gone`], `${base}/gone`, 'No such file or directory');
    await fails(['rm', '-r', `${base}/gone`], `${base}/gone`, 'No such file or directory');
  });
});

describe('mv', () => {
  test('renames; onto an existing directory moves into it', async () => {
    await remoteFile(`${base}/mv1`, Buffer.from('one'));
    await ok(['mv', `${base}/mv1`, `${base}/mv2`]);
    assert.equal(await client.exists(`${base}/mv1`), false);
    assert.equal((await client.readFile(`${base}/mv2`)).toString(), 'one');
    await client.mkdirs(`${base}/mvdir`);
    await ok(['mv', `${base}/mv2`, `${base}/mvdir`]);
    assert.equal((await client.readFile(`${base}/mvdir/mv2`)).toString(), 'one');
  });

  test('onto an existing file replaces it, as mv does', async () => {
    await remoteFile(`${base}/mvsrc`, Buffer.from('source'));
    await remoteFile(`${base}/mvdst`, Buffer.from('target'));
    await ok(['mv', `${base}/mvsrc`, `${base}/mvdst`]);
    assert.equal(await client.exists(`${base}/mvsrc`), false);
    assert.equal((await client.readFile(`${base}/mvdst`)).toString(), 'source');
    const names = (await client.listPaths(base)).filter((p) => p.includes('mvdst'));
    assert.deepEqual(names, [`${base}/mvdst`], 'no aside copy left behind');
  });

  test('failures', async () => {
    await fails(['mv', `${base}/nosrc`, `${base}/x`], `${base}/nosrc`, 'No such file or directory');
    await remoteFile(`${base}/mvf`, Buffer.from('f'));
    await fails(['mv', `${base}/mvf`, `${base}/nodir/x`], `${base}/nodir/x`, 'No such file or directory');
    await client.mkdirs(`${base}/mvself/child`);
    await fails(['mv', `${base}/mvself`, `${base}/mvself/child`], `${base}/mvself/child`, /cannot move a directory into itself/);
  });
});

describe('touch', () => {
  test('creates an empty file with the caller\'s properties', async () => {
    await ok(['touch', `${base}/t1`]);
    const info = await client.info(`${base}/t1`);
    assert.equal(info?.isFile, true);
    assert.equal(info?.length, 0);
    assert.equal(info?.properties?.get('usrName'), userInfo().username);
  });

  test('an existing file gets its times set to now and keeps its content', async () => {
    await remoteFile(`${base}/t2`, Buffer.from('keep'));
    const old = Date.UTC(2000, 0, 1);
    await client.setTimes(`${base}/t2`, { accessTimeMs: old, modificationTimeMs: old });
    assert.equal((await client.info(`${base}/t2`))?.modificationTimeMs, old);
    const before = Date.now();
    await ok(['touch', `${base}/t2`]);
    const info = await client.info(`${base}/t2`);
    assert.ok((info?.modificationTimeMs ?? 0) >= before - 1000, `mtime ${info?.modificationTimeMs} should be about now`);
    assert.ok((info?.accessTimeMs ?? 0) >= before - 1000);
    assert.equal((await client.readFile(`${base}/t2`)).toString(), 'keep');
  });

  test('a missing parent fails', async () => {
    await fails(['touch', `${base}/tp/x`], `${base}/tp/x`, 'No such file or directory');
    assert.equal(await client.exists(`${base}/tp`), false);
  });
});

describe('df and du', () => {
  test('df prints the cluster\'s IGFS space', async () => {
    const r = await ok(['df']);
    const lines = r.stdout.toString().trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, /^Endpoint\s+Size\s+Used\s+Available\s+Use%$/);
    const [endpoint, total, used, available] = lines[1]!.split(/\s+/);
    const status = await client.status();
    assert.equal(endpoint, '127.0.0.1:10500');
    assert.equal(Number(total), status.spaceTotal);
    assert.ok(Number(used) >= 0 && Number(available) >= 0);
  });

  test('du sums the files under a path', async () => {
    await remoteFile(`${base}/du/a`, Buffer.alloc(1000));
    await remoteFile(`${base}/du/sub/b`, Buffer.alloc(2345));
    assert.equal((await ok(['du', `${base}/du`])).stdout.toString(), `3345\t${base}/du\n`);
    assert.equal((await ok(['du', '-c', `${base}/du`])).stdout.toString(), `3345\t2 files\t2 dirs\t${base}/du\n`);
    await fails(['du', `${base}/dunone`], `${base}/dunone`, 'No such file or directory');
  });
});

describe('connection and usage errors', () => {
  test('connection refused is exit 1 with one line naming the endpoint', async () => {
    const port = await freePort();
    const r = await fails(['ls', '--igfs', `127.0.0.1:${port}`, '/'], `127.0.0.1:${port}`, /Connection refused/);
    assert.equal(r.stdout.length, 0);
  });

  test('a wrong --igfs-name is exit 1', async () => {
    await fails(['ls', '--igfs-name', 'no-such-igfs', '/'], '/', /IGFS name differs/);
  });

  test('usage errors are exit 2 and do nothing', async () => {
    await usageError(['frobnicate']);
    await usageError(['stat']);
    await usageError(['--connect-timeout', '5', 'ls', '/']);
    await usageError(['ls', '/', '--no-such-flag']);
    await remoteFile(`${base}/keepme`, Buffer.from('k'));
    await usageError(['rm', `${base}/keepme`, 'extra']);
    assert.equal(await client.exists(`${base}/keepme`), true, 'a usage error must not run the command');
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
