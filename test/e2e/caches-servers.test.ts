// The caches view against other servers: an --auth node and an --ssl node (each mount refused with a one-line
// reason on a wrong password, TLS to a plain port, an untrusted certificate, a wrong key passphrase; nothing
// mounted), and `--caches-only` against a current Ignite 2.x node without IGFS. Instances are this file's own
// (cv-auth, cv-ssl, cv-new), stopped at the end; the default instance is only read.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, rmdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cli, fuseAvailable, igniteScript, isMounted, repoRoot, run, stopMount, type MountedDaemon } from '../support/mount-helper.js';

const PYTHON = join(repoRoot, '.venv/bin/python');
const LOADER = join(repoRoot, 'test/support/pyignite/load_view_data.py');

interface Instance {
  thin: string;
  port: number;
  sslDir?: string;
}

async function startInstance(name: string, flags: string[]): Promise<Instance> {
  const r = await run(igniteScript, ['start', ...flags, '--instance', name], { killAfterMs: 600_000 });
  if (r.code !== 0) throw new Error(`scripts/ignite start ${flags.join(' ')} --instance ${name}: ${r.stdout}${r.stderr}`);
  const s = await run(igniteScript, ['status', '--instance', name]);
  const thin = /thin=(127\.0\.0\.1:(\d+))/.exec(s.stdout);
  if (s.code !== 0 || thin === null) throw new Error(`status --instance ${name}: ${s.stdout}${s.stderr}`);
  return { thin: thin[1]!, port: Number(thin[2]), sslDir: /ssl-dir=(\S+)/.exec(s.stdout)?.[1] };
}

async function stopInstance(name: string): Promise<void> {
  assert.notEqual(name, 'default');
  await run(igniteScript, ['stop', '--instance', name], { killAfterMs: 120_000 });
}

/** Mounts `--caches-only` in the background; the result says whether it did, with what it printed. */
async function tryMount(args: readonly string[]): Promise<{ daemon?: MountedDaemon; code: number | null; out: string; mountpoint: string }> {
  const mountpoint = await mkdtemp(join(tmpdir(), 'ifuse-cv-srv-'));
  const logFile = `${mountpoint}.log`;
  const r = await cli(['mount', '--caches-only', mountpoint, '--background', '--log-file', logFile, ...args], { killAfterMs: 120_000 });
  const m = /^ready: caches mounted at (.+) \(pid (\d+)\)$/m.exec(r.stdout);
  const daemon = m === null ? undefined : { mountpoint, pid: Number(m[2]), logFile, readyLine: m[0] };
  return { daemon, code: r.code, out: r.stdout + r.stderr, mountpoint };
}

/** A refused mount: non-zero exit, one line naming the reason, nothing mounted. */
async function expectRefused(args: readonly string[], reason: RegExp): Promise<void> {
  const r = await tryMount(args);
  try {
    assert.equal(r.daemon, undefined, `mounted although it should not: ${r.out}`);
    assert.notEqual(r.code, 0);
    const lines = r.out.trim().split('\n');
    assert.equal(lines.length, 1, `one line: ${r.out}`);
    assert.match(lines[0]!, reason);
    assert.equal(await isMounted(r.mountpoint), false);
  } finally {
    if (r.daemon !== undefined) await stopMount(r.daemon);
    await rmdir(r.mountpoint).catch(() => undefined);
  }
}

