// The Ignite node a benchmark measures against, started through the project's own script (a no-op when the
// default instance already runs with the same flags).
import { join } from 'node:path';
import { runChecked } from './run-command.js';

export async function ensureIgnite(repoRoot: string): Promise<void> {
  await runChecked(join(repoRoot, 'scripts/ignite'), ['start'], { cwd: repoRoot });
}
