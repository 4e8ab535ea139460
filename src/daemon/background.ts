// --background: the parent re-runs the same command as a detached child, relays its output until every mountpoint
// reports ready (then exits 0) or the child fails first (then prints why and exits 1). The child detaches its
// output once ready, so the parent's terminal is free and nothing writes to a closed pipe.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** Hidden flag that tells the child it is the daemon of a --background parent. */
export const DAEMON_CHILD_FLAG = '--daemon-child';

export interface BackgroundResult {
  ok: boolean;
  /** Lines the child printed before it was ready (the "ready" lines on success, the reason on failure). */
  lines: string[];
  pid: number | undefined;
}

/** Arguments for the child: the original ones without --background / --no-background, plus the hidden flag. */
export function childArgs(argv: readonly string[]): string[] {
  const out = argv.filter((a) => a !== '--background' && !a.startsWith('--background='));
  return [...out, '--no-background', DAEMON_CHILD_FLAG];
}

export async function startInBackground(script: string, argv: readonly string[], readyCount: number): Promise<BackgroundResult> {
  const child = spawn(process.execPath, [script, ...childArgs(argv)], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let ready = 0;
  return new Promise<BackgroundResult>((resolve) => {
    let settled = false;
    const settle = (ok: boolean): void => {
      if (settled) return;
      settled = true;
      out.close();
      err.close();
      child.stdout?.destroy();
      child.stderr?.destroy();
      child.unref();
      resolve({ ok, lines, pid: child.pid });
    };
    const out = createInterface({ input: child.stdout! });
    const err = createInterface({ input: child.stderr! });
    out.on('line', (line) => {
      lines.push(line);
      if (line.startsWith('ready')) {
        ready += 1;
        if (ready >= readyCount) settle(true);
      }
    });
    err.on('line', (line) => lines.push(line));
    // 'close', not 'exit': the reason may still be in the pipes when the process is already gone.
    child.on('close', (code, signal) => {
      // A child that dies without a word (killed, crashed before logging) must still leave a reason.
      if (!settled && lines.length === 0) lines.push(`ignite-fuse mount: the daemon exited (${signal ?? `code ${code}`}) before it was ready`);
      settle(false);
    });
    child.on('error', (e) => {
      lines.push(`ignite-fuse mount: cannot start the daemon: ${e.message}`);
      settle(false);
    });
  });
}
