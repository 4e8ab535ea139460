// The caches view (CachesBackend) against the real Ignite 2.8.1 node, with rows loaded by pyignite
// (test/support/pyignite/load_view_data.py, whose manifest states every row file's expected name and content from
// the documented mapping). A fake clock drives --view-ttl, so no test sleeps or asserts on time.
import assert from 'node:assert/strict';
import { readdir, stat as fsStat } from 'node:fs/promises';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { isFsError } from '../../src/fs/errors.js';
import { createMemoryLogger } from '../../src/log/memory-logger.js';
import { CacheReader } from '../../src/thin/reader.js';
import { CachesBackend } from '../../src/views/caches/caches-backend.js';
import { decodeTfRecords } from '../../src/views/caches/tfrecord.js';
import { DEFAULT_THIN, ensureInstance, REPO_ROOT, run } from './thin/thin-node.js';

const PYTHON = path.join(REPO_ROOT, '.venv', 'bin', 'python');
const LOADER = path.join(REPO_ROOT, 'test', 'support', 'pyignite', 'load_view_data.py');
const TTL_MS = 30_000;

type Expected =
  | { kind: 'raw'; b64: string }
  | { kind: 'text'; text: string }
  | { kind: 'json'; value: unknown }
  | { kind: 'eio'; typeCode: number };
type Manifest = Record<string, Record<string, Expected>>;

async function loader(args: string[]): Promise<string> {
  const r = await run(PYTHON, [LOADER, ...args]);
  if (r.code !== 0) throw new Error(`load_view_data.py ${args.join(' ')} failed (${r.code}):\n${r.stderr}`);
  return r.stdout;
}

class FakeClock {
  nowMs = 1_700_000_000_000;
  readonly now = (): number => this.nowMs;
}

async function readAll(backend: CachesBackend, p: string): Promise<Buffer> {
  const h = await backend.openRead(p);
  try {
    const parts: Buffer[] = [];
    // Odd-sized reads cross the boundaries of spool chunks and records.
    for (let pos = 0; pos < h.size; ) {
      const b = await h.readAt(pos, 65_537);
      assert.ok(b.length > 0, `short read at ${pos} of ${h.size}`);
      parts.push(b);
      pos += b.length;
    }
    assert.equal((await h.readAt(h.size, 10)).length, 0, 'nothing past the size');
    return Buffer.concat(parts);
  } finally {
    await h.close();
  }
}

function checkContent(got: Buffer, exp: Expected, where: string): void {
  if (exp.kind === 'raw') assert.ok(got.equals(Buffer.from(exp.b64, 'base64')), `${where}: raw bytes differ`);
  else if (exp.kind === 'text') assert.equal(got.toString('utf8'), exp.text, where);
  else if (exp.kind === 'json') {
    const text = got.toString('utf8');
    assert.ok(text.endsWith('\n') && !text.slice(0, -1).includes('\n'), `${where}: one line of JSON`);
    assert.deepEqual(JSON.parse(text), exp.value, where);
  } else assert.fail(`${where}: expected EIO, got content`);
}

async function expectFsError(p: Promise<unknown>, codes: string[], what: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isFsError(e), `${what}: ${String(e)}`);
    assert.ok(codes.includes(e.code), `${what}: got ${e.code}, want ${codes.join('|')}`);
    return true;
  });
}

