import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AsyncMutex } from '../../../src/util/async-mutex.js';
import { KeyedMutex } from '../../../src/util/keyed-mutex.js';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('AsyncMutex', () => {
  it('runs sections one at a time in call order and survives failures', async () => {
    const mutex = new AsyncMutex();
    const events: string[] = [];
    const section = (name: string, fail = false) => async () => {
      events.push(`${name}+`);
      await tick();
      events.push(`${name}-`);
      if (fail) throw new Error(name);
      return name;
    };
    const results = await Promise.allSettled([mutex.run(section('a')), mutex.run(section('b', true)), mutex.run(section('c'))]);
    assert.deepEqual(events, ['a+', 'a-', 'b+', 'b-', 'c+', 'c-']);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
    assert.equal(mutex.size, 0);
  });
});

describe('KeyedMutex', () => {
  it('serializes per key, runs different keys concurrently, and forgets idle keys', async () => {
    const mutex = new KeyedMutex<string>();
    const events: string[] = [];
    const section = (name: string) => async () => {
      events.push(`${name}+`);
      await tick();
      events.push(`${name}-`);
    };
    await Promise.all([mutex.run('x', section('x1')), mutex.run('y', section('y1')), mutex.run('x', section('x2'))]);
    assert.deepEqual(events.slice(0, 2), ['x1+', 'y1+']);
    assert.ok(events.indexOf('x2+') > events.indexOf('x1-'));
    await tick();
    assert.equal(mutex.activeKeys, 0);
  });

  it('runAll locks overlapping key sets without deadlock', async () => {
    const mutex = new KeyedMutex<string>();
    const order: string[] = [];
    await Promise.all([
      mutex.runAll(['a', 'b'], async () => { order.push('ab'); await tick(); }),
      mutex.runAll(['b', 'a'], async () => { order.push('ba'); await tick(); }),
      mutex.runAll(['a', 'a'], async () => { order.push('aa'); }),
    ]);
    assert.deepEqual(order.sort(), ['aa', 'ab', 'ba']);
  });
});
