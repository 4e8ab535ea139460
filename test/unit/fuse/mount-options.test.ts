import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MountOptionsError, toFuseNativeOptions } from '../../../src/fuse/mount-options.js';

test('defaults: big_writes with 128 KiB, hard_remove, auto_cache, libfuse timeouts, 10 min op timeout', () => {
  const o = toFuseNativeOptions({ mountpoint: '/mnt/x' });
  assert.equal(o.fsname, 'ignite-fuse');
  assert.equal(o.bigWrites, true);
  assert.equal(o.maxWrite, 131072);
  assert.equal(o.hardRemove, true);
  assert.equal(o.autoCache, true);
  assert.equal(o.attrTimeout, 1);
  assert.equal(o.entryTimeout, 1);
  assert.equal(o.negativeTimeout, 0);
  assert.equal(o.readOnly, false);
  assert.equal(o.allowOther, false);
  assert.equal(o.defaultPermissions, false);
  assert.equal(o.directIo, false);
  assert.equal(o.timeout, 600_000);
});

test('allowOther also turns on default_permissions', () => {
  const o = toFuseNativeOptions({ mountpoint: '/m', allowOther: true });
  assert.equal(o.allowOther, true);
  assert.equal(o.defaultPermissions, true);
});

test('timeouts in ms become libfuse seconds, fractions kept', () => {
  const o = toFuseNativeOptions({ mountpoint: '/m', attrTimeoutMs: 500, entryTimeoutMs: 0, negativeTimeoutMs: 2500 });
  assert.equal(o.attrTimeout, 0.5);
  assert.equal(o.entryTimeout, 0);
  assert.equal(o.negativeTimeout, 2.5);
});

test('no max_write without big_writes; readOnly, subtype, opTimeout false pass through', () => {
  const o = toFuseNativeOptions({ mountpoint: '/m', bigWrites: false, readOnly: true, subtype: 'igfs', opTimeoutMs: false });
  assert.equal(o.bigWrites, false);
  assert.equal(o.maxWrite, undefined);
  assert.equal(o.readOnly, true);
  assert.equal(o.subtype, 'igfs');
  assert.equal(o.timeout, false);
});

test('rejects what libfuse would misread or the binding would truncate', () => {
  const bad = [
    { fsname: 'a,b' }, { fsname: '' }, { subtype: 'x y' }, { fsname: 'a=b' },
    { maxWriteBytes: 1 << 20 }, { maxWriteBytes: 100 }, { maxWriteBytes: 4096.5 },
    { attrTimeoutMs: -1 }, { negativeTimeoutMs: Number.NaN }, { maxReadaheadBytes: -1 }, { opTimeoutMs: 0 },
    { mountpoint: '/' + 'x'.repeat(1100) },
  ];
  for (const extra of bad) {
    assert.throws(() => toFuseNativeOptions({ mountpoint: '/m', ...extra }), MountOptionsError, JSON.stringify(extra).slice(0, 60));
  }
});