describe('caches view against the real node', { timeout: 20 * 60_000 }, () => {
  const prefix = `cv_${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const created: string[] = [];
  let manifest: Manifest;
  let reader: CacheReader;

  before(async () => {
    await ensureInstance('default');
    manifest = JSON.parse(await loader(['load', prefix])) as Manifest;
    created.push(...Object.keys(manifest));
    reader = await CacheReader.connect({ endpoints: [DEFAULT_THIN] });
  });

  after(async () => {
    reader?.close();
    if (created.length > 0) await loader(['destroy', ...created]).catch(() => undefined);
  });

  it('lists caches as directories (escaped names), with rows/, partitions/ and schema.json', async () => {
    const backend = await CachesBackend.create(reader, { viewTtlMs: TTL_MS, logger: createMemoryLogger() });
    try {
      const root = (await backend.list('/')).map((e) => e.name);
      for (const cache of Object.keys(manifest)) assert.ok(root.includes(cache), `${cache} listed`);
      assert.ok(!root.some((n) => n.startsWith('igfs-internal-')), 'IGFS internal caches hidden');
      const inside = await backend.list(`/${prefix}-objects`);
      assert.deepEqual(inside.map((e) => [e.name, e.attrs.kind]).sort(),
        [['partitions', 'directory'], ['rows', 'directory'], ['schema.json', 'file']]);
      await expectFsError(backend.stat(`/${prefix}-no-such-cache`), ['ENOENT'], 'missing cache');
      await expectFsError(backend.stat(`/${prefix}-objects/other`), ['ENOENT'], 'missing entry');
      await expectFsError(backend.stat(`/${prefix}-objects/partitions/1024.tfrecord`), ['ENOENT'], 'partition past the count');
      await expectFsError(backend.stat(`/${prefix}-objects/partitions/01.tfrecord`), ['ENOENT'], 'non-canonical partition name');
    } finally {
      await backend.shutdown();
    }
  });

  it('every row file equals what pyignite loaded (byte[], String, objects, mixed shapes, key types, SQL table)', async () => {
    const logger = createMemoryLogger();
    const backend = await CachesBackend.create(reader, { viewTtlMs: TTL_MS, logger });
    try {
      for (const [cache, rows] of Object.entries(manifest)) {
        const listing = await backend.list(`/${cache}/rows`);
        const names = listing.map((e) => e.name);
        assert.equal(names.length, Object.keys(rows).length, `${cache}: one file per entry`);
        for (const [name, exp] of Object.entries(rows)) {
          let fileName = name;
          if (name.startsWith('LONG:')) {
            // Over-long keys are shortened with a hash; found through the listing.
            const long = names.filter((n) => /~h[0-9a-f]{32}$/.test(n));
            assert.equal(long.length, 1, `${cache}: one shortened name`);
            fileName = long[0]!;
            assert.ok(Buffer.byteLength(fileName) <= 255);
          }
          assert.ok(names.includes(fileName), `${cache}: ${fileName} listed (have ${names.slice(0, 20).join(', ')})`);
          const p = `/${cache}/rows/${fileName}`;
          const attrs = await backend.stat(p);
          assert.equal(attrs.kind, 'file');
          if (exp.kind === 'eio') {
            await expectFsError(readAll(backend, p), ['EIO'], p);
            assert.ok(logger.entries.some((e) => e.level === 'error' && e.message.includes(`type code ${exp.typeCode}`)),
              `a log line names type code ${exp.typeCode}`);
            continue;
          }
          const got = await readAll(backend, p);
          assert.equal(got.length, attrs.size, `${p}: size before the read equals the content`);
          assert.equal(listing.find((e) => e.name === fileName)!.attrs.size, attrs.size, `${p}: listing size`);
          checkContent(got, exp, p);
        }
      }
    } finally {
      await backend.shutdown();
    }
  });

  it('schema.json describes the rows; partition files hold every decodable entry as TFRecords', async () => {
    const logger = createMemoryLogger();
    const backend = await CachesBackend.create(reader, { viewTtlMs: TTL_MS, logger });
    try {
      const schema = JSON.parse((await readAll(backend, `/${prefix}_sql/schema.json`)).toString()) as {
        rows: number; value: { fields: Array<{ name: string }> }; features: Array<{ name: string; spec: string }>;
      };
      assert.equal(schema.rows, 3);
      assert.deepEqual(schema.value.fields.map((f) => f.name).sort(), ['AREA', 'NAME', 'POP']);
      assert.ok(schema.features.some((f) => f.name === 'val/POP' && f.spec === 'tf.io.FixedLenFeature([], tf.int64)'));
      for (const [cache, rows] of Object.entries(manifest)) {
        const parts = await backend.list(`/${cache}/partitions`);
        assert.equal(parts.length, 1024, `${cache}: a file per partition`);
        let records = 0;
        for (const part of parts) {
          const data = await readAll(backend, `/${cache}/partitions/${part.name}`);
          assert.equal(data.length, part.attrs.size, `${cache}/${part.name}: listed size`);
          records += decodeTfRecords(data).length;
        }
        const decodable = Object.values(rows).filter((r) => r.kind !== 'eio').length;
        assert.equal(records, decodable, `${cache}: one record per decodable row`);
      }
    } finally {
      await backend.shutdown();
    }
  });

  it('read-only: every mutation is EROFS', async () => {
    const backend = await CachesBackend.create(reader, { viewTtlMs: TTL_MS, logger: createMemoryLogger() });
    try {
      const row = `/${prefix}-strings/rows/plain`;
      assert.equal(backend.readOnly, true);
      await expectFsError(backend.create(`/${prefix}-strings/rows/new`, { overwrite: false }), ['EROFS'], 'create');
      await expectFsError(backend.create(row, { overwrite: true }), ['EROFS'], 'overwrite');
      await expectFsError(backend.append(row), ['EROFS'], 'append');
      await expectFsError(backend.mkdir('/newcache', {}), ['EROFS'], 'mkdir');
      await expectFsError(backend.unlink(row), ['EROFS'], 'unlink');
      await expectFsError(backend.rmdir(`/${prefix}-strings`), ['EROFS'], 'rmdir');
      await expectFsError(backend.rename(row, `${row}2`), ['EROFS'], 'rename');
      await expectFsError(backend.setAttrs(row, { mode: 0o600 }), ['EROFS'], 'setAttrs');
      assert.equal((await readAll(backend, row)).toString(), (manifest[`${prefix}-strings`]!.plain as { text: string }).text);
    } finally {
      await backend.shutdown();
    }
  });

  it('a snapshot is served unchanged (size and bytes) until the TTL passes, then shows the change', async () => {
    const cache = `${prefix}-ttl`;
    created.push(cache);
    await loader(['put', cache, '1', 'old']);
    const clock = new FakeClock();
    const backend = await CachesBackend.create(reader, { viewTtlMs: TTL_MS, logger: createMemoryLogger(), clock: clock.now });
    try {
      const row = `/${cache}/rows/1`;
      assert.equal((await backend.stat(row)).size, 3);
      const held = await backend.openRead(row);
      await loader(['put', cache, '1', 'a longer new value']);
      await loader(['put', cache, '2', 'second']);
      clock.nowMs += TTL_MS - 1;
      assert.equal((await backend.stat(row)).size, 3, 'same size within the TTL');
      assert.equal((await readAll(backend, row)).toString(), 'old');
      assert.deepEqual((await backend.list(`/${cache}/rows`)).map((e) => e.name), ['1']);
      clock.nowMs += 1;
      // Past the TTL, but a file opened from the snapshot is still open: its size and bytes never change under it.
      assert.equal((await backend.stat(row)).size, 3, 'pinned by the open file');
      assert.equal(held.size, 3);
      assert.equal((await held.readAt(0, 100)).toString(), 'old');
      await held.close();
      assert.equal((await backend.stat(row)).size, 'a longer new value'.length, 'the change once no file holds it');
      assert.equal((await readAll(backend, row)).toString(), 'a longer new value');
      assert.deepEqual((await backend.list(`/${cache}/rows`)).map((e) => e.name).sort(), ['1', '2']);
    } finally {
      await backend.shutdown();
    }
  });

  it('a cache destroyed while mounted: open files read ENOENT or EIO, the directory goes after the TTL, no crash', async () => {
    const cache = `${prefix}-gone`;
    created.push(cache);
    await loader(['put', cache, '1', 'doomed']);
    const clock = new FakeClock();
    const backend = await CachesBackend.create(reader, { viewTtlMs: TTL_MS, logger: createMemoryLogger(), clock: clock.now });
    try {
      const row = await backend.openRead(`/${cache}/rows/1`);
      const part = (await backend.list(`/${cache}/partitions`)).find((e) => e.attrs.size > 0)!;
      const partHandle = await backend.openRead(`/${cache}/partitions/${part.name}`);
      await loader(['destroy', cache]);
      clock.nowMs += TTL_MS;
      await expectFsError(row.readAt(0, 10), ['ENOENT', 'EIO'], 'open row file');
      await expectFsError(partHandle.readAt(0, 10), ['ENOENT', 'EIO'], 'open partition file');
      await expectFsError(backend.stat(`/${cache}`), ['ENOENT'], 'the directory');
      assert.ok(!(await backend.list('/')).some((e) => e.name === cache), 'gone from the listing');
      await expectFsError(backend.openRead(`/${cache}/rows/1`), ['ENOENT'], 'open after');
      await row.close();
      await partHandle.close();
      // The view goes on serving the other caches.
      assert.equal((await readAll(backend, `/${prefix}-strings/rows/plain`)).length > 0, true);
    } finally {
      await backend.shutdown();
    }
  });

  it('rows/ of 100,000 entries lists with a compact index; contents spool to disk, the temp dir goes at shutdown', async () => {
    const cache = `${prefix}-many`;
    created.push(cache);
    const count = 100_000;
    await loader(['many', cache, String(count)]);
    const backend = await CachesBackend.create(reader, {
      viewTtlMs: TTL_MS, logger: createMemoryLogger(), maxSnapshotMemoryBytes: 256 * 1024, memoryBudgetBytes: 1024 * 1024,
    });
    const tempDir = backend.tempDir;
    try {
      const names = (await backend.list(`/${cache}/rows`)).map((e) => e.name);
      assert.equal(names.length, count);
      assert.equal(new Set(names).size, count);
      const spooled = await readdir(tempDir);
      assert.ok(spooled.length >= 1, 'row contents spooled to a file');
      const bytes = (await Promise.all(spooled.map((f) => fsStat(path.join(tempDir, f))))).reduce((n, s) => n + s.size, 0);
      assert.ok(bytes >= count * 'row 0'.length, `spool holds the contents (${bytes} bytes)`);
      for (const k of [0, 1, 4242, 99_999]) {
        assert.equal((await readAll(backend, `/${cache}/rows/${k}`)).toString(), `row ${k}`);
      }
    } finally {
      await backend.shutdown();
    }
    await assert.rejects(readdir(tempDir), { code: 'ENOENT' });
  });
});
