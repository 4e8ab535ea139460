import { test } from 'node:test';
import assert from 'node:assert/strict';
import yargs from 'yargs';
import { yargsOptionsFor } from '../../../src/config/yargs-options.js';
import { loadConfig } from '../../../src/config/load.js';
import { OPTIONS, envVarName } from '../../../src/config/option-table.js';

async function parse(args: string[], command: 'mount' | 'igfs' = 'mount') {
  let failure: string | undefined;
  const argv = await yargs(args)
    .options(yargsOptionsFor(command))
    .strict()
    .exitProcess(false)
    .fail((msg, err) => { failure = msg ?? err?.message; })
    .parseAsync();
  return { argv: argv as Record<string, unknown>, failure };
}

test('yargs parses the table options into what loadConfig resolves', async () => {
  const { argv, failure } = await parse([
    '--igfs', 'a:1', '--igfs', 'b:2', '--attr-ttl', '250ms', '--cache-size', '1GiB', '--read-only',
    '--no-allow-other', '--log-level', 'debug', '--uid', '0',
  ]);
  assert.equal(failure, undefined);
  const c = loadConfig({ argv, env: {}, cwd: '/' });
  assert.deepEqual(c.igfsEndpoints, ['a:1', 'b:2']);
  assert.equal(c.attrTtlMs, 250);
  assert.equal(c.cacheSizeBytes, 1024 ** 3);
  assert.equal(c.readOnly, true);
  assert.equal(c.allowOther, false);
  assert.equal(c.logLevel, 'debug');
  assert.equal(c.uid, 0);
});

test('absent flags stay absent, so the environment is not overridden by a yargs default', async () => {
  const { argv } = await parse([]);
  const c = loadConfig({ argv, env: { IGNITE_FUSE_TLS: 'true', IGNITE_FUSE_TLS_INSECURE: '1', IGNITE_FUSE_ATTR_TTL: '9s' }, cwd: '/' });
  assert.equal(c.tls, true);
  assert.equal(c.attrTtlMs, 9000);
});

test('secrets are not flags: strict yargs rejects them', async () => {
  const options = yargsOptionsFor('mount');
  assert.equal(options.password, undefined);
  assert.equal(options['tls-key-passphrase'], undefined);
  assert.ok(options['password-file'] !== undefined);
  const { failure } = await parse(['--password', 'x']);
  assert.match(failure ?? '', /Unknown argument/u);
});

test('a value option without its value is a usage error', async () => {
  const { failure } = await parse(['--igfs']);
  assert.match(failure ?? '', /igfs/u);
});

test('commands see only their options', () => {
  const igfs = Object.keys(yargsOptionsFor('igfs')).sort();
  assert.deepEqual(igfs, ['config', 'connect-timeout', 'igfs', 'igfs-name', 'log-file', 'log-level', 'request-timeout']);
  const mount = Object.keys(yargsOptionsFor('mount'));
  const expected = OPTIONS.filter((o) => !('secret' in o)).map((o) => o.name);
  assert.deepEqual(mount.sort(), [...expected].sort());
  assert.deepEqual(Object.keys(yargsOptionsFor('unmount')).sort(), ['config', 'log-file', 'log-level']);
});

test('help shows the env var, the default and the group', async () => {
  const help = await yargs([]).options(yargsOptionsFor('mount')).wrap(null).getHelp();
  assert.match(help, /--attr-ttl .*\[env IGNITE_FUSE_ATTR_TTL\]/su);
  assert.match(help, /\[default: 256MiB\]/u);
  assert.match(help, /Timeouts:/u);
  assert.match(help, /\(repeatable, or comma-separated\)/u);
  assert.doesNotMatch(help, /--password /u);
});

test('option names, env vars and keys are unique and well formed', () => {
  const names = OPTIONS.map((o) => o.name);
  assert.equal(new Set(names).size, names.length);
  const keys = OPTIONS.map((o) => o.key);
  assert.equal(new Set(keys).size, keys.length);
  for (const o of OPTIONS) {
    assert.match(o.name, /^[a-z]+(-[a-z]+)*$/u);
    assert.match(envVarName(o), /^IGNITE_FUSE_[A-Z]+(_[A-Z]+)*$/u);
    if (o.type === 'duration') assert.match(o.key, /Ms$/u, `${o.name}: durations carry Ms`);
    if (o.type === 'size') assert.match(o.key, /Bytes$/u, `${o.name}: sizes carry Bytes`);
  }
  assert.equal(envVarName({ name: 'tls-key-passphrase-file' }), 'IGNITE_FUSE_TLS_KEY_PASSPHRASE_FILE');
});
