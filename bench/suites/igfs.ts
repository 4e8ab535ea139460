// The `igfs` suite: sequential write then read of one large file (default 1 GiB) through
//   - ignite-fuse: our IgfsClient over the IGFS IPC protocol (TCP 127.0.0.1:10500), in this process;
//   - java-igfs:   Ignite's IgniteFileSystem API on a Java client node, in its own JVM (scripts/ignite-java
//                  igfs-bench), the baseline;
//   - java-hadoop: IgniteHadoopFileSystem over the same IPC endpoint (scripts/ignite-java hadoop-bench), when the
//                  build has it.
// Paths run interleaved, one repetition of each before the next, so a busy machine hurts them alike; each path
// writes its own file, reads it back, and deletes it before the next starts (the IGFS data region is 2 GiB).
import { randomBytes } from 'node:crypto';
import { IgfsClient, type IgfsReader } from '../../src/igfs/client.js';
import type { BenchContext, BenchSuite, PathMeasurement, WorkloadResult } from '../bench-types.js';
import { ensureIgnite, ignitePids } from '../support/ignite.js';
import { processCpuSeconds } from '../support/process-cpu.js';
import { runJavaBench } from '../support/java-tools.js';
import { mbPerSec } from '../support/stats.js';

const KiB = 1024;
const MiB = 1024 * KiB;

/** Our defaults: what `ignite-fuse igfs put/get` and the mount use (see docs/BENCHMARKS.md for the sweep). */
const OURS = { writeBlockBytes: 1 * MiB, readChunkBytes: 1 * MiB, readsInFlight: 4 };
/** The Java tools' transfer buffer (their default). */
const JAVA_BUFFER_BYTES = 1 * MiB;

/** Alternatives measured with --sweep. */
const SWEEP_WRITE_BLOCKS = [256 * KiB, 4 * MiB];
const SWEEP_READS: { chunkBytes: number; inFlight: number }[] = [
  { chunkBytes: 256 * KiB, inFlight: 8 },
  { chunkBytes: 1 * MiB, inFlight: 1 },
  { chunkBytes: 1 * MiB, inFlight: 8 },
  { chunkBytes: 4 * MiB, inFlight: 4 },
];

/** Read streams (and connections) of the multi-stream read experiment in --sweep. */
const SWEEP_READ_STREAMS = [2, 4];

/** How long to wait for IGFS to purge a deleted file's blocks before the next write needs the space. */
const SPACE_WAIT_MS = 120_000;

/**
 * Request deadline of the benchmark's clients. CLOSE of a large file waits for the server to commit it, which took
 * over the library's 30 s default on the loaded 2-core machine; here a slow reply is part of the time measured.
 */
const BENCH_REQUEST_TIMEOUT_MS = 300_000;

interface Timing {
  seconds: number;
  /** CPU time this process spent (user + system), for our paths only. */
  cpuSeconds?: number;
  /** CPU time the Ignite server node(s) spent meanwhile (for Java paths this includes the client node's join). */
  serverCpuSeconds?: number;
}

interface BenchPath {
  name: string;
  description: string;
  details: Record<string, unknown>;
  write(file: string, bytes: number): Promise<Timing>;
  read(file: string, bytes: number): Promise<Timing>;
}

function fmtCores(t: Timing): string {
  const f = (x: number | undefined): string => (x === undefined ? '-' : (x / t.seconds).toFixed(2));
  return `${f(t.cpuSeconds)}/${f(t.serverCpuSeconds)}`;
}

function sizeName(bytes: number): string {
  return bytes % MiB === 0 ? `${bytes / MiB}MiB` : `${bytes / KiB}KiB`;
}

