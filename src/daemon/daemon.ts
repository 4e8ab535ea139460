// The only place that wires concrete classes together: config -> IGFS client -> IGFS view -> caches -> POSIX
// filesystem -> FUSE mount, and config -> thin client -> caches view -> POSIX filesystem -> FUSE mount. Knows
// the lifecycle (start, ready, graceful stop) but not the command line.
import { readFile } from 'node:fs/promises';
import type { Config } from '../config/option-table.js';
import type { Logger } from '../log/logger.js';
import { IgfsClient } from '../igfs/client.js';
import { IgfsBackend } from '../views/igfs/igfs-backend.js';
import { CachingBackend } from '../cache/caching-backend.js';
import { FileSystem } from '../fs/filesystem.js';
import { PipelinedBackend } from '../fs/write-pipeline.js';
import { mount, type FuseMount } from '../fuse/mount.js';
import { Registry } from './registry.js';
import { parseEndpoint } from '../igfs/connection.js';
import { CacheReader } from '../thin/reader.js';
import type { ThinClientOptions } from '../thin/client.js';
import type { TlsOptions } from '../thin/connection.js';
import { CachesBackend } from '../views/caches/caches-backend.js';

export class DaemonStartError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DaemonStartError';
  }
}

interface MountedView {
  role: 'igfs' | 'caches';
  mountpoint: string;
  fuse: FuseMount;
  fs: FileSystem;
  /** FUSE requests answered, by op name (`read`, `write`, `getattr`...), since the mount. */
  opCounts: Map<string, number>;
  caching?: CachingBackend;
}

/**
 * SIGUSR2 makes the daemon log one `stats` line per mount: FUSE requests answered by op and the cache counters.
 * The benchmark counts READ requests with it (a warm re-read must send none); an operator can use it too.
 */
const STATS_SIGNAL = 'SIGUSR2';

/**
 * Write-buffer blocks a writer may have queued before write() waits: 8 (8 MiB at the default 1 MiB) keeps IGFS
 * busy while the kernel's next 128 KiB requests arrive, and bounds memory per open writer.
 */
const WRITE_BLOCKS_QUEUED = 8;

export interface DaemonOptions {
  config: Config;
  logger: Logger;
  registry?: Registry;
}

export class Daemon {
  private readonly config: Config;
  private readonly logger: Logger;
  private readonly registry: Registry;
  private readonly views: MountedView[] = [];
  private igfs: IgfsClient | null = null;
  private thin: CacheReader | null = null;
  private cachesBackend: CachesBackend | null = null;
  private stopping: Promise<void> | null = null;
  private readonly onStatsSignal = (): void => this.logStats();

  constructor(options: DaemonOptions) {
    this.config = options.config;
    this.logger = options.logger;
    this.registry = options.registry ?? new Registry();
  }

  /** Connects and mounts every view; on any failure undoes what it did and throws a one-line DaemonStartError. */
  async start(igfsMountpoint: string | undefined): Promise<Array<{ role: string; mountpoint: string }>> {
    const c = this.config;
    const cachesMountpoint = c.cachesOnlyMountpoint ?? c.cachesMountpoint;
    if (c.cachesOnlyMountpoint !== undefined && igfsMountpoint !== undefined) {
      throw new DaemonStartError('--caches-only mounts only the caches view: give no IGFS mountpoint with it');
    }
    if (c.cachesOnlyMountpoint === undefined && igfsMountpoint === undefined) {
      throw new DaemonStartError('give the IGFS mountpoint (or --caches-only DIR)');
    }
    try {
      // The thin client connects and lists caches before anything is mounted, so a wrong password, TLS to a
      // plain port or an untrusted certificate refuses the whole mount with nothing left behind.
      if (cachesMountpoint !== undefined) await this.connectThin();
      if (igfsMountpoint !== undefined) await this.mountIgfs(igfsMountpoint);
      if (cachesMountpoint !== undefined) await this.mountCaches(cachesMountpoint);
    } catch (err) {
      await this.stop().catch(() => undefined);
      if (err instanceof DaemonStartError) throw err;
      throw new DaemonStartError(err instanceof Error ? err.message : String(err), { cause: err });
    }
    return this.views.map((v) => ({ role: v.role, mountpoint: v.mountpoint }));
  }

