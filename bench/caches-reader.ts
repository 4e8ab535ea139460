// Thin-client data path measurements (not a test: nothing asserts on time). Run on its own with
//   npx tsc -p . && node build/bench/caches-reader.js [--rows 500] [--row-mib 1] [--compare-rows 16]
// or call `measureCachesReader` from a bench suite. Workloads:
//   decode-1mib-bytes   split a page of 1 MiB byte[] rows and decode each value, in memory
//   scan-<N>x1mib       scan N rows of 1 MiB loaded by pyignite from the local node (1 and 4 partitions at once)
//   compare-<M>x1mib    a whole-cache scan of M rows with apache-ignite-client 1.0.0 next to ours (its byte[] decoding
//                       is per element; M is kept small because it is about 8 MB/s)
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as path from 'node:path';
import type { PathMeasurement, WorkloadResult } from './bench-types.js';
import { decodeValue, NO_BINARY_TYPES } from '../src/thin/protocol/binary-decoder.js';
import { ByteReader } from '../src/thin/protocol/byte-reader.js';
import { decodeScanPage } from '../src/thin/protocol/query-scan.js';
import { CacheReader } from '../src/thin/reader.js';

const MiB = 1024 * 1024;
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface CachesReaderBenchOptions {
  rows: number;
  rowBytes: number;
  compareRows: number;
  repeat: number;
  thin: { host: string; port: number };
  note: (m: string) => void;
}

function loadRows(cache: string, count: number, size: number, port: number): void {
  execFileSync(path.join(repoRoot, '.venv/bin/python'),
    [path.join(repoRoot, 'test/support/pyignite/load.py'), '--port', String(port), 'big', cache, '--count', String(count), '--size', String(size)],
    { stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 64 * MiB });
}

function destroy(cache: string, port: number): void {
  try {
    execFileSync(path.join(repoRoot, '.venv/bin/python'),
      [path.join(repoRoot, 'test/support/pyignite/load.py'), '--port', String(port), 'destroy', cache], { stdio: 'ignore' });
  } catch {
    // best effort
  }
}

async function time(fn: () => Promise<number>): Promise<number> {
  const t0 = process.hrtime.bigint();
  const bytes = await fn();
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  return bytes / MiB / s;
}

