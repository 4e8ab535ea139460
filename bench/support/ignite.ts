// The Ignite node a benchmark measures against: the default instance of the project's own script.
import { join } from 'node:path';
import { runChecked, runCommand } from './run-command.js';

export async function ensureIgnite(repoRoot: string): Promise<void> {
  // `status` exits 0 when the instance runs: use it as it is (`start` refuses a running instance whose flags
  // differ from the script's current defaults); start it only when it is down.
  const status = await runCommand(join(repoRoot, 'scripts/ignite'), ['status'], { cwd: repoRoot });
  if (status.status === 0) return;
  await runChecked(join(repoRoot, 'scripts/ignite'), ['start'], { cwd: repoRoot });
}

/** Process ids of the default instance's server nodes, from `scripts/ignite status` (`pid=N` per node line). */
export async function ignitePids(repoRoot: string): Promise<number[]> {
  const { stdout } = await runChecked(join(repoRoot, 'scripts/ignite'), ['status'], { cwd: repoRoot });
  return [...stdout.matchAll(/\bpid=(\d+)/gu)].map((m) => Number(m[1]));
}
