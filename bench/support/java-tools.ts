// Ignite's own Java clients as benchmark baselines, each in its own JVM via scripts/ignite-java. The tool times only
// the transfer (after the JVM started and joined), and prints one JSON line {"op","bytes","seconds","mbPerSec",...}.
import { join } from 'node:path';
import { CommandError, runCommand } from './run-command.js';

/** Heap of the Java tool's JVM (scripts/ignite-java reads IGNITE_FUSE_TOOL_HEAP_MB). */
const JAVA_HEAP_MB = 4096;

export interface JavaBenchResult {
  op: string;
  bytes: number;
  seconds: number;
  mbPerSec: number;
  [key: string]: unknown;
}

/** `tool` is `igfs-bench` (IgniteFileSystem on a client node) or `hadoop-bench` (IgniteHadoopFileSystem over IPC). */
export async function runJavaBench(
  repoRoot: string, tool: 'igfs-bench' | 'hadoop-bench', op: 'write' | 'read', igfsPath: string, bytes: number, bufferBytes: number,
): Promise<JavaBenchResult> {
  const script = join(repoRoot, 'scripts/ignite-java');
  const args = [tool, op, igfsPath, String(bytes), String(bufferBytes)];
  // The client node keeps a 1 GiB file's blocks on its heap while writing (the tool's default 1 GiB heap ran out
  // of memory at 1 GiB); the machine has room, so give it more unless the caller chose.
  const env = { ...process.env, IGNITE_FUSE_TOOL_HEAP_MB: process.env.IGNITE_FUSE_TOOL_HEAP_MB ?? String(JAVA_HEAP_MB) };
  const result = await runCommand(script, args, { cwd: repoRoot, env });
  if (result.status !== 0) throw new CommandError(`scripts/ignite-java ${args.join(' ')}`, result);
  const line = result.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (line === undefined) throw new Error(`scripts/ignite-java ${tool} printed no JSON: ${result.stdout.slice(0, 200)}`);
  const parsed = JSON.parse(line) as JavaBenchResult;
  if (parsed.bytes !== bytes) throw new Error(`scripts/ignite-java ${tool} ${op} moved ${parsed.bytes} bytes, expected ${bytes}`);
  return parsed;
}
