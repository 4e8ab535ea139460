// The `caches` suite (issues 6 and 7, speed): one cache of N rows x 1 MiB byte[] (default 2,000; IgniteDataset's
// published setup was 10,000 x 1 MB from a local node at 850 MB/s), loaded by Ignite's own data streamer
// (scripts/ignite-java load-bytes, never our code), then read whole by:
//   - java-scan:          Java thin client (IgniteClient) ScanQuery, page 32 rows (scripts/ignite-java scan-bench), the
//                         baseline;
//   - reader-whole:       our CacheReader, one scan of the whole cache (partition -1), page 32 rows, values decoded;
//   - reader-parts-c4:    our CacheReader over every partition, 4 at a time, page 32;
//   - mount-rows-p8:      the caches view (`ignite-fuse mount --caches-only`, fresh mount per sample: cold) read as
//                         rows/<key> files by 8 parallel readers (bench/caches/parallel-read.ts in its own process);
//   - mount-parts-p8:     the same mount read as partitions/*.tfrecord, 8 files in parallel;
//   - tf-tfrecord-p8:     unmodified TensorFlow, tf.data.TFRecordDataset(num_parallel_reads=8) over partitions/*.tfrecord.
// MB/s are decimal megabytes of file content per second (for the TFRecord paths that is the partition files' bytes,
// a little more than the payload: TFRecord framing and the Example encoding). Paths run interleaved, one repetition
// of each before the next, so a busy machine hurts them alike. The Ignite node is its own instance (`bench-caches`,
// default data region 3 GiB: the default instance's 1 GiB cannot hold 2 GiB of rows), stopped at the end when this
// suite started it.
//
// Rows: IGNITE_FUSE_BENCH_CACHES_ROWS, else --size / 1 MiB when --size is not the framework's default, else 2,000.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CacheReader } from '../../src/thin/reader.js';
import type { BenchContext, BenchSuite, PathMeasurement, WorkloadResult } from '../bench-types.js';
import { processCpuSeconds } from '../support/process-cpu.js';
import { CommandError, runChecked, runCommand } from '../support/run-command.js';
import { mbPerSec } from '../support/stats.js';

const MiB = 1024 * 1024;
const INSTANCE = 'bench-caches';
const DEFAULT_ROWS = 2000;
const ROW_BYTES = 1 * MiB;
/** Rows per scan page for every scan path (the caches view's own default page). */
const PAGE_ROWS = 32;
const PARALLEL_READERS = 8;
const READER_PARTITIONS_AT_ONCE = 4;
/** Reference figure: IgniteDataset, local node, 1 MB rows (TensorFlow I/O's published benchmark). */
export const IGNITE_DATASET_MB_PER_SEC = 850;

interface Sample {
  bytes: number;
  seconds: number;
  /** CPU seconds of the Ignite node during the sample. */
  nodeCpuSeconds?: number;
  /** CPU seconds of the measuring process (our reader) or of the mount daemon. */
  clientCpuSeconds?: number;
  extra?: Record<string, unknown>;
}

interface BenchPath {
  name: string;
  description: string;
  run(): Promise<Sample>;
}

function rowsFor(ctx: BenchContext): number {
  const env = process.env.IGNITE_FUSE_BENCH_CACHES_ROWS;
  if (env !== undefined && env !== '') {
    const n = Number(env);
    if (!Number.isInteger(n) || n < 1) throw new Error(`IGNITE_FUSE_BENCH_CACHES_ROWS must be a positive integer, not "${env}"`);
    return n;
  }
  return ctx.options.sizeBytes === 1024 * MiB ? DEFAULT_ROWS : Math.max(1, Math.round(ctx.options.sizeBytes / ROW_BYTES));
}

async function status(repoRoot: string): Promise<{ running: boolean; thinPort?: number; nodePids: number[] }> {
  const r = await runCommand(join(repoRoot, 'scripts/ignite'), ['status', '--instance', INSTANCE], { cwd: repoRoot });
  const port = /\bthin=127\.0\.0\.1:(\d+)/u.exec(r.stdout)?.[1];
  return { running: r.status === 0, thinPort: port === undefined ? undefined : Number(port), nodePids: [...r.stdout.matchAll(/\bpid=(\d+)/gu)].map((m) => Number(m[1])) };
}

