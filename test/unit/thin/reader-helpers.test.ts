import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ServerError } from '../../../src/thin/protocol/errors.js';
import { isInvalidPartitionError, unwrappedTypeCode } from '../../../src/thin/reader.js';
import { object, T } from './golden.js';

describe('reader helpers', () => {
  it('unwrappedTypeCode looks through a wrapped object to its root', () => {
    const obj = object({ typeId: 1, fields: [] });
    assert.equal(unwrappedTypeCode(T.wrapped(obj, 0)), 103);
    assert.equal(unwrappedTypeCode(T.int(5)), 3);
    assert.equal(unwrappedTypeCode(T.wrapped(obj, obj.length + 3)), 27, 'a bad offset leaves the wire code');
    assert.equal(unwrappedTypeCode(Buffer.from([27, 1])), 27);
  });

  it('isInvalidPartitionError recognises only the server text for a partition out of range', () => {
    assert.ok(isInvalidPartitionError(new ServerError(1, 2000, 'class org.apache.ignite.IgniteCheckedException: Invalid partition number: 600')));
    assert.ok(!isInvalidPartitionError(new ServerError(1000, 2000, 'Cache does not exist [cacheId= 1]')));
    assert.ok(!isInvalidPartitionError(new Error('Invalid partition number: 600')));
  });
});
