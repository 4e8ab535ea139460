import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { idForName, loadSystemIdentityMap, nameForId } from '../../../src/fs/identity.js';
import { identities } from './fs-fixture.js';

describe('identity mapping', () => {
  it('names known ids and stores unknown ids as decimal strings', () => {
    assert.equal(nameForId(1000, identities.userName(1000)), 'alice');
    assert.equal(nameForId(50, identities.groupName(50)), 'staff');
    assert.equal(nameForId(31337, identities.userName(31337)), '31337');
  });

  it('maps names back: known names, decimal names, else the fallback', () => {
    const uid = (name: string | undefined): number => idForName(name, (n) => identities.uid(n), 99);
    assert.equal(uid('bob'), 1001);
    assert.equal(uid('31337'), 31337);
    assert.equal(uid('hdfs'), 99);
    assert.equal(uid(undefined), 99);
    assert.equal(uid(''), 99);
    assert.equal(uid('99999999999'), 99, 'beyond 32 bits is not an id');
  });

  it('the system map knows root', () => {
    const system = loadSystemIdentityMap();
    assert.equal(system.userName(0), 'root');
    assert.equal(system.uid('root'), 0);
    assert.equal(system.gid('root'), 0);
  });
});
