// The Ignite node a benchmark measures against, started through the project's own script (a no-op when the
// default instance already runs with the same flags).
import { join } from 'node:path';
import { runChecked } from './run-command.js';

export async function ensureIgnite(repoRoot: string): Promise<void> {
  await runChecked(join(repoRoot, 'scripts/ignite'), ['start'], { cwd: repoRoot });
}

/** Process ids of the default instance's server nodes, from `scripts/ignite status` (`pid=N` per node line). */
export async function ignitePids(repoRoot: string): Promise<number[]> {
  const { stdout } = await runChecked(join(repoRoot, 'scripts/ignite'), ['status'], { cwd: repoRoot });
  return [...stdout.matchAll(/\bpid=(\d+)/gu)].map((m) => Number(m[1]));
}
