// The `mount` suite: POSIX workloads through the IGFS mount, side by side with
//   - direct:    our IgfsClient in this process (no FUSE), what the mount is built on;
//   - java-igfs: Ignite's IgniteFileSystem API (scripts/ignite-java igfs-bench), where it has a tool;
//   - tmpfs:     a directory on /dev/shm (the kernel alone);
//   - null:      our FileSystem over an in-memory store behind the same FUSE layer (bench/null-mount.ts): the
//                ceiling of FUSE in Node on this machine;
//   - mount:     `ignite-fuse mount --background` (extra mount options from $IGNITE_FUSE_BENCH_MOUNT_ARGS).
// Sequential I/O uses `dd bs=1M` (page-aligned buffers, so the kernel sends 128 KiB FUSE requests); the other
// workloads run in this process with node:fs. A "cold" mount read is a fresh mount (empty daemon cache and page
// cache) of a file the node holds; the null mount's page cache is dropped with dd iflag=nocache instead. Warm
// re-reads count the READ requests the mount's process answered (SIGUSR2 stats): with the page cache working,
// none. The daemon's peak RSS (VmHWM, reset before each workload) is kept per workload in the details and
// compared with --cache-size + 150 MiB at the end.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IgfsClient } from '../../src/igfs/client.js';
import { parseSize } from '../../src/config/parse-size.js';
import { findOption } from '../../src/config/option-table.js';
import { seededRandom } from '../../src/util/seeded-random.js';
import type { BenchSuite, PathMeasurement, WorkloadResult } from '../bench-types.js';
import { ensureIgnite } from '../support/ignite.js';
import { runJavaBench } from '../support/java-tools.js';
import { runChecked, runCommand } from '../support/run-command.js';
import { mbPerSec, median } from '../support/stats.js';
import { DaemonMount, NullMount, opDelta, peakRssBytes, resetPeakRss, type OpCounts } from '../mount/mounts.js';

const KiB = 1024;
const MiB = 1024 * KiB;

const PARALLEL_READERS = 8;
const RANDOM_READ_BYTES = 128 * KiB;
const MAX_RANDOM_READS = 2000;
const SMALL_FILE_BYTES = 4 * KiB;
const APPEND_BYTES = 200;
const APPENDS_PER_FSYNC = 100;
/** The daemon's RSS budget beyond its block cache (the goal). */
const RSS_HEADROOM_BYTES = 150 * MiB;
/** Longer than the attribute/entry TTLs (1 s by default) of the kernel and the daemon: the next stat asks the store. */
const TTL_WAIT_MS = 1100;
const SPACE_WAIT_MS = 120_000;
/** Free IGFS space asked for before writing N bytes: N * SPACE_FACTOR + SPACE_RESERVE_BYTES (see waitForSpace). */
const SPACE_FACTOR = 1.25;
const SPACE_RESERVE_BYTES = 512 * MiB;
const EXTRA_ARGS_ENV = 'IGNITE_FUSE_BENCH_MOUNT_ARGS';

type PathName = 'mount' | 'direct' | 'java-igfs' | 'null' | 'tmpfs';

const DESCRIPTIONS: Record<PathName, string> = {
  mount: 'ignite-fuse mount (IGFS through FUSE), dd bs=1M / node:fs',
  direct: 'ignite-fuse IgfsClient in-process (no FUSE), 1 MiB requests',
  'java-igfs': "Ignite's IgniteFileSystem (Java client node, own JVM), 1 MiB buffer",
  null: 'our FileSystem over MemoryBackend behind the same FUSE layer (ceiling)',
  tmpfs: '/dev/shm (kernel only)',
};

interface Scale {
  smallFiles: number;
  listingEntries: number;
  appends: number;
  checkpointMb: number;
}

