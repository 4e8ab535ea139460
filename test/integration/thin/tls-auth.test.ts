// TLS and authentication against real nodes started here (scripts/ignite --ssl / --auth, instances of our own
// that this file stops again): rows loaded by pyignite over the same secured connector are read back, and
// each usual mistake is one typed, one-line error.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { AuthenticationError, ConnectionClosedError, TlsError } from '../../../src/thin/errors.js';
import type { TlsOptions } from '../../../src/thin/connection.js';
import { CacheReader } from '../../../src/thin/reader.js';
import { canonical, DEFAULT_THIN, ensureInstance, keyText, load, statusOf, stopInstance, uniqueCache, type InstanceStatus } from './thin-node.js';

const SSL_INSTANCE = 'thin-ssl';
const AUTH_INSTANCE = 'thin-auth';

function oneLine(e: Error): void {
  assert.ok(!e.message.includes('\n'), `one line: ${e.message}`);
}

async function readBack(reader: CacheReader, cache: string): Promise<Set<string>> {
  const got = new Set<string>();
  for await (const item of reader.scanPartition(cache, -1)) {
    assert.ok(item.ok);
    got.add(keyText([canonical(await item.decodeKey(), item.keyType), canonical(await item.decodeValue(), item.valueType)]));
  }
  return got;
}

describe('TLS and authentication', { timeout: 10 * 60_000 }, () => {
  let ssl: InstanceStatus;
  let auth: InstanceStatus;
  let tlsOptions: TlsOptions;
  const file = (name: string): Buffer => readFileSync(`${ssl.sslDir}/${name}`);

  before(async () => {
    await ensureInstance('default');
    await ensureInstance(SSL_INSTANCE, ['--ssl']);
    await ensureInstance(AUTH_INSTANCE, ['--auth']);
    ssl = await statusOf(SSL_INSTANCE);
    auth = await statusOf(AUTH_INSTANCE);
    assert.ok(ssl.sslDir, 'status prints ssl-dir');
    tlsOptions = {
      ca: file('ca.pem'),
      cert: file('client.pem'),
      key: file('client-key.pem'),
      passphrase: file('client-key.pass').toString().trim(),
    };
  });

  after(async () => {
    await stopInstance(SSL_INSTANCE);
    await stopInstance(AUTH_INSTANCE);
  });

  it('reads over TLS (client certificate, CA verified) what pyignite wrote over TLS', async () => {
    const cache = uniqueCache('thin-tls');
    const loaded = await load('strings', cache, { port: ssl.thin.port, sslDir: ssl.sslDir, count: 3 });
    const reader = await CacheReader.connect({ endpoints: [ssl.thin], tls: tlsOptions });
    try {
      const want = new Set(loaded.rows!.map((r) => keyText([r.key, r.value])));
      assert.deepEqual(await readBack(reader, cache), want);
    } finally {
      reader.close();
    }
  });

  it('untrusted server certificate', async () => {
    const { ca: _ca, ...noCa } = tlsOptions;
    await assert.rejects(CacheReader.connect({ endpoints: [ssl.thin], tls: noCa }), (e: Error) => {
      assert.ok(e instanceof TlsError && e.reason === 'untrusted-certificate', `${e.name}: ${e.message}`);
      assert.match(e.message, /^TLS: the certificate of 127\.0\.0\.1:\d+ is not trusted/);
      oneLine(e);
      return true;
    });
  });

  it('wrong key passphrase', async () => {
    await assert.rejects(CacheReader.connect({ endpoints: [ssl.thin], tls: { ...tlsOptions, passphrase: 'not-it' } }), (e: Error) => {
      assert.ok(e instanceof TlsError && e.reason === 'bad-key-passphrase', `${e.name}: ${e.message}`);
      assert.match(e.message, /wrong key passphrase/);
      oneLine(e);
      return true;
    });
  });

  it('TLS to a plain port', async () => {
    await assert.rejects(CacheReader.connect({ endpoints: [DEFAULT_THIN], tls: tlsOptions, connectTimeoutMs: 3000 }), (e: Error) => {
      assert.ok(e instanceof TlsError && e.reason === 'not-tls-port', `${e.name}: ${e.message}`);
      assert.match(e.message, /is TLS enabled on that port\?/);
      oneLine(e);
      return true;
    });
  });

  it('plain connection to a TLS port', async () => {
    await assert.rejects(CacheReader.connect({ endpoints: [ssl.thin], connectTimeoutMs: 3000 }), (e: Error) => {
      assert.ok(e instanceof ConnectionClosedError, `${e.name}: ${e.message}`);
      assert.match(e.message, /does the server require TLS\?/);
      oneLine(e);
      return true;
    });
  });

  it('client certificate the server does not trust', async () => {
    const rogue = { ...tlsOptions, cert: file('rogue-client.pem'), key: file('rogue-client-key.pem') };
    await assert.rejects(CacheReader.connect({ endpoints: [ssl.thin], tls: rogue }), (e: Error) => {
      assert.ok(e instanceof TlsError && e.reason === 'closed-by-server', `${e.name}: ${e.message}`);
      oneLine(e);
      return true;
    });
  });

  it('authentication: right password reads pyignite rows; wrong or none is refused with the server reason', async () => {
    const cache = uniqueCache('thin-auth');
    const creds = { username: 'ignite', password: 'ignite' };
    const loaded = await load('strings', cache, { port: auth.thin.port, count: 2, ...creds });
    const reader = await CacheReader.connect({ endpoints: [auth.thin], credentials: creds });
    try {
      assert.equal((await readBack(reader, cache)).size, loaded.rows!.length);
    } finally {
      reader.close();
    }
    await assert.rejects(CacheReader.connect({ endpoints: [auth.thin], credentials: { username: 'ignite', password: 'wrong' } }), (e: Error) => {
      assert.ok(e instanceof AuthenticationError, `${e.name}: ${e.message}`);
      assert.match(e.message, /^authentication failed at 127\.0\.0\.1:\d+: The user name or password is incorrect/);
      oneLine(e);
      return true;
    });
    await assert.rejects(CacheReader.connect({ endpoints: [auth.thin] }), AuthenticationError);
  });
});
