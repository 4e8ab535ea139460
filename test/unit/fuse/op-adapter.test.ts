import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FsError } from '../../../src/fs/errors.js';
import { OpAdapter } from '../../../src/fuse/op-adapter.js';

class Lines {
  readonly warn: string[] = [];
  readonly debug: string[] = [];
  logger = { warn: (m: string) => this.warn.push(m), debug: (m: string) => this.debug.push(m) };
}

/** Runs one op and collects every answer it gets, after the microtask queue has drained. */
async function answersOf<T>(work: () => Promise<T>, lines = new Lines()): Promise<Array<[number, T | undefined]>> {
  const answers: Array<[number, T | undefined]> = [];
  new OpAdapter(lines.logger).run('getattr', '/p', work, (errno, value) => answers.push([errno, value]));
  await new Promise((resolve) => setImmediate(resolve));
  return answers;
}

test('success answers (0, value) once', async () => {
  assert.deepEqual(await answersOf(async () => 42), [[0, 42]]);
});

test('an FsError answers its errno once and logs one line at debug for routine codes', async () => {
  const lines = new Lines();
  assert.deepEqual(await answersOf(() => Promise.reject(new FsError('ENOENT', 'no such file', { path: '/p' })), lines), [[-2, undefined]]);
  assert.equal(lines.debug.length, 1);
  assert.match(lines.debug[0], /getattr \/p: ENOENT: no such file/);
  assert.deepEqual(lines.warn, []);
});

test('a fault answers its errno once and logs one warning with the cause chain', async () => {
  const lines = new Lines();
  const err = new FsError('EIO', 'read failed', { cause: new Error('socket closed') });
  assert.deepEqual(await answersOf(() => Promise.reject(err), lines), [[-5, undefined]]);
  assert.equal(lines.warn.length, 1);
  assert.match(lines.warn[0], /EIO: read failed <- socket closed/);
});

test('a synchronous throw answers EIO once', async () => {
  const lines = new Lines();
  const answers = await answersOf(() => {
    throw new TypeError('handler bug');
  }, lines);
  assert.deepEqual(answers, [[-5, undefined]]);
  assert.equal(lines.warn.length, 1);
  assert.match(lines.warn[0], /TypeError: handler bug/);
});

test('a rejection with a non-FsError answers EIO once', async () => {
  assert.deepEqual(await answersOf(() => Promise.reject(new RangeError('x'))), [[-5, undefined]]);
  assert.deepEqual(await answersOf(() => Promise.reject('not even an Error')), [[-5, undefined]]);
});

test('an answer callback that throws is logged, not retried', async () => {
  const lines = new Lines();
  let calls = 0;
  new OpAdapter(lines.logger).run('read', '/p', async () => 1, () => {
    calls++;
    throw new Error('binding exploded');
  });
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(calls, 1);
  assert.equal(lines.warn.length, 1);
  assert.match(lines.warn[0], /answering failed: binding exploded/);
});

test('a throwing logger or observer does not cost the answer', async () => {
  const answers: number[] = [];
  const adapter = new OpAdapter({ warn: () => { throw new Error('log'); }, debug: () => { throw new Error('log'); } },
    () => { throw new Error('observer'); });
  adapter.run('open', '/p', () => Promise.reject(new Error('x')), (errno) => answers.push(errno));
  adapter.run('open', '/q', async () => 7, (errno) => answers.push(errno));
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(answers.sort(), [-5, 0]);
});

test('the observer sees every answer with its op and path', async () => {
  const seen: Array<[string, string, number]> = [];
  const adapter = new OpAdapter(new Lines().logger, (op, path, errno) => seen.push([op, path, errno]));
  adapter.run('mkdir', '/a', async () => undefined, () => undefined);
  adapter.run('rmdir', '/b', () => Promise.reject(new FsError('ENOTEMPTY', 'x')), () => undefined);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(seen, [['mkdir', '/a', 0], ['rmdir', '/b', -39]]);
});