/** A scan page (as the server sends it after the cursor id) of `rows` byte[] values of `rowBytes`. */
function syntheticPage(rows: number, rowBytes: number): Buffer {
  const parts: Buffer[] = [];
  const count = Buffer.alloc(4);
  count.writeInt32LE(rows);
  parts.push(count);
  const payload = Buffer.alloc(rowBytes, 0xa5);
  for (let i = 0; i < rows; i++) {
    const key = Buffer.alloc(5);
    key[0] = 3;
    key.writeInt32LE(i, 1);
    const head = Buffer.alloc(5);
    head[0] = 12;
    head.writeInt32LE(rowBytes, 1);
    parts.push(key, head, payload);
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

/** concurrency 0: one scan of the whole cache (partition -1); else every partition, `concurrency` at a time. */
async function scanOurs(cache: string, thin: CachesReaderBenchOptions['thin'], concurrency: number, pageSize: number): Promise<number> {
  const reader = await CacheReader.connect({ endpoints: [thin], poolSize: Math.max(1, concurrency), requestTimeoutMs: 600_000 });
  try {
    const parts = Array.from({ length: await reader.partitionCount(cache) }, (_, i) => i);
    let bytes = 0;
    const items = concurrency === 0 ? reader.scanPartition(cache, -1, { pageSize }) : reader.scanPartitions(cache, parts, { concurrency, pageSize });
    for await (const item of items) {
      if (!item.ok) throw item.error;
      bytes += ((await item.decodeValue()) as Buffer).length;
    }
    return bytes;
  } finally {
    reader.close();
  }
}

interface ApacheModule {
  new (): { connect(c: unknown): Promise<void>; getCache(n: string): ApacheCache; disconnect(): void };
  IgniteClientConfiguration: new (...endpoints: string[]) => unknown;
  ScanQuery: new () => { setPageSize(n: number): unknown };
  ObjectType: { PRIMITIVE_TYPE: { INTEGER: number; BYTE_ARRAY: number } };
}
interface ApacheCache {
  setKeyType(t: number): ApacheCache;
  setValueType(t: number): ApacheCache;
  query(q: unknown): Promise<{ getAll(): Promise<Array<{ getValue(): unknown }>> }>;
}

async function scanApache(cache: string, thin: CachesReaderBenchOptions['thin']): Promise<number> {
  const Apache = createRequire(import.meta.url)('apache-ignite-client') as ApacheModule;
  const client = new Apache();
  await client.connect(new Apache.IgniteClientConfiguration(`${thin.host}:${thin.port}`));
  try {
    const c = client.getCache(cache).setKeyType(Apache.ObjectType.PRIMITIVE_TYPE.INTEGER).setValueType(Apache.ObjectType.PRIMITIVE_TYPE.BYTE_ARRAY);
    const q = new Apache.ScanQuery();
    q.setPageSize(8);
    const cursor = await c.query(q);
    let bytes = 0;
    // hasMore() is null before the first page is fetched; getAll() walks every page.
    for (const entry of await cursor.getAll()) bytes += (entry.getValue() as number[]).length;
    return bytes;
  } finally {
    client.disconnect();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function samples(n: number, fn: () => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await time(fn));
  return out;
}

export async function measureCachesReader(o: CachesReaderBenchOptions): Promise<WorkloadResult[]> {
  const results: WorkloadResult[] = [];

  // 1. In-memory: page split + decode of 1 MiB byte[] rows.
  const pageRows = 64;
  const page = syntheticPage(pageRows, o.rowBytes);
  const decodeSamples = await samples(o.repeat, async () => {
    let bytes = 0;
    for (let round = 0; round < 16; round++) {
      const p = decodeScanPage(new ByteReader(page));
      for (const e of p.entries) {
        if ('error' in e) throw e.error;
        bytes += (decodeValue(e.value, NO_BINARY_TYPES) as Buffer).length;
      }
    }
    return bytes;
  });
  results.push({
    workload: 'decode-1mib-bytes',
    measurements: [{ path: 'ignite-fuse', description: 'decodeScanPage + decodeValue of byte[] rows (slices), in memory', unit: 'MB/s', samples: decodeSamples, details: { rowBytes: o.rowBytes, rowsPerPage: pageRows } }],
  });

  // 2. Real node: N rows of 1 MiB.
  const big = `bench-reader-${Date.now().toString(36)}`;
  o.note(`loading ${o.rows} x ${o.rowBytes} B rows into ${big} with pyignite`);
  loadRows(big, o.rows, o.rowBytes, o.thin.port);
  try {
    const ms: PathMeasurement[] = [];
    for (const [concurrency, pageSize] of [[0, 1], [0, 8], [1, 4], [4, 4]] as const) {
      const name = concurrency === 0 ? `whole-p${pageSize}` : `parts-c${concurrency}-p${pageSize}`;
      o.note(`scanning ${big}: ${name}`);
      ms.push({
        path: `ignite-fuse-${name}`,
        description: concurrency === 0
          ? `CacheReader.scanPartition(-1), page ${pageSize} rows, value decoded`
          : `CacheReader.scanPartitions over every partition, ${concurrency} at a time, page ${pageSize} rows, value decoded`,
        unit: 'MB/s',
        samples: await samples(o.repeat, () => scanOurs(big, o.thin, concurrency, pageSize)),
        details: { rows: o.rows, rowBytes: o.rowBytes },
      });
    }
    results.push({ workload: `scan-${o.rows}x1mib`, baseline: 'ignite-fuse-whole-p1', measurements: ms });
  } finally {
    destroy(big, o.thin.port);
  }

  // 3. Side by side with apache-ignite-client 1.0.0 on a small cache.
  const small = `bench-reader-cmp-${Date.now().toString(36)}`;
  loadRows(small, o.compareRows, o.rowBytes, o.thin.port);
  try {
    o.note(`scanning ${small} with apache-ignite-client 1.0.0 (slow by design)`);
    const apache = await samples(1, () => scanApache(small, o.thin));
    const ours = await samples(o.repeat, () => scanOurs(small, o.thin, 0, 8));
    results.push({
      workload: `compare-${o.compareRows}x1mib`,
      baseline: 'apache-ignite-client',
      measurements: [
        { path: 'apache-ignite-client', description: 'apache-ignite-client 1.0.0 ScanQuery, page 8, BYTE_ARRAY values', unit: 'MB/s', samples: apache },
        { path: 'ignite-fuse', description: 'CacheReader.scanPartition(-1), page 8', unit: 'MB/s', samples: ours },
      ],
    });
  } finally {
    destroy(small, o.thin.port);
  }
  return results;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '500' },
      'row-mib': { type: 'string', default: '1' },
      'compare-rows': { type: 'string', default: '8' },
      repeat: { type: 'string', default: '3' },
      port: { type: 'string', default: '10800' },
    },
  });
  const results = await measureCachesReader({
    rows: Number(values.rows),
    rowBytes: Number(values['row-mib']) * MiB,
    compareRows: Number(values['compare-rows']),
    repeat: Number(values.repeat),
    thin: { host: '127.0.0.1', port: Number(values.port) },
    note: (m) => process.stderr.write(`${m}\n`),
  });
  for (const w of results) {
    const base = w.measurements.find((m) => m.path === w.baseline);
    for (const m of w.measurements) {
      const v = median(m.samples);
      const ratio = base && base !== m ? ` (${(v / median(base.samples)).toFixed(1)}x ${w.baseline})` : '';
      process.stdout.write(`${w.workload.padEnd(20)} ${m.path.padEnd(22)} ${v.toFixed(1).padStart(10)} ${m.unit}${ratio}\n`);
    }
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().catch((err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  });
}