  private async connectThin(): Promise<void> {
    const c = this.config;
    const endpoints = c.thinEndpoints.map(parseEndpoint);
    const where = c.thinEndpoints.join(', ');
    const options: ThinClientOptions = {
      endpoints,
      tls: c.tls ? await this.tlsOptions() : undefined,
      credentials: c.user === undefined ? undefined : { username: c.user, password: c.password ?? '' },
      connectTimeoutMs: c.connectTimeoutMs,
      requestTimeoutMs: c.requestTimeoutMs,
    };
    let reader: CacheReader;
    try {
      reader = await CacheReader.connect(options);
    } catch (err) {
      throw new DaemonStartError(`cannot connect to the Ignite thin-client endpoint ${where}: ${oneLine(err)}`, { cause: err });
    }
    this.thin = reader;
    try {
      const names = await reader.listCaches();
      this.logger.info(`connected to the thin-client endpoint ${where} (protocol ${formatVersion(reader.client.version)}, ${names.length} caches)`);
    } catch (err) {
      throw new DaemonStartError(`cannot list the caches at ${where}: ${oneLine(err)}`, { cause: err });
    }
  }

  private async tlsOptions(): Promise<TlsOptions> {
    const c = this.config;
    const read = async (option: string, path: string | undefined): Promise<Buffer | undefined> => {
      if (path === undefined) return undefined;
      try {
        return await readFile(path);
      } catch (err) {
        throw new DaemonStartError(`--${option} ${path}: ${oneLine(err)}`, { cause: err });
      }
    };
    return {
      ca: await read('tls-ca', c.tlsCa),
      cert: await read('tls-cert', c.tlsCert),
      key: await read('tls-key', c.tlsKey),
      passphrase: c.tlsKeyPassphrase,
      insecure: c.tlsInsecure,
    };
  }

  private async mountCaches(mountpoint: string): Promise<void> {
    const c = this.config;
    const reader = this.thin!;
    const backend = await CachesBackend.create(reader, {
      viewTtlMs: c.viewTtlMs,
      tempDir: c.stagingDir,
      logger: this.logger.child('caches'),
    });
    this.cachesBackend = backend;
    const fs = await FileSystem.create(backend, {
      readOnly: true,
      uid: c.uid,
      gid: c.gid,
      stagingDir: c.stagingDir,
      maxStagedBytes: c.maxStagedBytes,
    });
    const opCounts = new Map<string, number>();
    const observer = (op: string): void => {
      opCounts.set(op, (opCounts.get(op) ?? 0) + 1);
    };
    const fuse = await mount(fs, {
      mountpoint,
      readOnly: true,
      allowOther: c.allowOther,
      fsname: 'ignite-fuse',
      subtype: 'caches',
      attrTimeoutMs: c.attrTtlMs,
      entryTimeoutMs: c.entryTtlMs,
      negativeTimeoutMs: c.negativeTtlMs,
      opTimeoutMs: c.opTimeoutMs,
    }, { logger: this.logger.child('fuse-caches'), observer });
    this.views.push({ role: 'caches', mountpoint, fuse, fs, opCounts });
    await this.registry.add({
      pid: process.pid, mountpoint, role: 'caches', logFile: c.logFile, startedAt: new Date().toISOString(),
    });
  }

