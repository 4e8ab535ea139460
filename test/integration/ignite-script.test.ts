// scripts/ignite and scripts/ignite-java against real Ignite nodes. Every cluster here is a named
// instance: the default instance belongs to the other test files and is never stopped from here.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const igniteScript = join(root, 'scripts/ignite');
const javaTools = join(root, 'scripts/ignite-java');

// Names carry the pid so two checkouts' runs on one machine do not share instances.
const suffix = String(process.pid);
const plainName = `it-plain-${suffix}`;
const otherName = `it-other-${suffix}`;
const sslName = `it-ssl-${suffix}`;
const authName = `it-auth-${suffix}`;
const startedInstances = new Set<string>();

// Starting a JVM on a 2-core machine under load takes a while; these are hang guards, not assertions.
const commandTimeoutMs = 240_000;

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[]): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), commandTimeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function ignite(...args: string[]): Promise<RunResult> {
  const i = args.indexOf('--instance');
  if (args[0] === 'start' && i >= 0) startedInstances.add(args[i + 1]!);
  return run(igniteScript, args);
}

function tool(instance: string, ...args: string[]): Promise<RunResult> {
  return run(javaTools, ['--instance', instance, ...args]);
}

interface NodeLine {
  node: number;
  pid: number;
  igfs: string;
  thin: string;
  log: string;
}

interface Status {
  fields: Record<string, string>;
  nodes: NodeLine[];
}

function parseKeyValues(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of line.trim().split(/\s+/)) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out;
}

function parseStatus(stdout: string): Status {
  const lines = stdout.trim().split('\n');
  const fields = parseKeyValues(lines[0] ?? '');
  const nodes = lines.slice(1).map((l) => {
    const kv = parseKeyValues(l);
    return { node: Number(kv.node), pid: Number(kv.pid), igfs: kv.igfs ?? '', thin: kv.thin ?? '', log: kv.log ?? '' };
  });
  return { fields, nodes };
}

