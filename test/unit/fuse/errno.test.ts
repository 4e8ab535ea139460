// fuse/errno.ts against the Linux numbers (asm-generic/errno-base.h, errno.h), written out independently.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FsError, type FsErrorCode } from '../../../src/fs/errors.js';
import { errnoFor, errnoName, errnoOf, isRoutineFailure } from '../../../src/fuse/errno.js';

const LINUX: Record<FsErrorCode, number> = {
  EPERM: 1, ENOENT: 2, EIO: 5, ENXIO: 6, EBADF: 9, EAGAIN: 11, EACCES: 13, EBUSY: 16, EEXIST: 17, EXDEV: 18,
  ENOTDIR: 20, EISDIR: 21, EINVAL: 22, EFBIG: 27, ENOSPC: 28, EROFS: 30, EMLINK: 31, ENAMETOOLONG: 36, ENOSYS: 38,
  ENOTEMPTY: 39, ENODATA: 61, ENOTSUP: 95, ETIMEDOUT: 110,
};

test('every FsErrorCode maps to the negative Linux errno of the same name', () => {
  for (const [code, value] of Object.entries(LINUX) as Array<[FsErrorCode, number]>) {
    assert.equal(errnoFor(code), -value, code);
    assert.equal(errnoOf(new FsError(code, 'x')), -value, code);
    assert.equal(errnoName(-value), code);
  }
});

test('anything that is not an FsError is EIO', () => {
  for (const err of [new TypeError('bug'), new Error('plain'), 'a string', undefined, { code: 'ENOENT' }]) {
    assert.equal(errnoOf(err), -5);
  }
});

test('an unknown errno has a generic name', () => {
  assert.equal(errnoName(-4242), 'E4242');
});

test('routine failures are the POSIX answers of a healthy filesystem; faults are not', () => {
  assert.equal(isRoutineFailure(new FsError('ENOENT', 'x')), true);
  assert.equal(isRoutineFailure(new FsError('EEXIST', 'x')), true);
  assert.equal(isRoutineFailure(new FsError('EIO', 'x')), false);
  assert.equal(isRoutineFailure(new FsError('ENOSPC', 'x')), false);
  assert.equal(isRoutineFailure(new FsError('ETIMEDOUT', 'x')), false);
  assert.equal(isRoutineFailure(new Error('x')), false);
});
