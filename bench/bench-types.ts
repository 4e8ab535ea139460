// The contract between bench/main.ts and its suites. A suite is a module `bench/suites/<name>.ts` exporting
// `suite: BenchSuite`; main.ts loads it by name, so adding a suite (mount, caches) touches no other file.

/** One measured path of one workload: the number reported (median of the samples) and its unit. */
export interface PathMeasurement {
  /** Short, stable name of what was measured (`ignite-fuse`, `java-igfs`, `mount`...). */
  path: string;
  /** What the path is, for the JSON and the docs (API, request sizes...). */
  description: string;
  unit: 'MB/s' | 'ops/s';
  /** One value per repetition, in `unit` (higher is better for both units). */
  samples: number[];
  /** Anything else worth keeping (request sizes, byte counts, durations). */
  details?: Record<string, unknown>;
}

export interface WorkloadResult {
  /** `write-seq`, `read-seq`, ... */
  workload: string;
  /** `path` of the measurement every other one is compared with; absent when there is none. */
  baseline?: string;
  measurements: PathMeasurement[];
}

export interface BenchOptions {
  /** Bytes per file for throughput workloads (`--size`, default 1 GiB). */
  sizeBytes: number;
  /** Repetitions of every measurement (`--repeat`); the reported number is the median. */
  repeat: number;
  /** `--sweep`: also measure the tuning alternatives a suite knows (request sizes, depths). */
  sweep: boolean;
  /** `--paths a,b`: measure only these paths (e.g. for profiling one of them); undefined = all. */
  paths?: readonly string[];
}

export interface BenchContext {
  readonly options: BenchOptions;
  /** Repository root (scripts/, bin/). */
  readonly repoRoot: string;
  /** Progress notes to stderr; results go through the returned WorkloadResults only. */
  note(message: string): void;
}

export interface BenchSuite {
  readonly name: string;
  readonly description: string;
  /** Starts whatever the suite needs itself (scripts/ignite start, a mount...), measures, cleans up. */
  run(ctx: BenchContext): Promise<WorkloadResult[]>;
}

/** One line of the JSON output: one per (suite, workload, path). */
export interface BenchRecord {
  suite: string;
  workload: string;
  path: string;
  description: string;
  value: number;
  unit: PathMeasurement['unit'];
  samples: number[];
  baseline: string | null;
  /** value / baseline value; null for the baseline itself or without one. */
  ratio: number | null;
  details: Record<string, unknown>;
}