async function timed(op: () => Promise<void>): Promise<Timing> {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await op();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

function oursPath(client: IgfsClient, name: string, writeBlockBytes: number, read: { chunkBytes: number; inFlight: number }): BenchPath {
  return {
    name,
    description: `ignite-fuse IgfsClient over IPC TCP: WRITE_BLOCK ${sizeName(writeBlockBytes)}; READ_BLOCK ${sizeName(read.chunkBytes)} x ${read.inFlight} in flight`,
    details: { api: 'IgfsClient', writeBlockBytes, readChunkBytes: read.chunkBytes, readsInFlight: read.inFlight },
    write: (file, bytes) => timed(async () => {
      const block = randomBytes(writeBlockBytes);
      const writer = await client.openCreate(file, { overwrite: true });
      try {
        for (let done = 0; done < bytes; done += writeBlockBytes) {
          const n = Math.min(writeBlockBytes, bytes - done);
          // write() resolves when the socket has taken the block (backpressure), like a streaming `put`.
          await writer.write(n === writeBlockBytes ? block : block.subarray(0, n));
        }
      } finally {
        await writer.close();
      }
    }),
    read: (file, bytes) => timed(async () => {
      const reader = await client.openRead(file);
      let done = 0;
      try {
        for await (const chunk of reader.chunks(read)) done += chunk.length;
      } finally {
        await reader.close();
      }
      if (done !== bytes) throw new Error(`read ${done} bytes of ${file}, expected ${bytes}`);
    }),
  };
}

/**
 * Sequential read of [0, bytes) spread over several streams of the same file (each OPEN_READ on its own pooled
 * connection), `inFlight` READ_BLOCKs outstanding in total, consumed in order. Bench-only experiment: the server
 * serializes READ_BLOCKs of one stream (IgfsInputStream.readChunks is synchronized, igfs-protocol.md §5.1), so one
 * stream cannot keep several server threads busy however deep the pipeline is.
 */
async function readMultiStream(client: IgfsClient, file: string, bytes: number, streams: number, chunkBytes: number, inFlight: number): Promise<void> {
  const readers: IgfsReader[] = [];
  for (let i = 0; i < streams; i++) readers.push(await client.openRead(file));
  try {
    const queue: Promise<Buffer>[] = [];
    let next = 0;
    let issued = 0;
    let done = 0;
    const issue = (): void => {
      while (queue.length < inFlight && next < bytes) {
        const length = Math.min(chunkBytes, bytes - next);
        const p = readers[issued++ % streams]!.read(next, length);
        p.catch(() => undefined);
        queue.push(p);
        next += length;
      }
    };
    issue();
    while (queue.length > 0) {
      const data = await queue.shift()!;
      done += data.length;
      issue();
    }
    if (done !== bytes) throw new Error(`read ${done} bytes of ${file}, expected ${bytes}`);
  } finally {
    await Promise.all(readers.map((r) => r.close().catch(() => undefined)));
  }
}

function multiStreamPath(client: IgfsClient, name: string, streams: number, chunkBytes: number, inFlight: number): BenchPath {
  const base = oursPath(client, name, OURS.writeBlockBytes, { chunkBytes, inFlight });
  return {
    ...base,
    description: `ignite-fuse IgfsClient, experiment: reads over ${streams} streams on ${streams} connections, READ_BLOCK ${sizeName(chunkBytes)} x ${inFlight} in flight in total`,
    details: { ...base.details, readStreams: streams },
    read: (file, bytes) => timed(() => readMultiStream(client, file, bytes, streams, chunkBytes, inFlight)),
  };
}

function javaPath(ctx: BenchContext, tool: 'igfs-bench' | 'hadoop-bench'): BenchPath {
  const api = tool === 'igfs-bench' ? 'IgniteFileSystem (Java client node, its own JVM)' : 'IgniteHadoopFileSystem over IPC TCP (its own JVM)';
  const run = async (op: 'write' | 'read', file: string, bytes: number): Promise<Timing> => {
    const r = await runJavaBench(ctx.repoRoot, tool, op, file, bytes, JAVA_BUFFER_BYTES);
    return { seconds: r.seconds };
  };
  return {
    name: tool === 'igfs-bench' ? 'java-igfs' : 'java-hadoop',
    description: `${api}, scripts/ignite-java ${tool}, ${sizeName(JAVA_BUFFER_BYTES)} buffer`,
    details: { api, tool, bufferBytes: JAVA_BUFFER_BYTES },
    write: (file, bytes) => run('write', file, bytes),
    read: (file, bytes) => run('read', file, bytes),
  };
}

interface CpuSamples {
  clientCores?: number[];
  serverCores?: number[];
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

async function withServerCpu(pids: readonly number[], op: () => Promise<Timing>): Promise<Timing> {
  const total = (): number | undefined => pids.reduce<number | undefined>((sum, pid) => {
    const s = processCpuSeconds(pid);
    return sum === undefined || s === undefined ? undefined : sum + s;
  }, 0);
  const before = total();
  const t = await op();
  const after = total();
  return before === undefined || after === undefined ? t : { ...t, serverCpuSeconds: after - before };
}

async function waitForSpace(client: IgfsClient, bytes: number, ctx: BenchContext): Promise<void> {
  const deadline = Date.now() + SPACE_WAIT_MS;
  for (;;) {
    const { spaceTotal, spaceUsed } = await client.status();
    // Leave a margin: blocks of other users' files and metadata share the region.
    if (spaceTotal - spaceUsed >= bytes * 1.1) return;
    if (Date.now() > deadline) {
      ctx.note(`IGFS has ${spaceTotal - spaceUsed} bytes free, ${bytes} needed; going on anyway`);
      return;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

export const suite: BenchSuite = {
  name: 'igfs',
  description: 'sequential write and read of one file: ignite-fuse IgfsClient vs Ignite\'s Java IGFS clients',
  async run(ctx) {
    const { sizeBytes, repeat, sweep } = ctx.options;
    await ensureIgnite(ctx.repoRoot);
    const dir = `/bench-igfs-${process.pid}`;
    const control = new IgfsClient({ poolSize: 1, requestTimeoutMs: BENCH_REQUEST_TIMEOUT_MS });
    await control.mkdirs(dir);

    const clients: IgfsClient[] = [];
    const ours = (name: string, writeBlockBytes: number, read: { chunkBytes: number; inFlight: number }): BenchPath => {
      // One connection per path, as `ignite-fuse igfs put/get` uses: reads pipeline on it.
      const client = new IgfsClient({ poolSize: 1, writeBlockBytes, requestTimeoutMs: BENCH_REQUEST_TIMEOUT_MS });
      clients.push(client);
      return oursPath(client, name, writeBlockBytes, read);
    };
    const paths: BenchPath[] = [
      ours('ignite-fuse', OURS.writeBlockBytes, { chunkBytes: OURS.readChunkBytes, inFlight: OURS.readsInFlight }),
      javaPath(ctx, 'igfs-bench'),
      javaPath(ctx, 'hadoop-bench'),
    ];
    if (sweep) {
      for (const w of SWEEP_WRITE_BLOCKS) {
        paths.push(ours(`ignite-fuse w${sizeName(w)}`, w, { chunkBytes: OURS.readChunkBytes, inFlight: OURS.readsInFlight }));
      }
      for (const r of SWEEP_READS) {
        paths.push(ours(`ignite-fuse r${sizeName(r.chunkBytes)}x${r.inFlight}`, OURS.writeBlockBytes, r));
      }
      for (const streams of SWEEP_READ_STREAMS) {
        const client = new IgfsClient({ poolSize: streams, writeBlockBytes: OURS.writeBlockBytes, requestTimeoutMs: BENCH_REQUEST_TIMEOUT_MS });
        clients.push(client);
        paths.push(multiStreamPath(client, `ignite-fuse ${streams}streams`, streams, OURS.readChunkBytes, OURS.readsInFlight * streams));
      }
    }

    // Connect (and handshake) before timing anything, as the Java tools do before their clocks start.
    await Promise.all(clients.map((c) => c.connect()));
    const wanted = ctx.options.paths;
    if (wanted !== undefined) {
      const unknown = wanted.filter((w) => !paths.some((p) => p.name === w));
      if (unknown.length > 0) throw new Error(`unknown --paths ${unknown.join(', ')}; this run has ${paths.map((p) => p.name).join(', ')}`);
      paths.splice(0, paths.length, ...paths.filter((p) => wanted.includes(p.name)));
    }
    const baseline = paths.some((p) => p.name === 'java-igfs') ? 'java-igfs' : undefined;

    const writes = new Map<string, number[]>();
    const reads = new Map<string, number[]>();
    const cpu = new Map<string, { write: CpuSamples; read: CpuSamples }>();
    const serverPids = await ignitePids(ctx.repoRoot);
    const unavailable = new Map<string, string>();
    try {
      for (let rep = 1; rep <= repeat; rep++) {
        // Alternate the order between repetitions so no path always runs first (cold node) or last.
        for (const p of rep % 2 === 1 ? paths : [...paths].reverse()) {
          if (unavailable.has(p.name)) continue;
          const file = `${dir}/${p.name.replace(/[^A-Za-z0-9.-]/gu, '_')}-${rep}.bin`;
          await waitForSpace(control, sizeBytes, ctx);
          try {
            const w = await withServerCpu(serverPids, () => p.write(file, sizeBytes));
            const r = await withServerCpu(serverPids, () => p.read(file, sizeBytes));
            (writes.get(p.name) ?? writes.set(p.name, []).get(p.name)!).push(mbPerSec(sizeBytes, w.seconds));
            (reads.get(p.name) ?? reads.set(p.name, []).get(p.name)!).push(mbPerSec(sizeBytes, r.seconds));
            const c = cpu.get(p.name) ?? cpu.set(p.name, { write: {}, read: {} }).get(p.name)!;
            for (const [op, t] of [['write', w], ['read', r]] as const) {
              // Cores busy on average during the transfer: near 1.0 means bound by that process's CPU (one thread).
              if (t.cpuSeconds !== undefined) (c[op].clientCores ??= []).push(round3(t.cpuSeconds / t.seconds));
              if (t.serverCpuSeconds !== undefined) (c[op].serverCores ??= []).push(round3(t.serverCpuSeconds / t.seconds));
            }
            ctx.note(`rep ${rep} ${p.name}: write ${mbPerSec(sizeBytes, w.seconds).toFixed(1)} MB/s, read ${mbPerSec(sizeBytes, r.seconds).toFixed(1)} MB/s; ` +
              `cores busy (client/server) write ${fmtCores(w)}, read ${fmtCores(r)}`);
          } catch (err) {
            // A failing baseline (hadoop-bench without the Hadoop jars, a JVM out of heap) is reported and left
            // out; our own path failing fails the suite.
            if (p.name.startsWith('java-')) {
              const reason = (err instanceof Error ? err.message : String(err)).split('\n').slice(-1)[0] ?? '';
              // Never worked: leave it out of later repetitions; worked before: lose only this sample.
              if (!writes.has(p.name)) unavailable.set(p.name, reason);
              ctx.note(`${p.name} failed in repetition ${rep}: ${reason.slice(0, 300)}`);
            } else {
              throw err;
            }
          } finally {
            await control.delete(file).catch(() => undefined);
          }
        }
      }
    } finally {
      await control.delete(dir, { recursive: true }).catch(() => undefined);
      control.close();
      for (const c of clients) c.close();
    }

    const measurements = (samples: Map<string, number[]>, op: 'write' | 'read'): PathMeasurement[] =>
      paths.filter((p) => samples.has(p.name)).map((p) => {
        const c = cpu.get(p.name);
        return {
          path: p.name,
          description: p.description,
          unit: 'MB/s',
          samples: samples.get(p.name)!,
          details: { ...p.details, bytes: sizeBytes, ...(c === undefined ? {} : c[op]) },
        };
      });
    const results: WorkloadResult[] = [
      { workload: 'write-seq', baseline, measurements: measurements(writes, 'write') },
      { workload: 'read-seq', baseline, measurements: measurements(reads, 'read') },
    ];
    for (const [name, reason] of unavailable) ctx.note(`not measured: ${name} (${reason})`);
    return results;
  },
};
