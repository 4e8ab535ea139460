// The caches view through a real FUSE mount (`ignite-fuse mount --caches-only DIR`, and `--caches DIR` beside an
// IGFS mount from one daemon), read by shell tools and by unmodified TensorFlow from the project's venv. Data is
// loaded by pyignite (test/support/pyignite/), never by our own code.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cli, fuseAvailable, isAlive, isMounted, repoRoot, run, sh, stopMount, type MountedDaemon } from '../support/mount-helper.js';

const PYTHON = join(repoRoot, '.venv/bin/python');
const DIGITS = join(repoRoot, 'test/support/pyignite/load_digits.py');
const LOADER = join(repoRoot, 'test/support/pyignite/load_view_data.py');

/** `ignite-fuse mount --caches-only DIR --background ...args`; returns the daemon or throws with its output. */
async function startCachesMount(args: readonly string[] = []): Promise<MountedDaemon> {
  const mountpoint = await mkdtemp(join(tmpdir(), 'ifuse-caches-mnt-'));
  const logFile = `${mountpoint}.log`;
  const r = await cli(['mount', '--caches-only', mountpoint, '--background', '--log-file', logFile, ...args]);
  const m = /^ready: caches mounted at (.+) \(pid (\d+)\)$/m.exec(r.stdout);
  if (r.code !== 0 || m === null) {
    await rmdir(mountpoint).catch(() => undefined);
    throw new Error(`mount failed (exit ${r.code}): ${r.stdout}${r.stderr}`);
  }
  return { mountpoint, pid: Number(m[2]), logFile, readyLine: m[0] };
}

