// Unmodified TensorFlow and TensorBoard (from PyPI, in the project's venv) against a real IGFS mount.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(root, 'bin/ignite-fuse.js');
const python = join(root, '.venv/bin/python');
const tensorboard = join(root, '.venv/bin/tensorboard');
const trainPy = join(root, 'scripts/sample/train.py');
const restorePy = join(root, 'scripts/sample/restore.py');
const gfilePy = join(root, 'test/support/python/gfile_ops.py');

let mountpoint = '';
let base = '';

async function py(args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(python, args, { maxBuffer: 16 << 20, env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } });
  const last = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as Record<string, unknown>;
}

before(async () => {
  assert.ok(existsSync(python), 'the venv is missing: run scripts/setup');
  await run('bash', [join(root, 'scripts/ignite'), 'start'], { cwd: root });
  mountpoint = await mkdtemp(join(tmpdir(), 'tf-mnt-'));
  await run(process.execPath, [bin, 'mount', mountpoint, '--background', '--log-file', `${mountpoint}.log`]);
  base = join(mountpoint, `tf-e2e-${process.pid}-${Date.now()}`);
});

after(async () => {
  if (base !== '') await rm(base, { recursive: true, force: true }).catch(() => undefined);
  await run(process.execPath, [bin, 'unmount', mountpoint]).catch(() => run(process.execPath, [bin, 'unmount', mountpoint, '--force']));
  await rm(mountpoint, { recursive: true, force: true });
});

test('Keras ModelCheckpoint, TensorBoard callback and CheckpointManager write to the mount; a fresh process restores identical weights', async () => {
  const out = join(base, 'train');
  const trained = await py([trainPy, out, '--epochs', '3']);
  const restored = await py([restorePy, out]);
  assert.equal(restored.weights_sha256, trained.weights_sha256);
  assert.equal(restored.keras_sha256, trained.weights_sha256);
  assert.equal(restored.latest, join(out, 'ckpt', 'ckpt-3'));
  // max_to_keep=2: the oldest checkpoint was deleted, `checkpoint` was renamed over twice, no temp files remain.
  const ckptFiles = (await readdir(join(out, 'ckpt'))).sort();
  assert.deepEqual(ckptFiles, [
    'checkpoint', 'ckpt-2.data-00000-of-00001', 'ckpt-2.index', 'ckpt-3.data-00000-of-00001', 'ckpt-3.index',
  ]);
  assert.deepEqual((await readdir(join(out, 'keras'))).sort(), ['model-01.keras', 'model-02.keras', 'model-03.keras']);
});

test('tf.io.gfile behaves on the mount as on a local directory', async () => {
  const local = await mkdtemp(join(tmpdir(), 'tf-local-'));
  try {
    const expected = await py([gfilePy, local]);
    const onMount = await py([gfilePy, join(base, 'gfile')]);
    assert.deepEqual(onMount, expected);
  } finally {
    await rm(local, { recursive: true, force: true });
  }
});

async function scalars(port: number, runName: string, tag: string): Promise<unknown[] | null> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/data/plugin/scalars/scalars?run=${runName}&tag=${tag}`);
    if (!res.ok) return null;
    return (await res.json()) as unknown[];
  } catch {
    return null;
  }
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

test('TensorBoard (fast loader, as shipped) shows each epoch while training is still writing the event file', async () => {
  const out = join(base, 'live');
  const epochs = 4;
  const port = 16000 + (process.pid % 1000);
  const local = await mkdtemp(join(tmpdir(), 'tf-pace-'));
  const paceFile = join(local, 'go');
  // The trainer stops after each epoch until the test lets it go on, so every check below happens while its
  // event files are open for writing on the mount.
  const trainer = spawn(python, [trainPy, out, '--epochs', String(epochs), '--pace-file', paceFile], {
    stdio: 'ignore', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
  });
  const board = spawn(tensorboard, ['--logdir', join(out, 'logs'), '--host', '127.0.0.1', '--port', String(port),
    '--reload_interval', '1'], { stdio: 'ignore' });
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      let shown = 0;
      // Bounded wait (about 3 minutes), never a hang; the assertion is on what is shown, not on time.
      for (let i = 0; i < 360 && shown < epoch && !exited(trainer); i++) {
        shown = (await scalars(port, 'train', 'epoch_loss'))?.length ?? 0;
        if (shown < epoch) await new Promise((r) => setTimeout(r, 500));
      }
      assert.ok(!exited(trainer), `the trainer ended early (exit ${trainer.exitCode})`);
      assert.equal(shown, epoch, `TensorBoard showed ${shown} epochs while the trainer waited after epoch ${epoch}`);
      await writeFile(paceFile, String(epoch));
    }
    const code = await new Promise<number | null>((r) => (exited(trainer) ? r(trainer.exitCode) : trainer.on('exit', r)));
    assert.equal(code, 0, 'training failed');
  } finally {
    if (!exited(trainer)) trainer.kill('SIGKILL');
    board.kill('SIGTERM');
    await rm(local, { recursive: true, force: true });
  }
});
