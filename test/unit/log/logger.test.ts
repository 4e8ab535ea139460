import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, silentLogger } from '../../../src/log/logger.js';
import { formatLogLine } from '../../../src/log/log-line.js';
import { fileSink, openLogSink, type LogSink } from '../../../src/log/log-sink.js';
import { createMemoryLogger } from '../../../src/log/memory-logger.js';

const T0 = new Date('2026-01-02T03:04:05.678Z');

function memorySink(): LogSink & { lines: string[] } {
  const lines: string[] = [];
  return { lines, write: (line) => { lines.push(line); }, close() {} };
}

test('a line carries ISO time, level, prefix, message and fields', () => {
  const line = formatLogLine(T0, 'warn', 'fuse', 'read failed', { path: '/a b', errno: 5, ok: false });
  assert.equal(line, '2026-01-02T03:04:05.678Z WARN  [fuse] read failed path="/a b" errno=5 ok=false\n');
});

test('newlines in messages and values never split the line', () => {
  const line = formatLogLine(T0, 'info', '', 'two\nlines', { text: 'x\ny', obj: { a: 1 } });
  assert.equal(line.split('\n').length, 2, line);
  assert.ok(line.endsWith('\n'));
  assert.match(line, /two\\nlines text="x\\ny" obj="\{\\"a\\":1\}"/u);
});

test('errors render with code and cause chain', () => {
  const cause = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
  const err = new Error('write failed', { cause });
  const line = formatLogLine(T0, 'error', '', 'op failed', { err });
  assert.match(line, /err="Error: write failed <- Error\(ECONNRESET\): socket hang up"/u);
});

test('cyclic values do not throw', () => {
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  const a = new Error('a');
  const b = new Error('b', { cause: a });
  (a as { cause?: unknown }).cause = b;
  const line = formatLogLine(T0, 'info', '', 'm', { cyclic, err: b });
  assert.match(line, /cyclic=/u);
  assert.equal(line.split('\n').length, 2);
});

test('events above the level are dropped; enabled() agrees', () => {
  const sink = memorySink();
  const log = createLogger({ level: 'warn', sink, now: () => T0 });
  log.debug('d');
  log.info('i');
  log.warn('w');
  log.error('e');
  assert.deepEqual(sink.lines, ['2026-01-02T03:04:05.678Z WARN  w\n', '2026-01-02T03:04:05.678Z ERROR e\n']);
  assert.equal(log.enabled('info'), false);
  assert.equal(log.enabled('error'), true);
});

test('debug level writes everything', () => {
  const sink = memorySink();
  const log = createLogger({ level: 'debug', sink, now: () => T0 });
  log.debug('d');
  log.info('i');
  assert.equal(sink.lines.length, 2);
});

test('children nest prefixes and share level and sink', () => {
  const sink = memorySink();
  const root = createLogger({ level: 'info', sink, now: () => T0 });
  const grandchild = root.child('daemon').child('igfs');
  grandchild.info('connected', { endpoint: '127.0.0.1:10500' });
  grandchild.debug('hidden');
  assert.deepEqual(sink.lines, ['2026-01-02T03:04:05.678Z INFO  [daemon/igfs] connected endpoint=127.0.0.1:10500\n']);
});

test('the file sink appends and keeps what was there', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ignite-fuse-log-'));
  try {
    const path = join(dir, 'daemon.log');
    writeFileSync(path, 'earlier line\n');
    const sink = fileSink(path);
    const log = createLogger({ sink, now: () => T0 });
    log.info('one');
    log.error('two', { n: 2 });
    sink.close();
    log.info('after close is ignored');
    assert.equal(readFileSync(path, 'utf8'),
      'earlier line\n2026-01-02T03:04:05.678Z INFO  one\n2026-01-02T03:04:05.678Z ERROR two n=2\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the file sink fails at once when the file cannot be opened', () => {
  assert.throws(() => fileSink('/nonexistent-dir-ignite-fuse/x.log'), { code: 'ENOENT' });
});

test('the silent logger writes nothing and has silent children', () => {
  assert.equal(silentLogger.enabled('error'), false);
  assert.equal(silentLogger.child('x'), silentLogger);
});

test('openLogSink picks the file when a path is given', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ignite-fuse-log-'));
  try {
    const path = join(dir, 'x.log');
    const sink = openLogSink(path);
    sink.write('line\n');
    sink.close();
    assert.equal(readFileSync(path, 'utf8'), 'line\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the memory logger records events of itself and its children, filtered by level', () => {
  const log = createMemoryLogger('info');
  log.info('a', { n: 1 });
  log.child('fuse').child('op').error('b');
  log.debug('dropped');
  assert.deepEqual(log.entries, [
    { level: 'info', prefix: '', message: 'a', fields: { n: 1 } },
    { level: 'error', prefix: 'fuse/op', message: 'b', fields: undefined },
  ]);
  assert.equal(log.enabled('debug'), false);
});