function nodeCpu(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => sum + (processCpuSeconds(pid) ?? 0), 0);
}

/** Runs a program, returns its last stdout line that is a JSON object. */
async function runJson(file: string, args: readonly string[], repoRoot: string, env?: NodeJS.ProcessEnv): Promise<Record<string, number>> {
  const r = await runCommand(file, args, { cwd: repoRoot, env: env ?? process.env });
  if (r.status !== 0) throw new CommandError(`${file} ${args.slice(0, 4).join(' ')}`, r);
  const line = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (line === undefined) throw new Error(`${file} printed no JSON: ${r.stdout.slice(0, 200)} ${r.stderr.slice(-300)}`);
  return JSON.parse(line) as Record<string, number>;
}

async function scanWithReader(thinPort: number, cache: string, concurrency: number): Promise<number> {
  const reader = await CacheReader.connect({ endpoints: [{ host: '127.0.0.1', port: thinPort }], poolSize: Math.max(1, concurrency), requestTimeoutMs: 600_000 });
  try {
    let bytes = 0;
    let items;
    if (concurrency === 0) {
      items = reader.scanPartition(cache, -1, { pageSize: PAGE_ROWS });
    } else {
      const parts = Array.from({ length: await reader.partitionCount(cache) }, (_, i) => i);
      items = reader.scanPartitions(cache, parts, { concurrency, pageSize: PAGE_ROWS });
    }
    for await (const item of items) {
      if (!item.ok) throw item.error;
      bytes += ((await item.decodeValue()) as Buffer).length;
    }
    return bytes;
  } finally {
    reader.close();
  }
}

/** A fresh caches-only mount for one sample (cold: nothing cached, the view snapshots on first use). */
async function withMount<T>(repoRoot: string, thinPort: number, work: (dir: string, daemonPid: number) => Promise<T>): Promise<T & { mountSeconds: number }> {
  const tmp = await mkdtemp(join(tmpdir(), 'bench-caches-'));
  const dir = join(tmp, 'mnt');
  const cli = join(repoRoot, 'bin/ignite-fuse.js');
  const t0 = process.hrtime.bigint();
  await runChecked('mkdir', ['-p', dir]);
  await runChecked(process.execPath, [cli, 'mount', '--caches-only', dir, '--background', '--log-file', join(tmp, 'daemon.log'),
    '--pid-file', join(tmp, 'daemon.pid'), '--thin', `127.0.0.1:${thinPort}`, '--request-timeout', '10m', '--op-timeout', '10m'], { cwd: repoRoot });
  const mountSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const pid = Number((await readFile(join(tmp, 'daemon.pid'), 'utf8')).trim());
  try {
    return { ...(await work(dir, pid)), mountSeconds };
  } finally {
    await runChecked(process.execPath, [cli, 'unmount', dir], { cwd: repoRoot }).catch(() => undefined);
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
  }
}

function fmt(s: Sample): string {
  const cores = (x: number | undefined): string => (x === undefined ? '-' : (x / s.seconds).toFixed(2));
  return `${mbPerSec(s.bytes, s.seconds).toFixed(1)} MB/s (${(s.bytes / 1e6).toFixed(0)} MB in ${s.seconds.toFixed(2)} s; cores client ${cores(s.clientCpuSeconds)} node ${cores(s.nodeCpuSeconds)}; load ${loadavg()[0]!.toFixed(1)})`;
}

