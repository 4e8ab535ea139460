import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig, type LoadConfigInput } from '../../../src/config/load.js';
import { ConfigError } from '../../../src/config/config-error.js';
import { redactConfig } from '../../../src/config/redact-config.js';
import type { Config } from '../../../src/config/option-table.js';

const MiB = 1024 * 1024;

/** A readFile over an in-memory map, failing like fs does for anything else. */
function files(map: Record<string, string>): (path: string) => string {
  return (path) => {
    const text = map[path];
    if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
    return text;
  };
}

function load(input: LoadConfigInput = {}): Config {
  return loadConfig({ env: {}, argv: {}, readFile: files({}), cwd: '/work', defaults: { uid: 1234, gid: 5678, tmpdir: '/tmpx' }, ...input });
}

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a ConfigError');
}

test('defaults come from the table, parsed like user input', () => {
  const c = load();
  assert.deepEqual(c.igfsEndpoints, ['127.0.0.1:10500']);
  assert.deepEqual(c.thinEndpoints, ['127.0.0.1:10800']);
  assert.equal(c.igfsName, undefined);
  assert.equal(c.attrTtlMs, 1000);
  assert.equal(c.viewTtlMs, 30_000);
  assert.equal(c.commitIntervalMs, 5000);
  assert.equal(c.requestTimeoutMs, 30_000);
  assert.equal(c.connectTimeoutMs, 5000);
  assert.equal(c.cacheSizeBytes, 256 * MiB);
  assert.equal(c.blockSizeBytes, MiB);
  assert.equal(c.maxStagedBytes, 1024 * MiB);
  assert.equal(c.readAheadBlocks, 8);
  assert.equal(c.uid, 1234);
  assert.equal(c.gid, 5678);
  assert.equal(c.stagingDir, '/tmpx/ignite-fuse-staging');
  assert.equal(c.logLevel, 'info');
  assert.equal(c.tls, false);
  assert.equal(c.password, undefined);
  assert.equal(c.configFile, undefined);
});

test('types: the Config type follows the table', () => {
  const c = load();
  const level: 'error' | 'warn' | 'info' | 'debug' = c.logLevel;
  const endpoints: readonly string[] = c.igfsEndpoints;
  const ttl: number = c.attrTtlMs;
  // @ts-expect-error igfs-name has no default, so it may be undefined
  const name: string = c.igfsName;
  assert.equal(typeof level, 'string');
  assert.equal(endpoints.length, 1);
  assert.equal(ttl, 1000);
  assert.equal(name, undefined);
});

test('precedence: defaults < file < environment < flags', () => {
  const readFile = files({ '/etc/f.json': JSON.stringify({ 'attr-ttl': '2s', igfs: ['f:1'], 'log-level': 'warn' }) });
  const env = { IGNITE_FUSE_CONFIG: '/etc/f.json', IGNITE_FUSE_ATTR_TTL: '3s', IGNITE_FUSE_IGFS: 'e:1,e:2' };
  const argv = { 'attr-ttl': '4s' };
  const all = load({ readFile, env, argv });
  assert.equal(all.attrTtlMs, 4000);
  assert.deepEqual(all.igfsEndpoints, ['e:1', 'e:2']);
  assert.equal(all.logLevel, 'warn');
  assert.equal(all.configFile, '/etc/f.json');
  assert.equal(load({ readFile, env }).attrTtlMs, 3000);
  assert.equal(load({ readFile, env: { IGNITE_FUSE_CONFIG: '/etc/f.json' } }).attrTtlMs, 2000);
  assert.equal(load({ readFile, argv: { config: '/etc/f.json' } }).attrTtlMs, 2000);
  assert.equal(load({ readFile }).attrTtlMs, 1000);
});

test('flags arrive under kebab-case or camelCase keys, as yargs gives both', () => {
  assert.equal(load({ argv: { cacheSize: '64MiB' } }).cacheSizeBytes, 64 * MiB);
  assert.equal(load({ argv: { 'cache-size': '64MiB', cacheSize: '64MiB' } }).cacheSizeBytes, 64 * MiB);
});

test('environment values: names, booleans, lists, empty means unset', () => {
  const c = load({
    env: {
      IGNITE_FUSE_READ_ONLY: 'yes', IGNITE_FUSE_ALLOW_OTHER: '0', IGNITE_FUSE_THIN: ' a:1 , b:2 ',
      IGNITE_FUSE_MAX_STAGED_BYTES: '10MB', IGNITE_FUSE_LOG_LEVEL: '', IGNITE_FUSE_KEEP_NODE: '1',
    },
  });
  assert.equal(c.readOnly, true);
  assert.equal(c.allowOther, false);
  assert.deepEqual(c.thinEndpoints, ['a:1', 'b:2']);
  assert.equal(c.maxStagedBytes, 10_000_000);
  assert.equal(c.logLevel, 'info');
});