async function loader(args: string[]): Promise<string> {
  const r = await run(PYTHON, [LOADER, ...args], { killAfterMs: 600_000 });
  if (r.code !== 0) throw new Error(`load_view_data.py ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

describe('caches view against --auth, --ssl and current Ignite 2.x nodes', { skip: !fuseAvailable() && 'no /dev/fuse', timeout: 40 * 60_000 }, () => {
  const secrets = join(tmpdir(), `ifuse-cv-secrets-${randomBytes(3).toString('hex')}`);
  const started: string[] = [];

  before(async () => {
    await mkdir(secrets, { mode: 0o700 });
    await writeFile(join(secrets, 'good'), 'ignite\n', { mode: 0o600 });
    await writeFile(join(secrets, 'wrong'), 'not-the-password\n', { mode: 0o600 });
  });

  after(async () => {
    for (const name of started) await stopInstance(name);
    await rm(secrets, { recursive: true, force: true });
  });

  it('--auth: a wrong password is refused in one line; the right one (from a file) mounts and reads', async () => {
    const node = await startInstance('cv-auth', ['--auth']);
    started.push('cv-auth');
    const cache = `cvauth-${randomBytes(3).toString('hex')}`;
    const auth = ['--port', String(node.port), '--username', 'ignite', '--password', 'ignite'];
    await loader([...auth, 'put', cache, '7', 'secret row']);
    try {
      await expectRefused(['--thin', node.thin, '--user', 'ignite', '--password-file', join(secrets, 'wrong')],
        /^ignite-fuse mount: .*(authentication failed|password is incorrect)/);
      await expectRefused(['--thin', node.thin], /^ignite-fuse mount: .*127\.0\.0\.1:\d+/);
      const ok = await tryMount(['--thin', node.thin, '--user', 'ignite', '--password-file', join(secrets, 'good')]);
      assert.ok(ok.daemon, ok.out);
      try {
        assert.ok((await readdir(ok.mountpoint)).includes(cache));
        assert.equal(await readFile(join(ok.mountpoint, cache, 'rows', '7'), 'utf8'), 'secret row');
      } finally {
        await stopMount(ok.daemon);
      }
    } finally {
      await loader([...auth, 'destroy', cache]).catch(() => undefined);
    }
  });

  it('--ssl: TLS to a plain port, an untrusted certificate, a wrong key passphrase, a rogue client certificate are refused', async () => {
    const node = await startInstance('cv-ssl', ['--ssl']);
    started.push('cv-ssl');
    const ssl = node.sslDir!;
    const client = ['--tls-cert', join(ssl, 'client.pem'), '--tls-key', join(ssl, 'client-key.pem')];
    const pass = ['--tls-key-passphrase-file', join(ssl, 'client-key.pass')];
    await expectRefused(['--thin', '127.0.0.1:10800', '--tls', '--tls-ca', join(ssl, 'ca.pem'), ...client, ...pass,
      '--connect-timeout', '3s'], /^ignite-fuse mount: .*TLS/);
    await expectRefused(['--thin', node.thin, '--tls', ...client, ...pass], /^ignite-fuse mount: .*not trusted/);
    await expectRefused(['--thin', node.thin, '--tls', '--tls-ca', join(ssl, 'ca.pem'), ...client,
      '--tls-key-passphrase-file', join(secrets, 'wrong')], /^ignite-fuse mount: .*passphrase/);
    await expectRefused(['--thin', node.thin, '--tls', '--tls-ca', join(ssl, 'ca.pem'),
      '--tls-cert', join(ssl, 'rogue-client.pem'), '--tls-key', join(ssl, 'rogue-client-key.pem'), ...pass],
    /^ignite-fuse mount: .*127\.0\.0\.1:\d+/);
    await expectRefused(['--thin', node.thin], /^ignite-fuse mount: .*TLS/);
    const ok = await tryMount(['--thin', node.thin, '--tls', '--tls-ca', join(ssl, 'ca.pem'), ...client, ...pass]);
    assert.ok(ok.daemon, ok.out);
    try {
      // Only IGFS's internal caches exist on a fresh node: the view lists none of them.
      assert.deepEqual((await readdir(ok.mountpoint)).filter((n) => n.startsWith('igfs-internal-')), []);
      assert.match(await readFile(ok.daemon.logFile, 'utf8'), /connected to the thin-client endpoint/);
    } finally {
      await stopMount(ok.daemon);
    }
  });

  it('--caches-only against a current Ignite 2.x without IGFS: every row file equals what was loaded', async () => {
    const node = await startInstance('cv-new', ['--version', '2.17.0']);
    started.push('cv-new');
    const prefix = `cvn_${randomBytes(3).toString('hex')}`;
    const manifest = JSON.parse(await loader(['--port', String(node.port), 'load', prefix])) as
      Record<string, Record<string, { kind: string; b64?: string; text?: string; value?: unknown }>>;
    const ok = await tryMount(['--thin', node.thin]);
    try {
      assert.ok(ok.daemon, ok.out);
      for (const [cache, rows] of Object.entries(manifest)) {
        const names = await readdir(join(ok.mountpoint, cache, 'rows'));
        assert.equal(names.length, Object.keys(rows).length, cache);
        for (const [name, exp] of Object.entries(rows)) {
          if (name.startsWith('LONG:') || exp.kind === 'eio') continue;
          const got = await readFile(join(ok.mountpoint, cache, 'rows', name));
          if (exp.kind === 'raw') assert.ok(got.equals(Buffer.from(exp.b64!, 'base64')), `${cache}/${name}`);
          else if (exp.kind === 'text') assert.equal(got.toString('utf8'), exp.text, `${cache}/${name}`);
          else assert.deepEqual(JSON.parse(got.toString('utf8')), exp.value, `${cache}/${name}`);
        }
        const schema = JSON.parse(await readFile(join(ok.mountpoint, cache, 'schema.json'), 'utf8')) as { rows: number };
        assert.equal(schema.rows, Object.values(rows).filter((r) => r.kind !== 'eio').length, `${cache}: rows that decode`);
      }
    } finally {
      if (ok.daemon !== undefined) await stopMount(ok.daemon);
      await loader(['--port', String(node.port), 'destroy', ...Object.keys(manifest)]).catch(() => undefined);
    }
  });
});
