import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findMount, parseMountInfo } from '../../../src/fuse/mount-table.js';

const SAMPLE = [
  '22 27 0:21 / /proc rw,relatime - proc proc rw',
  '43 23 0:40 / /sys/fs/fuse/connections rw,relatime - fusectl none rw',
  '51 27 0:45 / /tmp/with\\040space rw,nosuid,nodev,relatime shared:5 master:1 - fuse.igfs ignite-fuse rw,user_id=0,group_id=0',
  '',
].join('\n');

test('parses fields after the optional fields and unescapes octal escapes', () => {
  assert.deepEqual(parseMountInfo(SAMPLE), [
    { device: '0:21', mountpoint: '/proc', fsType: 'proc', source: 'proc' },
    { device: '0:40', mountpoint: '/sys/fs/fuse/connections', fsType: 'fusectl', source: 'none' },
    { device: '0:45', mountpoint: '/tmp/with space', fsType: 'fuse.igfs', source: 'ignite-fuse' },
  ]);
});

test('skips malformed lines', () => {
  assert.deepEqual(parseMountInfo('garbage\n1 2 3\n'), []);
});

test('findMount finds /proc on this machine and nothing at a plain directory', async () => {
  assert.equal((await findMount('/proc'))?.fsType, 'proc');
  assert.equal(await findMount('/proc/self'), undefined);
});