test('repeated list flags and commas combine', () => {
  assert.deepEqual(load({ argv: { igfs: ['a:1', 'b:2,c:3'] } }).igfsEndpoints, ['a:1', 'b:2', 'c:3']);
});

test('a malformed value names the option and its source', () => {
  let e = configError(() => load({ argv: { 'attr-ttl': '5 parsecs' } }));
  assert.equal(e.option, 'attr-ttl');
  assert.equal(e.source, 'flag');
  assert.match(e.message, /--attr-ttl.*unknown duration unit "parsecs"/u);

  e = configError(() => load({ env: { IGNITE_FUSE_CACHE_SIZE: '512M' } }));
  assert.equal(e.source, 'env');
  assert.match(e.message, /IGNITE_FUSE_CACHE_SIZE.*ambiguous/u);

  e = configError(() => load({ env: { IGNITE_FUSE_CONFIG: '/c.json' }, readFile: files({ '/c.json': '{"read-ahead": "lots"}' }) }));
  assert.equal(e.source, 'file');
  assert.equal(e.option, 'read-ahead');
  assert.match(e.message, /"read-ahead" in \/c\.json: expected an integer/u);

  e = configError(() => load({ env: { IGNITE_FUSE_TLS: 'maybe' } }));
  assert.match(e.message, /IGNITE_FUSE_TLS.*boolean/u);

  e = configError(() => load({ argv: { 'log-level': 'verbose' } }));
  assert.match(e.message, /--log-level.*one of error, warn, info, debug/u);

  e = configError(() => load({ argv: { 'attr-ttl': ['1s', '2s'] } }));
  assert.match(e.message, /--attr-ttl.*given 2 times/u);

  e = configError(() => load({ env: { IGNITE_FUSE_REQUEST_TIMEOUT: '5' } }));
  assert.match(e.message, /IGNITE_FUSE_REQUEST_TIMEOUT.*needs a unit/u);
});

test('bounds are enforced in the option unit', () => {
  assert.match(configError(() => load({ argv: { 'block-size': '1KiB' } })).message, /--block-size.*at least 4096 bytes/u);
  assert.match(configError(() => load({ argv: { 'read-ahead': '-1' } })).message, /--read-ahead.*at least 0/u);
  assert.match(configError(() => load({ argv: { uid: '12x' } })).message, /--uid.*integer/u);
  assert.match(configError(() => load({ argv: { 'request-timeout': '0' } })).message, /at least 1ms/u);
  assert.equal(load({ argv: { 'read-ahead': '0', 'cache-size': '0' } }).readAheadBlocks, 0);
});

test('endpoints must be HOST:PORT', () => {
  assert.deepEqual(load({ argv: { igfs: '[::1]:10500' } }).igfsEndpoints, ['[::1]:10500']);
  assert.match(configError(() => load({ argv: { igfs: 'localhost' } })).message, /--igfs.*HOST:PORT/u);
  assert.match(configError(() => load({ argv: { thin: 'h:70000' } })).message, /--thin.*out of range/u);
  assert.match(configError(() => load({ argv: { thin: 'a:1,,b:2' } })).message, /empty item/u);
});

test('config file: JSON types, relative paths against the file directory', () => {
  const readFile = files({
    '/etc/ig/c.json': JSON.stringify({
      igfs: ['h:1', 'h:2'], tls: true, 'tls-ca': 'ca.pem', 'read-ahead': 4, 'cache-size': 4096 * 1024,
      'block-size': '64KiB', 'log-file': '/var/log/x.log', 'staging-dir': '../stage',
    }),
  });
  const c = load({ argv: { config: '/etc/ig/c.json', 'pid-file': 'run/x.pid' }, readFile });
  assert.deepEqual(c.igfsEndpoints, ['h:1', 'h:2']);
  assert.equal(c.tls, true);
  assert.equal(c.tlsCa, '/etc/ig/ca.pem');
  assert.equal(c.readAheadBlocks, 4);
  assert.equal(c.cacheSizeBytes, 4 * MiB);
  assert.equal(c.blockSizeBytes, 64 * 1024);
  assert.equal(c.logFile, '/var/log/x.log');
  assert.equal(c.stagingDir, '/etc/stage');
  assert.equal(c.pidFile, '/work/run/x.pid');
});