export const suite: BenchSuite = {
  name: 'caches',
  description: 'N x 1 MiB byte[] rows: Java thin ScanQuery vs our reader vs the caches view mount (rows, partitions, TensorFlow)',
  async run(ctx: BenchContext): Promise<WorkloadResult[]> {
    const { repoRoot } = ctx;
    const rows = rowsFor(ctx);
    const before = await status(repoRoot);
    if (!before.running) {
      ctx.note(`starting Ignite instance ${INSTANCE} (default region 3 GiB)`);
      const r = await runCommand(join(repoRoot, 'scripts/ignite'), ['start', '--instance', INSTANCE], {
        cwd: repoRoot,
        env: { ...process.env, IGNITE_FUSE_NODE_DEFAULT_MB: process.env.IGNITE_FUSE_NODE_DEFAULT_MB ?? String(Math.max(3072, Math.ceil((rows * ROW_BYTES * 1.4) / MiB))) },
      });
      if (r.status !== 0) throw new CommandError(`scripts/ignite start --instance ${INSTANCE}`, r);
    }
    const st = await status(repoRoot);
    if (st.thinPort === undefined) throw new Error(`scripts/ignite status --instance ${INSTANCE} shows no thin port`);
    const thinPort = st.thinPort;
    const cache = `bench-caches-${Date.now().toString(36)}`;
    const javaTool = join(repoRoot, 'scripts/ignite-java');
    const javaEnv = { ...process.env, IGNITE_FUSE_TOOL_HEAP_MB: process.env.IGNITE_FUSE_TOOL_HEAP_MB ?? '4096' };
    try {
      ctx.note(`loading ${rows} x ${ROW_BYTES} B rows into ${cache} with Java load-bytes (data streamer); load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
      const load = await runJson(javaTool, ['--instance', INSTANCE, 'load-bytes', cache, String(rows), String(ROW_BYTES)], repoRoot, javaEnv);
      ctx.note(`loaded: ${JSON.stringify(load)}`);
      const expected = rows * ROW_BYTES;

      const paths: BenchPath[] = [
        {
          name: 'java-scan',
          description: `Java IgniteClient ScanQuery, page ${PAGE_ROWS} (scripts/ignite-java scan-bench; JVM start not timed)`,
          async run() {
            const cpu0 = nodeCpu(st.nodePids);
            const r = await runJson(javaTool, ['--instance', INSTANCE, 'scan-bench', cache, '--page-size', String(PAGE_ROWS)], repoRoot, javaEnv);
            // Node CPU over the whole tool run (JVM start included): slightly overstates the node's share.
            return { bytes: r.bytes!, seconds: r.seconds!, nodeCpuSeconds: nodeCpu(st.nodePids) - cpu0 };
          },
        },
        ...[0, READER_PARTITIONS_AT_ONCE].map((concurrency): BenchPath => ({
          name: concurrency === 0 ? 'reader-whole' : `reader-parts-c${concurrency}`,
          description: concurrency === 0
            ? `our CacheReader, one scan of the whole cache, page ${PAGE_ROWS}, values decoded (in the bench process)`
            : `our CacheReader, every partition, ${concurrency} at a time, page ${PAGE_ROWS}, values decoded`,
          async run() {
            const cpu0 = process.cpuUsage();
            const node0 = nodeCpu(st.nodePids);
            const t0 = process.hrtime.bigint();
            const bytes = await scanWithReader(thinPort, cache, concurrency);
            const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
            const cpu = process.cpuUsage(cpu0);
            return { bytes, seconds, clientCpuSeconds: (cpu.user + cpu.system) / 1e6, nodeCpuSeconds: nodeCpu(st.nodePids) - node0 };
          },
        })),
        ...([['rows', 'rows', ''], ['parts', 'partitions', '.tfrecord']] as const).map(([short, sub, suffix]): BenchPath => ({
          name: `mount-${short}-p${PARALLEL_READERS}`,
          description: `caches view, fresh mount: ${sub}/ listed and every ${sub === 'rows' ? 'row' : 'partition'} file read, ${PARALLEL_READERS} files in parallel, 1 MiB reads (own Node process); daemon CPU as client`,
          async run() {
            return withMount(repoRoot, thinPort, async (dir, daemonPid) => {
              const d0 = processCpuSeconds(daemonPid) ?? 0;
              const node0 = nodeCpu(st.nodePids);
              const r = await runJson(process.execPath, [join(repoRoot, 'build/bench/caches/parallel-read.js'), join(dir, cache, sub), String(PARALLEL_READERS), suffix], repoRoot,
                { ...process.env, UV_THREADPOOL_SIZE: String(PARALLEL_READERS + 4) });
              return {
                bytes: r.bytes!, seconds: r.seconds!,
                clientCpuSeconds: (processCpuSeconds(daemonPid) ?? 0) - d0, nodeCpuSeconds: nodeCpu(st.nodePids) - node0,
                extra: { files: r.files, listSeconds: r.listSeconds },
              };
            });
          },
        })),
        {
          name: `tf-tfrecord-p${PARALLEL_READERS}`,
          description: `TensorFlow tf.data.TFRecordDataset(num_parallel_reads=${PARALLEL_READERS}) over partitions/*.tfrecord of a fresh mount (import not timed)`,
          async run() {
            return withMount(repoRoot, thinPort, async (dir, daemonPid) => {
              const d0 = processCpuSeconds(daemonPid) ?? 0;
              const node0 = nodeCpu(st.nodePids);
              const r = await runJson(join(repoRoot, '.venv/bin/python'), [join(repoRoot, 'bench/python/caches_tfrecord_bench.py'), join(dir, cache), '--parallel', String(PARALLEL_READERS)], repoRoot);
              // TFRecord framing: 8-byte length + 4-byte length CRC + 4-byte data CRC per record.
              return {
                bytes: r.recordBytes! + 16 * r.records!, seconds: r.seconds!,
                clientCpuSeconds: (processCpuSeconds(daemonPid) ?? 0) - d0, nodeCpuSeconds: nodeCpu(st.nodePids) - node0,
                extra: { files: r.files, records: r.records },
              };
            });
          },
        },
      ];
      const selected = ctx.options.paths === undefined ? paths : paths.filter((p) => ctx.options.paths!.includes(p.name));
      const samples = new Map<string, Sample[]>(selected.map((p) => [p.name, []]));
      for (let rep = 0; rep < ctx.options.repeat; rep++) {
        for (const p of selected) {
          const s = await p.run();
          if (p.name.startsWith('java') || p.name.startsWith('reader') || p.name === `mount-rows-p${PARALLEL_READERS}`) {
            if (s.bytes !== expected) throw new Error(`${p.name} read ${s.bytes} bytes, expected ${expected}`);
          }
          s.extra = { ...s.extra, loadAvg1: loadavg()[0] };
          samples.get(p.name)!.push(s);
          ctx.note(`${p.name} #${rep + 1}: ${fmt(s)}`);
        }
      }
      const measurements: PathMeasurement[] = selected.map((p) => {
        const ss = samples.get(p.name)!;
        return {
          path: p.name,
          description: p.description,
          unit: 'MB/s',
          samples: ss.map((s) => mbPerSec(s.bytes, s.seconds)),
          details: {
            rows, rowBytes: ROW_BYTES, bytes: ss.map((s) => s.bytes), seconds: ss.map((s) => s.seconds),
            clientCores: ss.map((s) => (s.clientCpuSeconds === undefined ? null : s.clientCpuSeconds / s.seconds)),
            nodeCores: ss.map((s) => (s.nodeCpuSeconds === undefined ? null : s.nodeCpuSeconds / s.seconds)),
            extra: ss.map((s) => s.extra), referenceIgniteDatasetMBps: IGNITE_DATASET_MB_PER_SEC,
          },
        };
      });
      return [{ workload: `scan-${rows}x1mib`, baseline: selected.some((p) => p.name === 'java-scan') ? 'java-scan' : undefined, measurements }];
    } finally {
      if (before.running) {
        await runCommand(join(repoRoot, '.venv/bin/python'), [join(repoRoot, 'test/support/pyignite/load.py'), '--port', String(thinPort), 'destroy', cache], { cwd: repoRoot });
      } else {
        ctx.note(`stopping Ignite instance ${INSTANCE}`);
        await runCommand(join(repoRoot, 'scripts/ignite'), ['stop', '--instance', INSTANCE], { cwd: repoRoot });
      }
    }
  },
};
