import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_DURATION_MS, parseDuration } from '../../../src/config/parse-duration.js';
import { ValueError } from '../../../src/config/config-error.js';

test('units: ms, s, m, h, d', () => {
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('5s'), 5_000);
  assert.equal(parseDuration('2m'), 120_000);
  assert.equal(parseDuration('1h'), 3_600_000);
  assert.equal(parseDuration('1d'), 86_400_000);
});

test('sums, fractions, spaces', () => {
  assert.equal(parseDuration('1h30m'), 5_400_000);
  assert.equal(parseDuration('1m 30s 250ms'), 90_250);
  assert.equal(parseDuration('1.5s'), 1_500);
  assert.equal(parseDuration('0.25m'), 15_000);
  assert.equal(parseDuration(' 5 s '), 5_000);
  // Decimal arithmetic, not floating point: 1.1 * 1000 is 1100.0000000000002 in a double.
  assert.equal(parseDuration('1.1s'), 1_100);
});

test('zero needs no unit; other bare numbers are errors', () => {
  assert.equal(parseDuration('0'), 0);
  assert.equal(parseDuration('0s'), 0);
  assert.throws(() => parseDuration('5'), { name: 'ValueError', message: /needs a unit/u });
  assert.throws(() => parseDuration('1.5'), /needs a unit/u);
});

test('errors say why', () => {
  assert.throws(() => parseDuration('5 parsecs'), { message: /unknown duration unit "parsecs"/u });
  assert.throws(() => parseDuration('5S'), /unknown duration unit "S"/u);
  assert.throws(() => parseDuration('-5s'), /negative/u);
  assert.throws(() => parseDuration(''), /empty/u);
  assert.throws(() => parseDuration('s'), /malformed/u);
  assert.throws(() => parseDuration('5s5'), /malformed/u);
  assert.throws(() => parseDuration('1.s'), /malformed/u);
  assert.throws(() => parseDuration('0.5ms'), /finer than a millisecond/u);
  assert.throws(() => parseDuration('5s'.repeat(2) + 'x'), /malformed|unknown/u);
  for (const bad of ['5 parsecs', '-1s', '7']) assert.throws(() => parseDuration(bad), ValueError);
});

test('overflow is refused at the Node timer limit', () => {
  assert.equal(parseDuration(`${MAX_DURATION_MS}ms`), MAX_DURATION_MS);
  assert.throws(() => parseDuration(`${MAX_DURATION_MS + 1}ms`), /too long/u);
  assert.throws(() => parseDuration('25d'), /too long/u);
  assert.throws(() => parseDuration('99999999999999999999999999h'), /too long/u);
});
