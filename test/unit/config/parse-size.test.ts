import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSize } from '../../../src/config/parse-size.js';

test('bare numbers are bytes', () => {
  assert.equal(parseSize('4096'), 4096);
  assert.equal(parseSize('0'), 0);
  assert.equal(parseSize('100B'), 100);
});

test('binary units are 1024-based, decimal ones 1000-based, case-insensitive', () => {
  assert.equal(parseSize('64KiB'), 64 * 1024);
  assert.equal(parseSize('512MiB'), 512 * 1024 ** 2);
  assert.equal(parseSize('1GiB'), 1024 ** 3);
  assert.equal(parseSize('2TiB'), 2 * 1024 ** 4);
  assert.equal(parseSize('64KB'), 64_000);
  assert.equal(parseSize('10MB'), 10_000_000);
  assert.equal(parseSize('1GB'), 1_000_000_000);
  assert.equal(parseSize('1mib'), 1024 ** 2);
  assert.equal(parseSize('1 MiB'), 1024 ** 2);
});

test('fractions must come out as whole bytes', () => {
  assert.equal(parseSize('1.5GiB'), 1.5 * 1024 ** 3);
  assert.equal(parseSize('0.5KiB'), 512);
  assert.throws(() => parseSize('0.3KiB'), /whole number of bytes/u);
  assert.throws(() => parseSize('1.5'), /whole number of bytes/u);
});

test('errors say why', () => {
  assert.throws(() => parseSize('5 parsecs'), { name: 'ValueError', message: /unknown size unit "parsecs"/u });
  assert.throws(() => parseSize('512M'), /ambiguous.*MiB.*MB/u);
  assert.throws(() => parseSize('1k'), /ambiguous/u);
  assert.throws(() => parseSize('-1KiB'), /negative/u);
  assert.throws(() => parseSize(''), /empty/u);
  assert.throws(() => parseSize('KiB'), /malformed/u);
  assert.throws(() => parseSize('1e3'), /malformed/u);
  assert.throws(() => parseSize('0x100'), /malformed/u);
});

test('overflow beyond a safe integer is refused', () => {
  assert.equal(parseSize(String(Number.MAX_SAFE_INTEGER)), Number.MAX_SAFE_INTEGER);
  assert.throws(() => parseSize(String(Number.MAX_SAFE_INTEGER + 2)), /too large/u);
  assert.throws(() => parseSize('9000TiB'), /too large/u);
});