function scaleFor(sizeBytes: number): Scale {
  // A quick run (--size below 256 MiB) also shrinks the counted workloads, keeping their shape.
  if (sizeBytes >= 256 * MiB) return { smallFiles: 1000, listingEntries: 10_000, appends: 5000, checkpointMb: 200 };
  return { smallFiles: 200, listingEntries: 2000, appends: 1000, checkpointMb: Math.max(8, Math.min(200, Math.floor(sizeBytes / MiB))) };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function seconds(op: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await op();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

async function dd(args: string[]): Promise<void> {
  await runChecked('dd', [...args, 'status=none']);
}

/** Drops the page cache of `file` (posix_fadvise DONTNEED through GNU dd). */
async function dropPageCache(file: string): Promise<void> {
  await dd([`if=${file}`, 'iflag=nocache', 'count=0']);
}

async function ddWrite(file: string, bytes: number): Promise<void> {
  await dd(['if=/dev/zero', `of=${file}`, 'bs=1M', `count=${bytes}`, 'iflag=count_bytes']);
}

async function ddRead(file: string): Promise<void> {
  await dd([`if=${file}`, 'of=/dev/null', 'bs=1M']);
}

/** Runs `work` on every item with at most `limit` in flight. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(runners);
}

class Results {
  private readonly samples = new Map<string, Map<PathName, { values: number[]; details: Record<string, unknown>[] }>>();
  private readonly units = new Map<string, PathMeasurement['unit']>();
  private readonly baselines = new Map<string, PathName>();

  define(workload: string, unit: PathMeasurement['unit'], baseline: PathName): void {
    this.units.set(workload, unit);
    this.baselines.set(workload, baseline);
    this.samples.set(workload, new Map());
  }

  add(workload: string, path: PathName, value: number, details: Record<string, unknown> = {}): void {
    const byPath = this.samples.get(workload);
    if (byPath === undefined) throw new Error(`undefined workload ${workload}`);
    const entry = byPath.get(path) ?? byPath.set(path, { values: [], details: [] }).get(path)!;
    entry.values.push(value);
    entry.details.push(details);
  }

  value(workload: string, path: PathName): number | undefined {
    const v = this.samples.get(workload)?.get(path)?.values;
    return v === undefined || v.length === 0 ? undefined : median(v);
  }

  toWorkloads(common: Record<string, unknown>): WorkloadResult[] {
    const out: WorkloadResult[] = [];
    for (const [workload, byPath] of this.samples) {
      const measurements: PathMeasurement[] = [];
      for (const [path, { values, details }] of byPath) {
        measurements.push({
          path,
          description: DESCRIPTIONS[path],
          unit: this.units.get(workload)!,
          samples: values,
          details: { ...common, perSample: details },
        });
      }
      if (measurements.length > 0) out.push({ workload, baseline: this.baselines.get(workload), measurements });
    }
    return out;
  }
}

export const suite: BenchSuite = {
  name: 'mount',
  description: 'POSIX workloads: mount vs direct IgfsClient vs Java IGFS vs tmpfs vs null-backend FUSE ceiling',
  async run(ctx) {
    const { sizeBytes, repeat } = ctx.options;
    const scale = scaleFor(sizeBytes);
    const extraArgs = (process.env[EXTRA_ARGS_ENV] ?? '').split(/\s+/u).filter((a) => a !== '');
    const cacheSizeBytes = cacheSizeOf(extraArgs);
    ctx.note(`size ${sizeBytes} bytes, ${JSON.stringify(scale)}, mount args: ${extraArgs.join(' ') || '(defaults)'}`);
    await ensureIgnite(ctx.repoRoot);

    const tag = `ignite-fuse-bench-${process.pid}`;
    const workRoot = join('/tmp', tag);
    const igfsRoot = `/bench-mount-${process.pid}`;
    const tmpfsRoot = join('/dev/shm', tag);
    await mkdir(workRoot, { recursive: true });
    await mkdir(tmpfsRoot, { recursive: true });
    const client = new IgfsClient();
    await client.mkdirs(igfsRoot);
    const nullMount = await NullMount.start(ctx.repoRoot, join(workRoot, 'null'));
    const nullRoot = join(nullMount.dir, 'bench');
    await mkdir(nullRoot);
    const mountpoint = join(workRoot, 'mnt');
    const mountRoot = join(mountpoint, igfsRoot);
    let daemon: DaemonMount | undefined;
    const freshMount = async (): Promise<DaemonMount> => {
      if (daemon !== undefined) await daemon.stop();
      daemon = undefined;
      try {
        daemon = await DaemonMount.start(ctx.repoRoot, mountpoint, workRoot, extraArgs);
      } catch (err) {
        // Other work on this machine may be rebuilding build/ under the daemon as it loads: one more try.
        ctx.note(`mount failed, retrying once: ${String(err).split('\n')[0]}`);
        await sleep(2000);
        daemon = await DaemonMount.start(ctx.repoRoot, mountpoint, workRoot, extraArgs);
      }
      return daemon;
    };
    const mounted = async (): Promise<DaemonMount> => daemon ?? freshMount();
    const rss = new Map<string, number>();
    /** Runs a measurement through the daemon, keeping the peak RSS it caused under `workload`. */
    const onDaemon = async <T>(workload: string, work: (d: DaemonMount) => Promise<T>): Promise<T> => {
      const d = await mounted();
      await resetPeakRss(d.pid);
      const result = await work(d);
      const peak = await peakRssBytes(d.pid);
      if (peak !== undefined) rss.set(workload, Math.max(rss.get(workload) ?? 0, peak));
      return result;
    };
    const local = (path: 'null' | 'tmpfs'): string => (path === 'null' ? nullRoot : tmpfsRoot);
    const waitForSpace = async (bytes: number): Promise<void> => {
      // A full IGFS data region halts the node (IgniteOutOfMemoryException, seen with a 1 GiB write while other
      // users held 650 MB of a 2 GiB region): leave room for block overhead and for other users of a shared node.
      const needed = Math.ceil(bytes * SPACE_FACTOR) + SPACE_RESERVE_BYTES;
      const deadline = Date.now() + SPACE_WAIT_MS;
      for (;;) {
        const { spaceTotal, spaceUsed } = await client.status();
        if (spaceTotal - spaceUsed >= needed) return;
        if (Date.now() > deadline) {
          throw new Error(`IGFS has ${spaceTotal - spaceUsed} bytes free, ${needed} needed for ${bytes} bytes; ` +
            'not writing (a full data region halts the node): use a smaller --size or a node of its own');
        }
        await sleep(500);
      }
    };
    const igfsPathOf = (mountPath: string): string => mountPath.slice(mountpoint.length);

    /** `--paths`: only the named paths are measured (the others' setup still runs). */
    const sel = <P extends PathName>(paths: readonly P[]): P[] =>
      paths.filter((p) => ctx.options.paths === undefined || ctx.options.paths.includes(p));
    const results = new Results();
    const W = {
      writeSeq: 'write-seq', readSeq: 'read-seq-cold', readWarm: 'read-seq-warm', readParallel: 'read-parallel-8',
      readRandom: 'read-random-128k', smallCreate: 'small-create-4k', smallStat: 'small-stat', listing: 'ls-l',
      appends: 'tensorboard-append', ckptSave: 'checkpoint-save', ckptRestore: 'checkpoint-restore',
    } as const;
    results.define(W.writeSeq, 'MB/s', 'java-igfs');
    results.define(W.readSeq, 'MB/s', 'java-igfs');
    results.define(W.readWarm, 'MB/s', 'tmpfs');
    results.define(W.readParallel, 'MB/s', 'direct');
    results.define(W.readRandom, 'ops/s', 'direct');
    results.define(W.smallCreate, 'ops/s', 'direct');
    results.define(W.smallStat, 'ops/s', 'direct');
    results.define(W.listing, 'ops/s', 'direct');
    results.define(W.appends, 'ops/s', 'direct');
    results.define(W.ckptSave, 'MB/s', 'tmpfs');
    results.define(W.ckptRestore, 'MB/s', 'tmpfs');

    const block = randomBytes(MiB);
    const writeIgfsFile = async (path: string, bytes: number): Promise<void> => {
      const writer = await client.openCreate(path, { overwrite: true });
      try {
        for (let done = 0; done < bytes; done += MiB) await writer.write(block.subarray(0, Math.min(MiB, bytes - done)));
      } finally {
        await writer.close();
      }
    };
    const readIgfsFile = async (path: string): Promise<number> => {
      const reader = await client.openRead(path);
      let n = 0;
      try {
        for await (const chunk of reader.chunks()) n += chunk.length;
      } finally {
        await reader.close();
      }
      return n;
    };

    try {
      // 1. Sequential write of one large file.
      ctx.note(`${W.writeSeq}: ${sizeBytes} bytes per file, dd bs=1M from /dev/zero (close included)`);
      for (let rep = 0; rep < repeat; rep++) {
        for (const path of sel(['mount', 'direct', 'java-igfs', 'null', 'tmpfs'] as const)) {
          const name = `w-${path}-${rep}.bin`;
          if (path === 'mount' || path === 'direct' || path === 'java-igfs') await waitForSpace(sizeBytes);
          let s: number;
          if (path === 'mount') {
            s = await onDaemon(W.writeSeq, () => seconds(() => ddWrite(join(mountRoot, name), sizeBytes)));
          } else if (path === 'direct') {
            s = await seconds(() => writeIgfsFile(`${igfsRoot}/${name}`, sizeBytes));
          } else if (path === 'java-igfs') {
            s = (await runJavaBench(ctx.repoRoot, 'igfs-bench', 'write', `${igfsRoot}/${name}`, sizeBytes, MiB)).seconds;
          } else {
            const file = join(local(path), name);
            s = await seconds(() => ddWrite(file, sizeBytes));
            await rm(file);
          }
          if (path === 'mount' || path === 'direct' || path === 'java-igfs') await client.delete(`${igfsRoot}/${name}`);
          results.add(W.writeSeq, path, mbPerSec(sizeBytes, s), { seconds: s });
          ctx.note(`rep ${rep} ${W.writeSeq} ${path}: ${mbPerSec(sizeBytes, s).toFixed(1)} MB/s`);
        }
      }

      // 2. Sequential read (cold, then warm), random reads: one file per store, written once.
      await waitForSpace(sizeBytes);
      const seqName = 'seq.bin';
      await writeIgfsFile(`${igfsRoot}/${seqName}`, sizeBytes);
      await ddWriteRandom(join(tmpfsRoot, seqName), sizeBytes, block);
      await runChecked('dd', [`if=${join(tmpfsRoot, seqName)}`, `of=${join(nullRoot, seqName)}`, 'bs=1M', 'status=none']);
      ctx.note(`${W.readSeq}/${W.readWarm}: dd bs=1M to /dev/null; mount cold = fresh mount, null cold = page cache dropped`);
      for (let rep = 0; rep < repeat; rep++) {
        for (const path of sel(['mount', 'direct', 'java-igfs', 'null', 'tmpfs'] as const)) {
          if (path === 'mount' || path === 'null') {
            const m = path === 'mount' ? await freshMount() : nullMount;
            const file = join(path === 'mount' ? mountRoot : nullRoot, seqName);
            if (path === 'null') await dropPageCache(file);
            const measure = async (): Promise<{ cold: number; warm: number; warmOps: OpCounts; coldOps: OpCounts }> => {
              const c0 = await m.opCounts();
              const cold = await seconds(() => ddRead(file));
              const c1 = await m.opCounts();
              const warm = await seconds(() => ddRead(file));
              const c2 = await m.opCounts();
              return { cold, warm, coldOps: opDelta(c1, c0), warmOps: opDelta(c2, c1) };
            };
            const r = path === 'mount' ? await onDaemon(W.readSeq, measure) : await measure();
            const cache = path === 'mount' ? await daemon!.lastCacheStats() : undefined;
            results.add(W.readSeq, path, mbPerSec(sizeBytes, r.cold), { seconds: r.cold, fuseRequests: r.coldOps, cache });
            results.add(W.readWarm, path, mbPerSec(sizeBytes, r.warm), { seconds: r.warm, fuseRequests: r.warmOps, readRequests: r.warmOps.read ?? 0 });
            ctx.note(`rep ${rep} ${path}: cold ${mbPerSec(sizeBytes, r.cold).toFixed(1)} MB/s (${r.coldOps.read ?? 0} READs), warm ${mbPerSec(sizeBytes, r.warm).toFixed(1)} MB/s (${r.warmOps.read ?? 0} READs)`);
          } else if (path === 'direct') {
            let n = 0;
            const s = await seconds(async () => {
              n = await readIgfsFile(`${igfsRoot}/${seqName}`);
            });
            if (n !== sizeBytes) throw new Error(`direct read ${n} bytes, expected ${sizeBytes}`);
            results.add(W.readSeq, path, mbPerSec(sizeBytes, s), { seconds: s });
          } else if (path === 'java-igfs') {
            const s = (await runJavaBench(ctx.repoRoot, 'igfs-bench', 'read', `${igfsRoot}/${seqName}`, sizeBytes, MiB)).seconds;
            results.add(W.readSeq, path, mbPerSec(sizeBytes, s), { seconds: s });
          } else {
            const file = join(tmpfsRoot, seqName);
            const s = await seconds(() => ddRead(file));
            results.add(W.readSeq, path, mbPerSec(sizeBytes, s), { seconds: s, note: 'tmpfs has no cold state' });
            results.add(W.readWarm, path, mbPerSec(sizeBytes, s), { seconds: s });
          }
        }
      }

      // 3. Random 128 KiB reads at 128 KiB-aligned offsets, one at a time (queue depth 1).
      const randomReads = Math.max(1, Math.min(MAX_RANDOM_READS, Math.floor(sizeBytes / RANDOM_READ_BYTES)));
      const slots = Math.max(1, Math.floor(sizeBytes / RANDOM_READ_BYTES));
      const rand = seededRandom(0x5eed);
      const offsets = Array.from({ length: randomReads }, () => Math.floor(rand() * slots) * RANDOM_READ_BYTES);
      ctx.note(`${W.readRandom}: ${randomReads} reads of ${RANDOM_READ_BYTES} bytes, node:fs pread, cold caches`);
      for (let rep = 0; rep < repeat; rep++) {
        for (const path of sel(['mount', 'direct', 'null', 'tmpfs'] as const)) {
          let s: number;
          if (path === 'direct') {
            const reader = await client.openRead(`${igfsRoot}/${seqName}`);
            try {
              s = await seconds(async () => {
                for (const at of offsets) await reader.read(at, RANDOM_READ_BYTES);
              });
            } finally {
              await reader.close();
            }
          } else {
            const file = join(path === 'mount' ? mountRoot : local(path), seqName);
            if (path === 'mount') await freshMount();
            if (path === 'null') await dropPageCache(file);
            const run = (): Promise<number> => seconds(() => preadAll(file, offsets, RANDOM_READ_BYTES));
            s = path === 'mount' ? await onDaemon(W.readRandom, run) : await run();
          }
          results.add(W.readRandom, path, randomReads / s, { seconds: s, reads: randomReads });
          ctx.note(`rep ${rep} ${W.readRandom} ${path}: ${(randomReads / s).toFixed(0)} reads/s`);
        }
      }
      await client.delete(`${igfsRoot}/${seqName}`);
      await rm(join(nullRoot, seqName));
      await rm(join(tmpfsRoot, seqName));

      // 4. Eight readers of eight files at once.
      const partBytes = Math.max(MiB, Math.floor(sizeBytes / PARALLEL_READERS / MiB) * MiB);
      const parts = Array.from({ length: PARALLEL_READERS }, (_, i) => `par-${i}.bin`);
      await waitForSpace(partBytes * PARALLEL_READERS);
      for (const p of parts) {
        await writeIgfsFile(`${igfsRoot}/${p}`, partBytes);
        await ddWriteRandom(join(tmpfsRoot, p), partBytes, block);
        await runChecked('dd', [`if=${join(tmpfsRoot, p)}`, `of=${join(nullRoot, p)}`, 'bs=1M', 'status=none']);
      }
      ctx.note(`${W.readParallel}: ${PARALLEL_READERS} concurrent dd bs=1M of ${partBytes}-byte files, cold caches`);
      for (let rep = 0; rep < repeat; rep++) {
        for (const path of sel(['mount', 'direct', 'null', 'tmpfs'] as const)) {
          let s: number;
          if (path === 'direct') {
            s = await seconds(() => Promise.all(parts.map((p) => readIgfsFile(`${igfsRoot}/${p}`))));
          } else {
            const dir = path === 'mount' ? mountRoot : local(path);
            if (path === 'mount') await freshMount();
            if (path === 'null') for (const p of parts) await dropPageCache(join(dir, p));
            const run = (): Promise<number> => seconds(() => Promise.all(parts.map((p) => ddRead(join(dir, p)))));
            s = path === 'mount' ? await onDaemon(W.readParallel, run) : await run();
          }
          const total = partBytes * PARALLEL_READERS;
          results.add(W.readParallel, path, mbPerSec(total, s), { seconds: s, bytes: total });
          ctx.note(`rep ${rep} ${W.readParallel} ${path}: ${mbPerSec(total, s).toFixed(1)} MB/s`);
        }
      }
      for (const p of parts) {
        await client.delete(`${igfsRoot}/${p}`);
        await rm(join(nullRoot, p));
        await rm(join(tmpfsRoot, p));
      }

      // 5. Small files: create + 4 KiB write + close, then stat each once the TTLs have passed.
      const small = randomBytes(SMALL_FILE_BYTES);
      ctx.note(`${W.smallCreate}/${W.smallStat}: ${scale.smallFiles} files of ${SMALL_FILE_BYTES} bytes, one at a time`);
      for (let rep = 0; rep < repeat; rep++) {
        for (const path of sel(['mount', 'direct', 'null', 'tmpfs'] as const)) {
          const names = Array.from({ length: scale.smallFiles }, (_, i) => `f${i}`);
          let create: number;
          let statS: number;
          if (path === 'direct') {
            const dir = `${igfsRoot}/small-${rep}`;
            await client.mkdirs(dir);
            create = await seconds(async () => {
              for (const n of names) {
                const w = await client.openCreate(`${dir}/${n}`, { overwrite: true });
                await w.write(small);
                await w.close();
              }
            });
            await sleep(TTL_WAIT_MS);
            statS = await seconds(async () => {
              for (const n of names) {
                if ((await client.info(`${dir}/${n}`)) === null) throw new Error(`${dir}/${n} missing`);
              }
            });
            await client.delete(dir, { recursive: true });
          } else {
            const dir = join(path === 'mount' ? mountRoot : local(path), `small-${rep}`);
            const run = async (): Promise<[number, number]> => {
              await mkdir(dir);
              const c = await seconds(async () => {
                for (const n of names) await writeFile(join(dir, n), small);
              });
              await sleep(TTL_WAIT_MS);
              const st = await seconds(async () => {
                for (const n of names) await stat(join(dir, n));
              });
              return [c, st];
            };
            [create, statS] = path === 'mount' ? await onDaemon(W.smallCreate, run) : await run();
            if (path === 'mount') await client.delete(igfsPathOf(dir), { recursive: true });
            else await rm(dir, { recursive: true });
          }
          results.add(W.smallCreate, path, scale.smallFiles / create, { seconds: create, files: scale.smallFiles });
          results.add(W.smallStat, path, scale.smallFiles / statS, { seconds: statS, files: scale.smallFiles });
          ctx.note(`rep ${rep} small ${path}: ${(scale.smallFiles / create).toFixed(0)} creates/s, ${(scale.smallFiles / statS).toFixed(0)} stats/s`);
        }
      }

      // 6. `ls -l` of a large directory (entries per second), after the TTLs passed.
      ctx.note(`${W.listing}: ls -l of ${scale.listingEntries} empty files (value: entries/s)`);
      const listNames = Array.from({ length: scale.listingEntries }, (_, i) => `entry-${String(i).padStart(6, '0')}`);
      const igfsListDir = `${igfsRoot}/listing`;
      await client.mkdirs(igfsListDir);
      await pool(listNames, 32, async (n) => {
        const w = await client.openCreate(`${igfsListDir}/${n}`, { overwrite: true });
        await w.close();
      });
      for (const path of sel(['null', 'tmpfs'] as const)) {
        const dir = join(local(path), 'listing');
        await mkdir(dir);
        await pool(listNames, 8, (n) => writeFile(join(dir, n), ''));
      }
      for (let rep = 0; rep < repeat; rep++) {
        for (const path of sel(['mount', 'direct', 'null', 'tmpfs'] as const)) {
          await sleep(TTL_WAIT_MS);
          let s: number;
          if (path === 'direct') {
            let n = 0;
            s = await seconds(async () => {
              n = (await client.listFiles(igfsListDir)).length;
            });
            if (n !== scale.listingEntries) throw new Error(`listed ${n} entries, expected ${scale.listingEntries}`);
          } else {
            const dir = path === 'mount' ? join(mountpoint, igfsListDir) : join(local(path), 'listing');
            const run = (): Promise<number> => seconds(() => runChecked('ls', ['-l', dir]));
            s = path === 'mount' ? await onDaemon(W.listing, run) : await run();
          }
          results.add(W.listing, path, scale.listingEntries / s, { seconds: s, entries: scale.listingEntries });
          ctx.note(`rep ${rep} ${W.listing} ${path}: ${s.toFixed(2)} s`);
        }
      }
      await client.delete(igfsListDir, { recursive: true });
      for (const path of sel(['null', 'tmpfs'] as const)) await rm(join(local(path), 'listing'), { recursive: true });

      // 7. TensorBoard-like event file: 200-byte appends, fsync every 100.
      const record = randomBytes(APPEND_BYTES);
      ctx.note(`${W.appends}: ${scale.appends} appends of ${APPEND_BYTES} bytes, fsync every ${APPENDS_PER_FSYNC} (value: appends/s)`);
      for (let rep = 0; rep < repeat; rep++) {
        for (const path of sel(['mount', 'direct', 'null', 'tmpfs'] as const)) {
          let s: number;
          if (path === 'direct') {
            const file = `${igfsRoot}/events-${rep}`;
            s = await seconds(async () => {
              let w = await client.openCreate(file, { overwrite: true });
              for (let i = 1; i <= scale.appends; i++) {
                await w.write(record);
                if (i % APPENDS_PER_FSYNC === 0) {
                  // IGFS has no flush: committing is CLOSE + OPEN_APPEND, what the mount's fsync does.
                  await w.close();
                  w = await client.openAppend(file);
                }
              }
              await w.close();
            });
            await client.delete(file);
          } else {
            const file = join(path === 'mount' ? mountRoot : local(path), `events-${rep}`);
            const run = (): Promise<number> => seconds(() => appendWithFsync(file, record, scale.appends));
            s = path === 'mount' ? await onDaemon(W.appends, run) : await run();
            const size = (await stat(file)).size;
            if (size !== APPEND_BYTES * scale.appends) throw new Error(`${file} has ${size} bytes, expected ${APPEND_BYTES * scale.appends}`);
            await rm(file);
          }
          results.add(W.appends, path, scale.appends / s, { seconds: s, appends: scale.appends });
          ctx.note(`rep ${rep} ${W.appends} ${path}: ${(scale.appends / s).toFixed(0)} appends/s`);
        }
      }

      // 8. TensorFlow checkpoint save and restore.
      const python = join(ctx.repoRoot, '.venv/bin/python');
      const ckptTargets = { mount: join(mountRoot, 'ckpt'), null: join(nullRoot, 'ckpt'), tmpfs: join(tmpfsRoot, 'ckpt') };
      ctx.note(`${W.ckptSave}/${W.ckptRestore}: tf.train.Checkpoint of ${scale.checkpointMb} MB (bench/python/checkpoint_bench.py)`);
      await waitForSpace(scale.checkpointMb * MiB * 2);
      const ckpt = await onDaemon(W.ckptSave, async () => runCommand(python, [
        join(ctx.repoRoot, 'bench/python/checkpoint_bench.py'), '--mb', String(scale.checkpointMb), '--repeat', String(repeat),
        ...sel(['mount', 'null', 'tmpfs'] as const).map((k) => `${k}=${ckptTargets[k]}`),
      ], { cwd: ctx.repoRoot }));
      rss.set(W.ckptRestore, rss.get(W.ckptSave) ?? 0);
      if (ckpt.status !== 0) {
        ctx.note(`checkpoint benchmark failed (exit ${ckpt.status}): ${ckpt.stderr.trim().split('\n').slice(-3).join(' | ')}`);
      } else {
        for (const line of ckpt.stdout.split('\n').filter((l) => l.startsWith('{'))) {
          const r = JSON.parse(line) as { name: PathName; op: 'save' | 'restore'; bytes: number; seconds: number };
          results.add(r.op === 'save' ? W.ckptSave : W.ckptRestore, r.name, mbPerSec(r.bytes, r.seconds), { seconds: r.seconds, bytes: r.bytes });
        }
      }
    } finally {
      await daemon?.stop().catch((err: unknown) => ctx.note(`unmount failed: ${String(err)}`));
      await nullMount.stop().catch(() => undefined);
      await client.delete(igfsRoot, { recursive: true }).catch(() => undefined);
      client.close();
      await rm(tmpfsRoot, { recursive: true, force: true });
      await rm(workRoot, { recursive: true, force: true }).catch(() => undefined);
    }

    // Goals of issue 8, as ratios from this run.
    const ratio = (w: string, a: PathName, b: PathName): string => {
      const x = results.value(w, a);
      const y = results.value(w, b);
      return x === undefined || y === undefined || y === 0 ? 'n/a' : `${(x / y).toFixed(2)}x`;
    };
    ctx.note(`goal read-seq mount/java-igfs ${ratio(W.readSeq, 'mount', 'java-igfs')} (>= 1.0), mount/null ${ratio(W.readSeq, 'mount', 'null')} (>= 0.7), mount/direct ${ratio(W.readSeq, 'mount', 'direct')} (>= 0.8)`);
    ctx.note(`goal write-seq mount/java-igfs ${ratio(W.writeSeq, 'mount', 'java-igfs')} (>= 1.0), mount/null ${ratio(W.writeSeq, 'mount', 'null')} (>= 0.7)`);
    ctx.note(`goal read-warm mount/tmpfs ${ratio(W.readWarm, 'mount', 'tmpfs')} (>= 0.5)`);
    ctx.note(`goal checkpoint mount/tmpfs save ${ratio(W.ckptSave, 'mount', 'tmpfs')}, restore ${ratio(W.ckptRestore, 'mount', 'tmpfs')} (>= 0.5, i.e. within 2x the time)`);
    const limit = cacheSizeBytes + RSS_HEADROOM_BYTES;
    for (const [w, peak] of rss) {
      ctx.note(`daemon peak RSS ${w}: ${(peak / MiB).toFixed(0)} MiB (limit ${(limit / MiB).toFixed(0)} MiB = cache-size + 150 MiB)${peak > limit ? ' OVER' : ''}`);
    }
    return results.toWorkloads({ sizeBytes, mountArgs: extraArgs }).map((w) => addRss(w, rss, limit));
  },
};

