import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReadAhead, type ReadAheadTarget } from '../../../src/cache/read-ahead.js';
import { seededRandom, settle } from './helpers.js';

/** A file of `blockCount` blocks of 100 bytes whose prefetches the test completes (or fails) by hand. */
class FakeTarget implements ReadAheadTarget {
  readonly blockSize = 100;
  readonly cached = new Set<number>();
  readonly requests: number[] = [];
  readonly #pending = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  autoComplete = true;

  constructor(readonly blockCount: number) {}

  isCached(index: number): boolean {
    return this.cached.has(index);
  }

  prefetch(index: number): Promise<void> {
    this.requests.push(index);
    return new Promise<void>((resolve, reject) => {
      const done = () => {
        this.cached.add(index);
        resolve();
      };
      if (this.autoComplete) done();
      else this.#pending.set(index, { resolve: done, reject });
    });
  }

  completeAll(): void {
    for (const [index, { resolve }] of this.#pending) {
      this.#pending.delete(index);
      resolve();
    }
  }

  failAll(): void {
    for (const [index, { reject }] of this.#pending) {
      this.#pending.delete(index);
      reject(new Error(`block ${index} failed`));
    }
  }
}

describe('ReadAhead', () => {
  it('grows its window 1, 2, 4 ... up to the maximum while reads stay sequential', async () => {
    const target = new FakeTarget(100);
    const readAhead = new ReadAhead(target, { maxBlocks: 8 });
    const windows: number[] = [];
    for (let block = 0; block < 7; block++) {
      readAhead.onRead(block * 100, 100);
      windows.push(readAhead.window);
      await settle();
      // Every block of the window ahead of the reader is cached or requested, none behind it.
      for (let ahead = block + 1; ahead <= block + readAhead.window; ahead++) {
        assert.ok(target.cached.has(ahead), `block ${ahead} ready after reading block ${block}`);
      }
    }
    assert.deepEqual(windows, [0, 1, 2, 4, 8, 8, 8]);
    // Each block requested once, only blocks ahead of the reader: 2 .. (6 + 8).
    assert.deepEqual(target.requests, [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
  });

  it('a seek resets the window; sequential reads after it grow it again', async () => {
    const target = new FakeTarget(100);
    const readAhead = new ReadAhead(target, { maxBlocks: 4 });
    for (let block = 0; block < 5; block++) readAhead.onRead(block * 100, 100);
    await settle();
    assert.equal(readAhead.window, 4);
    const before = target.requests.length;
    readAhead.onRead(5000, 100); // far ahead
    assert.equal(readAhead.window, 0);
    assert.equal(target.requests.length, before, 'a seek requests nothing');
    readAhead.onRead(5100, 100);
    assert.equal(readAhead.window, 1);
    assert.deepEqual(target.requests.slice(before), [52]);
    readAhead.onRead(0, 100); // backwards
    assert.equal(readAhead.window, 0);
  });

  it('random reads request nothing', () => {
    const target = new FakeTarget(1000);
    const readAhead = new ReadAhead(target, { maxBlocks: 8 });
    for (const seed of [1, 2, 3]) {
      const random = seededRandom(seed);
      let last = 0;
      for (let i = 0; i < 200; i++) {
        let position: number;
        // Every jump lands at least two blocks away from where the previous read ended.
        do position = Math.floor(random() * 99_000); while (Math.abs(position - last) < 300);
        const length = 1 + Math.floor(random() * 100);
        readAhead.onRead(position, length);
        last = position + length;
        assert.equal(readAhead.window, 0);
      }
    }
    assert.deepEqual(target.requests, []);
  });

  it('small sequential reads inside one block count as sequential', () => {
    const target = new FakeTarget(100);
    const readAhead = new ReadAhead(target, { maxBlocks: 4 });
    for (let position = 0; position < 100; position += 10) readAhead.onRead(position, 10);
    assert.equal(readAhead.window, 4);
    assert.deepEqual(target.requests, [1, 2, 3, 4]);
  });

  it('keeps at most the window in flight and stops at the end of the file', async () => {
    const target = new FakeTarget(12);
    target.autoComplete = false;
    const readAhead = new ReadAhead(target, { maxBlocks: 3 });
    for (let block = 0; block < 12; block++) {
      readAhead.onRead(block * 100, 100);
      assert.ok(readAhead.inFlight.length <= readAhead.window, `block ${block}: ${readAhead.inFlight}`);
      assert.ok(readAhead.window <= 3);
      if (block % 4 === 3) {
        target.completeAll();
        await settle();
      }
    }
    assert.ok(target.requests.every((index) => index < 12), `${target.requests}`);
    target.completeAll();
    await readAhead.drain();
    assert.deepEqual(readAhead.inFlight, []);
  });

  it('a failed prefetch is reported to onError and is not fatal', async () => {
    const target = new FakeTarget(100);
    target.autoComplete = false;
    const failures: number[] = [];
    const readAhead = new ReadAhead(target, { maxBlocks: 2, onError: (_err, index) => failures.push(index) });
    readAhead.onRead(0, 100);
    readAhead.onRead(100, 100);
    target.failAll();
    await readAhead.drain();
    assert.deepEqual(failures, [2]);
    assert.deepEqual(readAhead.inFlight, []);
    target.autoComplete = true;
    readAhead.onRead(200, 100);
    await settle();
    assert.deepEqual(target.requests, [2, 3, 4], 'read-ahead carries on after the failure');
  });

  it('maxBlocks 0 turns it off', () => {
    const target = new FakeTarget(100);
    const readAhead = new ReadAhead(target, { maxBlocks: 0 });
    for (let block = 0; block < 10; block++) readAhead.onRead(block * 100, 100);
    assert.deepEqual(target.requests, []);
  });
});