function assertOk(r: RunResult, what: string): void {
  assert.equal(r.code, 0, `${what} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
}

/** Pids of live processes whose command line carries exactly -Dignitefuse.instance=NAME. */
async function instanceProcesses(name: string): Promise<number[]> {
  const marker = `-Dignitefuse.instance=${name}`;
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).split('\0');
      if (args.includes(marker)) pids.push(Number(entry));
    } catch {
      // The process exited while we looked.
    }
  }
  return pids;
}

interface ClusterInfo {
  servers: number;
  clients: number;
  active: boolean;
  version: string;
}

async function clusterInfo(instance: string): Promise<ClusterInfo> {
  const r = await tool(instance, 'cluster-info');
  assertOk(r, `cluster-info ${instance}`);
  return JSON.parse(r.stdout.trim()) as ClusterInfo;
}

after(async () => {
  for (const name of startedInstances) await run(igniteScript, ['stop', '--instance', name]);
});

describe('scripts/ignite', { timeout: 600_000 }, () => {
  test('status of an instance that never ran exits 3', async () => {
    const r = await ignite('status', '--instance', `it-never-${suffix}`);
    assert.equal(r.code, 3, r.stdout + r.stderr);
  });

  test('stop of an instance that is not running exits 0', async () => {
    const r = await ignite('stop', '--instance', `it-never-${suffix}`);
    assertOk(r, 'stop');
  });

  test('start, status, idempotent start, conflicting start', async () => {
    const started = await ignite('start', '--instance', plainName);
    assertOk(started, 'start');

    const status = await ignite('status', '--instance', plainName);
    assertOk(status, 'status');
    const s = parseStatus(status.stdout);
    assert.equal(s.fields.instance, plainName);
    assert.equal(s.fields.version, '2.8.1');
    assert.equal(s.fields.nodes, '1');
    assert.equal(s.nodes.length, 1);
    const node = s.nodes[0]!;
    assert.ok(node.pid > 0);
    assert.match(node.igfs, /^127\.0\.0\.1:\d+$/);
    assert.match(node.thin, /^127\.0\.0\.1:\d+$/);
    // A named instance never takes the default instance's ports.
    assert.notEqual(node.igfs, '127.0.0.1:10500');
    assert.notEqual(node.thin, '127.0.0.1:10800');
    const log = await readFile(node.log, 'utf8');
    assert.match(log, /Topology snapshot \[ver=1, .*servers=1/);

    const again = await ignite('start', '--instance', plainName);
    assertOk(again, 'second start');
    assert.equal(parseStatus(again.stdout).nodes[0]!.pid, node.pid, 'the running node was kept');

    const conflicting = await ignite('start', '--instance', plainName, '--nodes', '2');
    assert.notEqual(conflicting.code, 0);
    assert.match(conflicting.stderr, /different settings/);
    assert.deepEqual(await instanceProcesses(plainName), [node.pid], 'the conflicting start changed nothing');
  });

  test('IGFS of the instance round-trips a file through Ignite\'s Java API', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ignite-script-'));
    try {
      const source = join(dir, 'in.bin');
      const back = join(dir, 'out.bin');
      const bytes = randomBytes(3 * 1024 * 1024 + 17);
      await writeFile(source, bytes);
      const written = await tool(plainName, 'igfs-write', '/it/file.bin', source);
      assertOk(written, 'igfs-write');
      // length is what the server reports for the file after the writer closed it.
      const info = JSON.parse(written.stdout.trim()) as { bytes: number; length: number };
      assert.equal(info.bytes, bytes.length);
      assert.equal(info.length, bytes.length);
      assertOk(await tool(plainName, 'igfs-read', '/it/file.bin', back), 'igfs-read');
      assert.ok(bytes.equals(await readFile(back)), 'bytes read back differ');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a second instance (Ignite 2.17.0, no IGFS) runs beside it without joining', async () => {
    assertOk(await ignite('start', '--instance', otherName, '--version', '2.17.0'), 'start 2.17.0');
    const s = parseStatus((await ignite('status', '--instance', otherName)).stdout);
    assert.equal(s.fields.version, '2.17.0');
    assert.equal(s.nodes[0]!.igfs, 'none');
    const plainPorts = parseStatus((await ignite('status', '--instance', plainName)).stdout);
    assert.notEqual(s.nodes[0]!.thin, plainPorts.nodes[0]!.thin);
    assert.notEqual(s.fields.discovery, plainPorts.fields.discovery);

    const plain = await clusterInfo(plainName);
    const other = await clusterInfo(otherName);
    assert.equal(plain.servers, 1);
    assert.equal(other.servers, 1);
    assert.match(plain.version, /^2\.8\.1/);
    assert.match(other.version, /^2\.17\.0/);
  });

  test('stop leaves no process of the instance and status exits 3', async () => {
    for (const name of [otherName, plainName]) {
      assert.ok((await instanceProcesses(name)).length > 0, `${name} had no process before stop`);
      assertOk(await ignite('stop', '--instance', name), `stop ${name}`);
      assert.deepEqual(await instanceProcesses(name), []);
      assert.equal((await ignite('status', '--instance', name)).code, 3);
    }
  });

  test('--ssl: a client with the issued certificate works; an untrusted or missing certificate is refused', async () => {
    assertOk(await ignite('start', '--instance', sslName, '--ssl'), 'start --ssl');
    const s = parseStatus((await ignite('status', '--instance', sslName)).stdout);
    const sslDir = s.fields['ssl-dir'];
    assert.ok(sslDir, 'status prints ssl-dir');
    const files = await readdir(sslDir);
    for (const f of ['ca.pem', 'client.pem', 'client-key.pem', 'client-key.pass', 'client.p12', 'truststore.p12']) {
      assert.ok(files.includes(f), `${f} in ${sslDir}`);
    }
    assert.match(await readFile(join(sslDir, 'client-key.pem'), 'utf8'), /BEGIN ENCRYPTED PRIVATE KEY/);

    const good = await tool(sslName, 'thin-check', '--ssl-dir', sslDir);
    assertOk(good, 'thin-check with client.p12');
    assert.equal((JSON.parse(good.stdout.trim()) as { ok: boolean }).ok, true);

    const rogue = await tool(sslName, 'thin-check', '--ssl-dir', sslDir, '--keystore', 'rogue-client.p12');
    assert.equal(rogue.code, 1, rogue.stdout + rogue.stderr);
    assert.match(rogue.stderr, /ClientConnectionException/);

    const plaintext = await tool(sslName, 'thin-check');
    assert.equal(plaintext.code, 1, plaintext.stdout + plaintext.stderr);
    assert.match(plaintext.stderr, /ClientConnectionException/);
  });

  test('--auth: ignite/ignite works; a wrong password and no credentials are refused', async () => {
    assertOk(await ignite('start', '--instance', authName, '--auth'), 'start --auth');
    assert.equal(parseStatus((await ignite('status', '--instance', authName)).stdout).fields.auth, 'yes');

    assertOk(await tool(authName, 'thin-check', '--user', 'ignite', '--password', 'ignite'), 'thin-check ignite/ignite');

    const wrong = await tool(authName, 'thin-check', '--user', 'ignite', '--password', 'not-the-password');
    assert.equal(wrong.code, 1, wrong.stdout + wrong.stderr);
    assert.match(wrong.stderr, /ClientAuthenticationException/);

    const anonymous = await tool(authName, 'thin-check');
    assert.equal(anonymous.code, 1, anonymous.stdout + anonymous.stderr);
    assert.match(anonymous.stderr, /ClientAuthenticationException/);
  });

  test('the SSL and auth instances are separate one-node clusters; stop removes them', async () => {
    for (const name of [sslName, authName]) {
      const log = await readFile(parseStatus((await ignite('status', '--instance', name)).stdout).nodes[0]!.log, 'utf8');
      const servers = [...log.matchAll(/Topology snapshot \[ver=\d+, .*?servers=(\d+)/g)].map((m) => Number(m[1]));
      assert.ok(servers.length > 0, `no topology snapshot in the log of ${name}`);
      assert.deepEqual([...new Set(servers)], [1], `${name} saw another server node`);
      assertOk(await ignite('stop', '--instance', name), `stop ${name}`);
      assert.deepEqual(await instanceProcesses(name), []);
    }
});
});
