import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../../bin/ignite-fuse.js', import.meta.url));

test('--version prints the package version', () => {
  const out = execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
  assert.match(out.trim(), /^\d+\.\d+\.\d+$/);
});

test('no command is a usage error with exit code 2', () => {
  const r = spawnSync(process.execPath, [bin], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /command/i);
});

test('a usage error stops before the command runs (nothing is attempted)', () => {
  const r = spawnSync(process.execPath, [bin, 'unmount', '/nonexistent-mountpoint', 'extra'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /Unknown argument: extra/);
  // The handler would have said the mountpoint is not mounted: it must not have run.
  assert.doesNotMatch(r.stderr, /not mounted/);
});
