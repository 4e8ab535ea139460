// Helpers for the IGFS integration tests: the real Ignite 2.8.1 node(s) started by scripts/ignite, unique work
// directories, and cleanup. Tests never stop the default instance.

import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { IgfsClient, type IgfsClientOptions } from '../../../src/igfs/client.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Repository root (this file runs from build/test/integration/igfs). */
export const REPO_ROOT = path.resolve(here, '..', '..', '..', '..');
export const IGNITE_SCRIPT = path.join(REPO_ROOT, 'scripts', 'ignite');
export const DEFAULT_IGFS_ENDPOINT = '127.0.0.1:10500';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(file: string, args: string[], timeoutMs = 15 * 60_000, env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const options = { cwd: REPO_ROOT, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, ...env } };
    execFile(file, args, options, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof (err as NodeJS.ErrnoException).code === 'number' ? ((err as unknown as { code: number }).code) : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** `scripts/ignite start [--instance NAME]` (idempotent); throws with the script's output when it fails. */
export async function startInstance(instance?: string, env: NodeJS.ProcessEnv = {}): Promise<void> {
  const args = instance === undefined ? [] : ['--instance', instance];
  // A running instance answers status at once without taking the instance lock that start/stop hold.
  const status = await run(IGNITE_SCRIPT, ['status', ...args]);
  if (status.code === 0) return;
  const r = await run(IGNITE_SCRIPT, ['start', ...args], undefined, env);
  if (r.code !== 0) throw new Error(`scripts/ignite start ${args.join(' ')} failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
}

export async function stopInstance(instance: string): Promise<void> {
  if (instance === 'default') throw new Error('tests never stop the default instance');
  const r = await run(IGNITE_SCRIPT, ['stop', '--instance', instance]);
  if (r.code !== 0) throw new Error(`scripts/ignite stop --instance ${instance} failed:\n${r.stdout}\n${r.stderr}`);
}

/** The IGFS endpoint of node 0 of an instance, from `scripts/ignite status`. */
export async function igfsEndpointOf(instance: string): Promise<string> {
  const r = await run(IGNITE_SCRIPT, ['status', '--instance', instance]);
  const m = /node=0 .*igfs=(\S+)/.exec(r.stdout);
  if (r.code !== 0 || m === null || m[1] === 'none') throw new Error(`no IGFS endpoint in status of ${instance}:\n${r.stdout}${r.stderr}`);
  return m[1];
}

export function uniqueDir(prefix = 'it'): string {
  return `/${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

export function newClient(options: IgfsClientOptions = {}): IgfsClient {
  return new IgfsClient({ endpoints: DEFAULT_IGFS_ENDPOINT, requestTimeoutMs: 60_000, ...options });
}