function addRss(w: WorkloadResult, rss: Map<string, number>, limit: number): WorkloadResult {
  const peak = rss.get(w.workload);
  if (peak === undefined) return w;
  return {
    ...w,
    measurements: w.measurements.map((m) => (m.path === 'mount'
      ? { ...m, details: { ...m.details, daemonPeakRssBytes: peak, rssLimitBytes: limit } }
      : m)),
  };
}

function cacheSizeOf(args: readonly string[]): number {
  const i = args.findIndex((a) => a === '--cache-size' || a.startsWith('--cache-size='));
  if (i >= 0) {
    const value = args[i]!.includes('=') ? args[i]!.split('=')[1]! : args[i + 1];
    if (value !== undefined) return parseSize(value);
  }
  const spec = findOption('cache-size');
  return typeof spec?.default === 'string' ? parseSize(spec.default) : 256 * MiB;
}

/** A file of `bytes` made of `block` repeated (incompressible, unlike zeros), written with 1 MiB writes. */
async function ddWriteRandom(file: string, bytes: number, block: Buffer): Promise<void> {
  const fh = await open(file, 'w');
  try {
    for (let done = 0; done < bytes; done += block.length) await fh.write(block, 0, Math.min(block.length, bytes - done));
  } finally {
    await fh.close();
  }
}

async function preadAll(file: string, offsets: readonly number[], length: number): Promise<void> {
  const fh = await open(file, 'r');
  const buf = Buffer.alloc(length);
  try {
    for (const at of offsets) {
      const { bytesRead } = await fh.read(buf, 0, length, at);
      if (bytesRead !== length) throw new Error(`short read of ${file} at ${at}: ${bytesRead}`);
    }
  } finally {
    await fh.close();
  }
}

async function appendWithFsync(file: string, record: Buffer, appends: number): Promise<void> {
  const fh = await open(file, 'a');
  try {
    for (let i = 1; i <= appends; i++) {
      await fh.write(record);
      if (i % APPENDS_PER_FSYNC === 0) await fh.sync();
    }
  } finally {
    await fh.close();
  }
}