  private async mountIgfs(mountpoint: string): Promise<void> {
    const c = this.config;
    const client = new IgfsClient({
      endpoints: c.igfsEndpoints,
      igfsName: c.igfsName ?? null,
      connectTimeoutMs: c.connectTimeoutMs,
      requestTimeoutMs: c.requestTimeoutMs,
      writeBlockBytes: c.writeBufferBytes,
    });
    this.igfs = client;
    try {
      const hs = await client.connect();
      this.logger.info(`connected to IGFS "${hs.igfsName ?? '?'}" at ${c.igfsEndpoints.join(', ')}`);
    } catch (err) {
      throw new DaemonStartError(`cannot reach IGFS: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    const backend = new CachingBackend(new IgfsBackend(client, { readOnly: c.readOnly }), {
      blockSize: c.blockSizeBytes,
      maxBytes: c.cacheSizeBytes,
      attrTtlMs: c.attrTtlMs,
      negativeTtlMs: c.negativeTtlMs,
      dirTtlMs: c.dirTtlMs,
      readAheadBlocks: c.readAheadBlocks,
    });
    // Writes are answered once queued and go to IGFS gathered into write-buffer-sized blocks, one at a time,
    // with at most WRITE_BLOCKS_QUEUED blocks' worth waiting (back-pressure beyond): see fs/write-pipeline.ts.
    const writes = new PipelinedBackend(backend, {
      blockBytes: c.writeBufferBytes,
      maxQueuedBytes: WRITE_BLOCKS_QUEUED * c.writeBufferBytes,
    });
    const fs = await FileSystem.create(writes, {
      readOnly: c.readOnly,
      uid: c.uid,
      gid: c.gid,
      stagingDir: c.stagingDir,
      maxStagedBytes: c.maxStagedBytes,
      commitIntervalMs: c.commitIntervalMs,
    });
    const opCounts = new Map<string, number>();
    const observer = (op: string): void => {
      opCounts.set(op, (opCounts.get(op) ?? 0) + 1);
    };
    const fuse = await mount(fs, {
      mountpoint,
      readOnly: c.readOnly,
      allowOther: c.allowOther,
      fsname: 'ignite-fuse',
      subtype: 'igfs',
      attrTimeoutMs: c.attrTtlMs,
      entryTimeoutMs: c.entryTtlMs,
      negativeTimeoutMs: c.negativeTtlMs,
      opTimeoutMs: c.opTimeoutMs,
    }, { logger: this.logger.child('fuse'), observer });
    this.views.push({ role: 'igfs', mountpoint, fuse, fs, opCounts, caching: backend });
    if (!process.listeners(STATS_SIGNAL).includes(this.onStatsSignal)) process.on(STATS_SIGNAL, this.onStatsSignal);
    await this.registry.add({
      pid: process.pid, mountpoint, role: 'igfs', logFile: c.logFile, startedAt: new Date().toISOString(),
    });
  }

  /** Per mount: FUSE requests answered by op, and the block/attribute cache counters. */
  stats(): Array<{ mountpoint: string; ops: Record<string, number>; cache?: ReturnType<CachingBackend['stats']> }> {
    return this.views.map((v) => ({
      mountpoint: v.mountpoint,
      ops: Object.fromEntries([...v.opCounts].sort(([a], [b]) => a.localeCompare(b))),
      ...(v.caching === undefined ? {} : { cache: v.caching.stats() }),
    }));
  }

  private logStats(): void {
    for (const s of this.stats()) this.logger.info(`stats ${JSON.stringify(s)}`);
  }

  /** Flushes every open write (reporting failures), unmounts (lazily if busy) and disconnects. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    process.off(STATS_SIGNAL, this.onStatsSignal);
    this.logStats();
    const failures: string[] = [];
    for (const view of this.views.reverse()) {
      try {
        await view.fs.shutdown();
      } catch (err) {
        failures.push(`${view.mountpoint}: ${err instanceof Error ? err.message : String(err)}`);
      }
      try {
        await view.fuse.unmount().catch(() => view.fuse.unmount({ lazy: true }));
      } catch (err) {
        failures.push(`unmount ${view.mountpoint}: ${err instanceof Error ? err.message : String(err)}`);
      }
      await this.registry.remove(view.mountpoint, process.pid).catch(() => undefined);
    }
    this.views.length = 0;
    this.igfs?.close();
    this.igfs = null;
    await this.cachesBackend?.shutdown().catch((err: unknown) => failures.push(`caches view: ${oneLine(err)}`));
    this.cachesBackend = null;
    this.thin?.close();
    this.thin = null;
    for (const f of failures) this.logger.error(f);
    if (failures.length > 0) throw new Error(`stopped with ${failures.length} failure(s): ${failures.join('; ')}`);
  }
}

function oneLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}

function formatVersion(v: { major: number; minor: number; patch: number } | undefined): string {
  return v === undefined ? '?' : `${v.major}.${v.minor}.${v.patch}`;
}
