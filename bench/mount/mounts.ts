// The FUSE mounts the `mount` suite measures, each in its own process:
//   - DaemonMount: the product, `ignite-fuse mount DIR --background` (IGFS -> caches -> FileSystem -> FUSE);
//   - NullMount:   bench/null-mount.ts, FileSystem over MemoryBackend behind the same FUSE layer (the ceiling).
// Both answer `opCounts()` (FUSE requests answered, by op, from the process's SIGUSR2 stats line) and expose the
// pid whose peak RSS (VmHWM) the suite reads.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { runChecked } from '../support/run-command.js';

export type OpCounts = Record<string, number>;

export interface BenchMount {
  readonly dir: string;
  readonly pid: number;
  opCounts(): Promise<OpCounts>;
  stop(): Promise<void>;
}

/** How long a stats line may take to appear after SIGUSR2. */
const STATS_TIMEOUT_MS = 10_000;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Resets the peak RSS (VmHWM) of `pid` to its current RSS (Linux >= 4.0: clear_refs 5). */
export async function resetPeakRss(pid: number): Promise<void> {
  await writeFile(`/proc/${pid}/clear_refs`, '5').catch(() => undefined);
}

/** Peak resident set size of `pid` since start or the last resetPeakRss, in bytes. */
export async function peakRssBytes(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmHWM:\s+(\d+)\s+kB/mu.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

export class DaemonMount implements BenchMount {
  private constructor(
    private readonly repoRoot: string,
    readonly dir: string,
    readonly pid: number,
    private readonly logFile: string,
  ) {}

  /** Mounts with `ignite-fuse mount DIR --background` plus `extraArgs` (e.g. --cache-size). */
  static async start(repoRoot: string, dir: string, workDir: string, extraArgs: readonly string[]): Promise<DaemonMount> {
    await mkdir(dir, { recursive: true });
    const logFile = join(workDir, 'daemon.log');
    const pidFile = join(workDir, 'daemon.pid');
    await runChecked(process.execPath, [
      join(repoRoot, 'bin/ignite-fuse.js'), 'mount', dir, '--background', '--log-file', logFile, '--pid-file', pidFile,
      ...extraArgs,
    ], { cwd: repoRoot });
    const pid = Number((await readFile(pidFile, 'utf8')).trim());
    if (!Number.isInteger(pid) || pid <= 0) throw new Error(`bad pid file ${pidFile}`);
    return new DaemonMount(repoRoot, dir, pid, logFile);
  }

  async opCounts(): Promise<OpCounts> {
    const before = await this.statsLines();
    process.kill(this.pid, 'SIGUSR2');
    const deadline = Date.now() + STATS_TIMEOUT_MS;
    for (;;) {
      const lines = await this.statsLines();
      if (lines.length > before.length) {
        const json = lines[lines.length - 1]!.replace(/^.*? stats /u, '');
        return (JSON.parse(json) as { ops: OpCounts }).ops;
      }
      if (Date.now() > deadline) throw new Error(`daemon ${this.pid} logged no stats line within ${STATS_TIMEOUT_MS} ms`);
      await sleep(20);
    }
  }

  /** The daemon's cache counters from its last stats line (after opCounts()). */
  async lastCacheStats(): Promise<Record<string, number> | undefined> {
    const lines = await this.statsLines();
    const last = lines[lines.length - 1];
    if (last === undefined) return undefined;
    return (JSON.parse(last.replace(/^.*? stats /u, '')) as { cache?: Record<string, number> }).cache;
  }

  async stop(): Promise<void> {
    await runChecked(process.execPath, [join(this.repoRoot, 'bin/ignite-fuse.js'), 'unmount', this.dir], { cwd: this.repoRoot });
  }

  private async statsLines(): Promise<string[]> {
    const text = await readFile(this.logFile, 'utf8').catch(() => '');
    return text.split('\n').filter((l) => l.includes(' stats {'));
  }
}

export class NullMount implements BenchMount {
  private readonly statsWaiters: Array<(line: string) => void> = [];

  private constructor(readonly dir: string, private readonly child: ChildProcess, readonly pid: number, lines: Interface) {
    lines.on('line', (line) => {
      if (line.startsWith('stats ')) this.statsWaiters.shift()?.(line.slice('stats '.length));
    });
  }

  static async start(repoRoot: string, dir: string): Promise<NullMount> {
    await mkdir(dir, { recursive: true });
    const child = spawn(process.execPath, [join(repoRoot, 'build/bench/null-mount.js'), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout! });
    const pid = await new Promise<number>((resolve, reject) => {
      const onLine = (line: string): void => {
        const m = /^ready (\d+)$/u.exec(line);
        if (m !== null) {
          lines.off('line', onLine);
          resolve(Number(m[1]));
        }
      };
      lines.on('line', onLine);
      child.once('exit', (code) => reject(new Error(`null-mount exited with ${code} before it was ready`)));
      child.once('error', reject);
    });
    return new NullMount(dir, child, pid, lines);
  }

  opCounts(): Promise<OpCounts> {
    return new Promise<OpCounts>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('null-mount printed no stats line')), STATS_TIMEOUT_MS);
      this.statsWaiters.push((line) => {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { ops: OpCounts }).ops);
      });
      process.kill(this.pid, 'SIGUSR2');
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    await exited;
  }
}

/** Difference of two op-count snapshots (requests answered in between). */
export function opDelta(after: OpCounts, before: OpCounts): OpCounts {
  const out: OpCounts = {};
  for (const [op, n] of Object.entries(after)) {
    const d = n - (before[op] ?? 0);
    if (d !== 0) out[op] = d;
  }
  return out;
}