test('config file given relative to the working directory', () => {
  const c = load({ argv: { config: 'conf/c.json' }, readFile: files({ '/work/conf/c.json': '{"dir-ttl":"3s"}' }) });
  assert.equal(c.dirTtlMs, 3000);
  assert.equal(c.configFile, '/work/conf/c.json');
});

test('config file errors: unknown key with suggestion, nested config, bad JSON, missing file', () => {
  const cfg = (text: string) => ({ argv: { config: '/c.json' }, readFile: files({ '/c.json': text }) });
  let e = configError(() => load(cfg('{"attrTtl": "1s"}')));
  assert.match(e.message, /unknown option "attrTtl" in config file \/c\.json; did you mean "attr-ttl"\?/u);
  assert.equal(e.source, 'file');
  e = configError(() => load(cfg('{"cahce-size": "1GiB"}')));
  assert.match(e.message, /did you mean "cache-size"/u);
  e = configError(() => load(cfg('{"frobnicate": 1}')));
  assert.match(e.message, /unknown option "frobnicate"/u);
  assert.doesNotMatch(e.message, /did you mean/u);
  assert.match(configError(() => load(cfg('{"config": "/other.json"}'))).message, /cannot be set inside a config file/u);
  assert.match(configError(() => load(cfg('{"igfs": '))).message, /not valid JSON/u);
  assert.match(configError(() => load(cfg('["igfs"]'))).message, /JSON object/u);
  assert.match(configError(() => load(cfg('{"attr-ttl": 5}'))).message, /"attr-ttl" in \/c\.json.*needs a unit/u);
  assert.match(configError(() => load(cfg('{"igfs": [1]}'))).message, /"igfs" in \/c\.json.*expected strings/u);
  e = configError(() => load({ env: { IGNITE_FUSE_CONFIG: '/missing.json' } }));
  assert.match(e.message, /cannot read config file \/missing\.json \(from IGNITE_FUSE_CONFIG\).*ENOENT/u);
  assert.equal(e.option, 'config');
  assert.equal(e.source, 'env');
});

test('options of other commands: ignored in the file and the environment, not flagged as unknown', () => {
  const readFile = files({ '/c.json': JSON.stringify({ 'cache-size': '1GiB', igfs: ['x:1'], 'connect-timeout': '9s' }) });
  const c = load({ command: 'igfs', argv: { config: '/c.json' }, readFile, env: { IGNITE_FUSE_CACHE_SIZE: 'garbage' } });
  assert.deepEqual(c.igfsEndpoints, ['x:1']);
  assert.equal(c.connectTimeoutMs, 9000);
  assert.equal(c.cacheSizeBytes, 256 * MiB, 'out-of-scope options keep their defaults');
  // The same environment is an error for the command that owns the option.
  assert.match(configError(() => load({ env: { IGNITE_FUSE_CACHE_SIZE: 'garbage' } })).message, /IGNITE_FUSE_CACHE_SIZE/u);
});

test('secrets are refused as flags under either spelling', () => {
  let e = configError(() => load({ argv: { password: 'hunter2' } }));
  assert.equal(e.option, 'password');
  assert.equal(e.source, 'flag');
  assert.match(e.message, /not accepted on the command line.*--password-file, IGNITE_FUSE_PASSWORD/u);
  assert.doesNotMatch(e.message, /hunter2/u);
  e = configError(() => load({ argv: { tlsKeyPassphrase: 'p' } }));
  assert.equal(e.option, 'tls-key-passphrase');
});