async function py<T>(code: string, args: readonly string[], killAfterMs = 15 * 60_000): Promise<T> {
  const r = await run(PYTHON, ['-c', code, ...args], { killAfterMs, env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } });
  if (r.code !== 0) throw new Error(`python failed (${r.code ?? r.signal}):\n${r.stderr.slice(-4000)}\nstdout: ${r.stdout}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as T;
}

// Reads the digits partitions with the specs schema.json gives, checks every loaded value against scikit-learn's
// bundled data, shards the files one-partition-per-worker style, and trains a small classifier from the files.
const TF_DIGITS = String.raw`
import glob, json, sys
import numpy as np
import tensorflow as tf
from sklearn.datasets import load_digits

root = sys.argv[1]
schema = json.load(open(root + "/schema.json"))
specs = {f["name"]: eval(f["spec"], {"tf": tf}) for f in schema["features"] if f["name"] in ("key", "val/label", "val/pixels")}
files = sorted(glob.glob(root + "/partitions/*.tfrecord"))
parse = lambda b: tf.io.parse_example(b, specs)
keys, labels, pixels = [], [], []
for b in tf.data.TFRecordDataset(files).batch(512).map(parse):
    keys.append(b["key"].numpy()); labels.append(b["val/label"].numpy()); pixels.append(b["val/pixels"].numpy())
keys, labels, pixels = np.concatenate(keys), np.concatenate(labels), np.concatenate(pixels)
d = load_digits()
order = np.argsort(keys)
n = len(d.target)
values_ok = (keys[order].tolist() == list(range(n)) and np.array_equal(labels[order], d.target)
             and np.array_equal(pixels[order], d.data.astype(np.float32)))

# One partition file per worker: worker i of W takes files[i::W].
W = 3
shard_keys = [sorted(k for b in tf.data.TFRecordDataset(files[i::W]).batch(512).map(parse) for k in b["key"].numpy().tolist()) for i in range(W)]
all_shard = sorted(k for s in shard_keys for k in s)
shards_ok = all_shard == list(range(n)) and all(len(s) > 0 for s in shard_keys)

# A row file is the value's JSON; tf.io.read_file reads it as a file like any other.
row = json.loads(tf.io.read_file(root + "/rows/5").numpy())
row_ok = row["label"] == int(d.target[5]) and row["pixels"] == [float(x) for x in d.data[5]]

def example(b):
    f = parse(b)
    return f["val/pixels"] / 16.0, f["val/label"], f["key"]
ds = tf.data.TFRecordDataset(files).batch(64).map(example).unbatch()
train = ds.filter(lambda x, y, k: k % 5 != 0).map(lambda x, y, k: (x, y)).shuffle(2048, seed=1).batch(32)
test = ds.filter(lambda x, y, k: k % 5 == 0).map(lambda x, y, k: (x, y)).batch(256)
tf.keras.utils.set_random_seed(1)
model = tf.keras.Sequential([tf.keras.Input((64,)), tf.keras.layers.Dense(32, activation="relu"), tf.keras.layers.Dense(10)])
model.compile(optimizer="adam", loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
model.fit(train, epochs=8, verbose=0)
loss, acc = model.evaluate(test, verbose=0)
print(json.dumps({"rows": int(len(keys)), "values_ok": bool(values_ok), "shards_ok": bool(shards_ok),
                  "shard_sizes": [len(s) for s in shard_keys], "row_ok": bool(row_ok), "accuracy": float(acc)}))
`;

// parse_example over the partitions of the objects cache, with every spec schema.json offers.
const TF_OBJECTS = String.raw`
import glob, json, sys
import tensorflow as tf
root = sys.argv[1]
schema = json.load(open(root + "/schema.json"))
specs = {f["name"]: eval(f["spec"], {"tf": tf}) for f in schema["features"] if f["spec"] is not None}
files = sorted(glob.glob(root + "/partitions/*.tfrecord"))
def plain(v):
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    if isinstance(v, list):
        return [plain(x) for x in v]
    return v
out = {}
for b in tf.data.TFRecordDataset(files).batch(100).map(lambda b: tf.io.parse_example(b, specs)):
    keys = b["key"].numpy().tolist()
    for name, t in b.items():
        dense = tf.sparse.to_dense(t) if isinstance(t, tf.sparse.SparseTensor) else t
        vals = dense.numpy().tolist()
        for k, v in zip(keys, vals):
            out.setdefault(str(k), {})[name] = plain(v)
print(json.dumps(out))
`;

describe('caches view through FUSE', { skip: !fuseAvailable() && 'no /dev/fuse', timeout: 30 * 60_000 }, () => {
  const digits = `cv-digits-${Date.now().toString(36)}-${randomBytes(2).toString('hex')}`;
  const prefix = `cve_${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const created: string[] = [];
  let manifest: Record<string, Record<string, { kind: string; value?: unknown; text?: string; b64?: string }>>;
  let m: MountedDaemon | undefined;

  before(async () => {
    await run(join(repoRoot, 'scripts/ignite'), ['start'], { killAfterMs: 300_000 });
    const r = await run(PYTHON, [DIGITS, '--cache', digits]);
    assert.equal(r.code, 0, r.stderr);
    created.push(digits);
    const l = await run(PYTHON, [LOADER, 'load', prefix]);
    assert.equal(l.code, 0, l.stderr);
    manifest = JSON.parse(l.stdout) as typeof manifest;
    created.push(...Object.keys(manifest));
    m = await startCachesMount(['--view-ttl', '5m']);
  });

  after(async () => {
    if (m !== undefined) await stopMount(m);
    if (created.length > 0) await run(PYTHON, [LOADER, 'destroy', ...created]);
  });

  it('unmodified TensorFlow reads the digits partitions with schema.json specs and trains a classifier', async () => {
    const root = join(m!.mountpoint, digits);
    const r = await py<{ rows: number; values_ok: boolean; shards_ok: boolean; row_ok: boolean; accuracy: number }>(TF_DIGITS, [root]);
    assert.equal(r.rows, 1797);
    assert.ok(r.values_ok, 'keys, labels and pixels equal what was loaded');
    assert.ok(r.shards_ok, 'worker shards of partition files are disjoint and cover every row');
    assert.ok(r.row_ok, 'tf.io.read_file of a row file');
    assert.ok(r.accuracy > 0.5, `accuracy ${r.accuracy} better than chance`);
  });

  it('TensorFlow parse_example gets the loaded object fields with the specs schema.json gives', async () => {
    const cache = `${prefix}-objects`;
    const got = await py<Record<string, Record<string, unknown>>>(TF_OBJECTS, [join(m!.mountpoint, cache)]);
    const rows = manifest[cache]!;
    assert.equal(Object.keys(got).length, Object.keys(rows).length);
    for (const [key, exp] of Object.entries(rows)) {
      const v = exp.value as Record<string, unknown>;
      const f = got[key]!;
      // Fields that only some rows have are VarLenFeatures (densified per batch): their one value comes first.
      const one = (name: string): unknown => (Array.isArray(f[name]) ? (f[name] as unknown[])[0] : f[name]);
      assert.equal(f.key, Number(key));
      if ('name' in v) {
        assert.equal(one('val/name'), v.name);
        assert.equal(one('val/age'), v.age);
        assert.equal(one('val/id'), v.id, 'longs exact');
        assert.equal(one('val/token'), v.token);
        assert.equal(one('val/address/city'), (v.address as { city: string }).city);
        assert.deepEqual(f['val/scores'], v.scores);
      } else {
        assert.equal(one('val/x'), v.x);
        assert.equal(one('val/y'), v.y);
      }
    }
  });

  it('shell tools read row files; every mutation is refused as a read-only file system', async () => {
    const root = join(m!.mountpoint, `${prefix}-strings`);
    const plain = await readFile(join(root, 'rows/plain'), 'utf8');
    assert.equal(plain, manifest[`${prefix}-strings`]!.plain!.text);
    assert.ok((await readdir(m!.mountpoint)).includes(digits));
    for (const cmd of [
      'touch "$1/rows/new"', 'echo x > "$1/rows/plain"', 'echo x >> "$1/rows/plain"', 'rm "$1/rows/plain"',
      'mkdir "$1/rows/d"', 'mv "$1/rows/plain" "$1/rows/p2"', 'chmod 600 "$1/rows/plain"', 'truncate -s 0 "$1/rows/plain"',
      'rmdir "$1/rows"',
    ]) {
      const r = await sh(cmd, [root]);
      assert.notEqual(r.code, 0, cmd);
      assert.match(r.stderr, /Read-only file system/, `${cmd}: ${r.stderr}`);
    }
    assert.equal(await readFile(join(root, 'rows/plain'), 'utf8'), plain, 'unchanged');
    const eio = await sh('cat "$1/rows/2"', [join(m!.mountpoint, `${prefix}-broken`)]);
    assert.match(eio.stderr, /Input\/output error/);
    assert.match(await readFile(m!.logFile, 'utf8'), /type code 99/);
  });

  it('--caches DIR beside the IGFS mount: one daemon serves both', async () => {
    const igfs = await mkdtemp(join(tmpdir(), 'ifuse-igfs-mnt-'));
    const caches = await mkdtemp(join(tmpdir(), 'ifuse-caches2-mnt-'));
    const r = await cli(['mount', igfs, '--caches', caches, '--background', '--log-file', `${caches}.log`]);
    const pids = [...r.stdout.matchAll(/^ready: (igfs|caches) mounted at .+ \(pid (\d+)\)$/gm)];
    try {
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.deepEqual(pids.map((p) => p[1]).sort(), ['caches', 'igfs']);
      assert.equal(pids[0]![2], pids[1]![2], 'one daemon');
      assert.ok(await isMounted(igfs) && await isMounted(caches));
      assert.ok((await readdir(caches)).includes(digits));
      const row = JSON.parse(await readFile(join(caches, digits, 'rows/0'), 'utf8')) as { label: number };
      assert.equal(row.label, 0);
      await readdir(igfs);
    } finally {
      const pid = Number(pids[0]?.[2] ?? 0);
      await cli(['unmount', caches]);
      if (await isMounted(igfs)) await cli(['unmount', igfs]);
      for (const dir of [igfs, caches]) {
        if (await isMounted(dir)) await cli(['unmount', dir, '--force']);
      }
      if (pid > 0 && isAlive(pid)) process.kill(pid, 'SIGKILL');
      await rmdir(igfs).catch(() => undefined);
      await rmdir(caches).catch(() => undefined);
    }
  });
});