test('secrets from the environment, the file, or a secret file', () => {
  const user = { argv: { user: 'ignite' } };
  assert.equal(load({ ...user, env: { IGNITE_FUSE_PASSWORD: 'from-env' } }).password, 'from-env');
  assert.equal(load({ ...user, argv: { user: 'ignite', config: '/c.json' }, readFile: files({ '/c.json': '{"password":"from-file"}' }) }).password, 'from-file');
  const secretFiles = files({ '/s/pw': 'from-secret-file\n', '/s/crlf': 'x\r\n', '/s/empty': '\n' });
  const viaFlag = load({ argv: { user: 'ignite', 'password-file': '/s/pw' }, readFile: secretFiles });
  assert.equal(viaFlag.password, 'from-secret-file');
  assert.equal(viaFlag.passwordFile, '/s/pw');
  assert.equal(load({ argv: { user: 'ignite', 'password-file': '/s/crlf' }, readFile: secretFiles }).password, 'x');
  // The flag outranks the environment, so the file it names wins over IGNITE_FUSE_PASSWORD.
  assert.equal(load({ argv: { user: 'ignite', 'password-file': '/s/pw' }, env: { IGNITE_FUSE_PASSWORD: 'env' }, readFile: secretFiles }).password, 'from-secret-file');
  // The environment outranks a file-level password-file.
  const both = files({ '/c.json': '{"password-file":"/s/pw"}', '/s/pw': 'from-secret-file' });
  assert.equal(load({ argv: { user: 'ignite', config: '/c.json' }, env: { IGNITE_FUSE_PASSWORD: 'env' }, readFile: both }).password, 'env');

  let e = configError(() => load({ ...user, env: { IGNITE_FUSE_PASSWORD: 'a', IGNITE_FUSE_PASSWORD_FILE: '/s/pw' }, readFile: secretFiles }));
  assert.match(e.message, /both IGNITE_FUSE_PASSWORD and IGNITE_FUSE_PASSWORD_FILE/u);
  e = configError(() => load({ argv: { user: 'ignite', 'password-file': '/s/empty' }, readFile: secretFiles }));
  assert.match(e.message, /\/s\/empty \(from --password-file\) is empty/u);
  e = configError(() => load({ argv: { user: 'ignite', 'password-file': '/s/none' }, readFile: secretFiles }));
  assert.equal(e.option, 'password-file');
  assert.match(e.message, /cannot read \/s\/none \(from --password-file\)/u);
});

test('the TLS key passphrase follows the same rules', () => {
  const readFile = files({ '/k/pass': 'sesame\n' });
  const tls = { tls: true, 'tls-cert': '/k/c.pem', 'tls-key': '/k/k.pem' };
  assert.equal(load({ argv: { ...tls, 'tls-key-passphrase-file': '/k/pass' }, readFile }).tlsKeyPassphrase, 'sesame');
  assert.equal(load({ argv: tls, env: { IGNITE_FUSE_TLS_KEY_PASSPHRASE: 'e' } }).tlsKeyPassphrase, 'e');
  assert.match(configError(() => load({ argv: { tls: true }, env: { IGNITE_FUSE_TLS_KEY_PASSPHRASE: 'e' } })).message,
    /IGNITE_FUSE_TLS_KEY_PASSPHRASE is given but no --tls-key/u);
});

test('combinations that cannot work are refused', () => {
  assert.match(configError(() => load({ argv: { caches: '/a', 'caches-only': '/b' } })).message, /--caches and --caches-only exclude each other/u);
  assert.match(configError(() => load({ argv: { 'tls-ca': '/ca.pem' } })).message, /--tls-ca needs TLS to be on/u);
  assert.match(configError(() => load({ argv: { 'tls-insecure': true } })).message, /--tls-insecure needs TLS/u);
  assert.match(configError(() => load({ argv: { tls: true, 'tls-cert': '/c.pem' } })).message, /--tls-cert needs --tls-key/u);
  assert.match(configError(() => load({ argv: { tls: true, 'tls-key': '/k.pem' } })).message, /--tls-key needs --tls-cert/u);
  assert.match(configError(() => load({ env: { IGNITE_FUSE_PASSWORD: 'x' } })).message, /IGNITE_FUSE_PASSWORD is given but no --user/u);
  assert.match(configError(() => load({ argv: { 'cache-size': '512KiB' } })).message, /smaller than one block/u);
  // Explicitly off is not "given".
  assert.equal(load({ argv: { 'tls-insecure': false } }).tlsInsecure, false);
  assert.equal(load({ argv: { caches: 'v' } }).cachesMountpoint, '/work/v');
});

test('redactConfig hides secrets and nothing else', () => {
  const c = load({ argv: { user: 'ignite' }, env: { IGNITE_FUSE_PASSWORD: 'hunter2' } });
  const shown = redactConfig(c);
  assert.equal(shown.password, '(hidden)');
  assert.equal(shown.user, 'ignite');
  assert.equal(shown.tlsKeyPassphrase, undefined);
  assert.equal(shown.attrTtlMs, 1000);
  assert.doesNotMatch(JSON.stringify(shown), /hunter2/u);
});

test('without injected sources it reads process.env', () => {
  const name = 'IGNITE_FUSE_DIR_TTL';
  const before = process.env[name];
  process.env[name] = '7s';
  try {
    assert.equal(loadConfig({ argv: {} }).dirTtlMs, 7000);
  } finally {
    if (before === undefined) delete process.env[name]; else process.env[name] = before;
  }
});
