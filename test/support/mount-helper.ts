// Real `ignite-fuse mount --background` daemons for the e2e tests: start one on a fresh temp mountpoint with given
// extra options, stop it (with --force as the fallback), and run shell tools / Python against it.
//
// Everything here is asynchronous or runs in a child process: the daemon is a separate process, so the test
// process may block, but keeping it async lets tests watch several children at once.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const bin = join(repoRoot, 'bin/ignite-fuse.js');
export const igniteScript = join(repoRoot, 'scripts/ignite');
export const igniteJavaScript = join(repoRoot, 'scripts/ignite-java');

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  stdoutBytes: Buffer;
}

export interface RunOptions {
  input?: string | Buffer;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Kill the child after this long (a hung FUSE op must not hang the test run). Default 120 s. */
  killAfterMs?: number;
}

/** Runs a program without a shell; never rejects for a non-zero exit. */
export function run(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 120_000);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      clearTimeout(killer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      const stdoutBytes = Buffer.concat(out);
      resolve({ code, signal, stdout: stdoutBytes.toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), stdoutBytes });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

/** Runs a bash script (for pipes and redirections); `args` become $1... */
export function sh(script: string, args: readonly string[] = [], options: RunOptions = {}): Promise<RunResult> {
  return run('bash', ['-euo', 'pipefail', '-c', script, 'sh', ...args], options);
}

/** Like sh, but throws with the output when the script fails. */
export async function shOk(script: string, args: readonly string[] = [], options: RunOptions = {}): Promise<RunResult> {
  const r = await sh(script, args, options);
  if (r.code !== 0) throw new Error(`script failed (${r.code ?? r.signal}): ${script}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r;
}

/**
 * Runs a Python 3 snippet; `args` are in sys.argv[1:]. The snippet prints one JSON document on stdout, which is
 * parsed and returned.
 */
export async function python<T = unknown>(code: string, args: readonly string[] = [], options: RunOptions = {}): Promise<T> {
  const r = await run('python3', ['-c', code, ...args], options);
  if (r.code !== 0) throw new Error(`python failed (${r.code ?? r.signal}):\n${r.stderr}\nstdout: ${r.stdout}`);
  return JSON.parse(r.stdout) as T;
}

/** Runs `ignite-fuse ARGS...` (the real CLI). */
export function cli(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return run(process.execPath, [bin, ...args], options);
}

export function fuseAvailable(): boolean {
  return existsSync('/dev/fuse');
}

/** Whether the path is a mountpoint right now (by /proc/self/mountinfo; never touches the mount itself). */
export async function isMounted(path: string): Promise<boolean> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  const escaped = path.replace(/[ \t\n\\]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
  return text.split('\n').some((line) => line.split(' ')[4] === escaped);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function waitFor(cond: () => boolean | Promise<boolean>, what: string, limitMs = 60_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface MountedDaemon {
  mountpoint: string;
  pid: number;
  logFile: string;
  /** What `mount` printed on stdout. */
  readyLine: string;
}

export interface StartMountOptions {
  /** Extra `mount` options, e.g. ['--read-only'] or ['--igfs', '127.0.0.1:20100']. */
  args?: readonly string[];
  /** Re-use this (empty) mountpoint instead of a fresh temp directory. */
  mountpoint?: string;
}

/** Starts `ignite-fuse mount MOUNTPOINT --background --log-file LOG ...args`; throws with the CLI output on failure. */
export async function startMount(options: StartMountOptions = {}): Promise<MountedDaemon> {
  const mountpoint = options.mountpoint ?? await mkdtemp(join(tmpdir(), 'ifuse-e2e-mnt-'));
  const logFile = join(tmpdir(), `ifuse-e2e-${randomBytes(4).toString('hex')}.log`);
  const r = await cli(['mount', mountpoint, '--background', '--log-file', logFile, ...(options.args ?? [])]);
  const m = /^ready: igfs mounted at (.+) \(pid (\d+)\)$/m.exec(r.stdout);
  if (r.code !== 0 || m === null) {
    if (options.mountpoint === undefined) await rmdir(mountpoint).catch(() => undefined);
    await rm(logFile, { force: true }); // its content is the reason, already in the message below
    throw new Error(`mount failed (exit ${r.code}): ${r.stdout}${r.stderr}`);
  }
  return { mountpoint, pid: Number(m[2]), logFile, readyLine: m[0] };
}

/**
 * Unmounts (SIGTERM through `unmount`; `--force` if that fails), waits for the daemon to exit, and removes the
 * temp mountpoint unless `keepMountpoint`. Never throws: it is meant for `after` hooks; returns what happened.
 */
export async function stopMount(m: MountedDaemon, options: { keepMountpoint?: boolean } = {}): Promise<string> {
  const notes: string[] = [];
  let r = await cli(['unmount', m.mountpoint, '--timeout', '60']).catch((e: Error) => ({ code: -1, stdout: '', stderr: e.message }));
  notes.push(`unmount: ${r.code} ${r.stdout.trim()} ${r.stderr.trim()}`);
  if (await isMounted(m.mountpoint) || isAlive(m.pid)) {
    r = await cli(['unmount', m.mountpoint, '--force', '--timeout', '10']).catch((e: Error) => ({ code: -1, stdout: '', stderr: e.message }));
    notes.push(`unmount --force: ${r.code} ${r.stdout.trim()} ${r.stderr.trim()}`);
  }
  if (isAlive(m.pid)) {
    // Only the daemon this helper started, by its pid.
    try {
      process.kill(m.pid, 'SIGKILL');
      notes.push(`killed ${m.pid}`);
    } catch { /* gone meanwhile */ }
  }
  if (await isMounted(m.mountpoint)) {
    await run('fusermount', ['-uz', m.mountpoint]).catch(() => undefined);
  }
  if (options.keepMountpoint !== true) await rmdir(m.mountpoint).catch(() => undefined);
  // The daemon's log is kept only on request (IGNITE_FUSE_E2E_KEEP_LOGS=1), for a failing run.
  if (process.env.IGNITE_FUSE_E2E_KEEP_LOGS !== '1') await rm(m.logFile, { force: true });
  return notes.join('\n');
}

/** A unique directory name for one test file's work under the IGFS root. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

/** Removes a local temp path, ignoring absence. */
export async function rmLocal(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
}

export interface IgniteInstance {
  name: string;
  igfsEndpoint: string;
  igfsPort: number;
}

/** `scripts/ignite start --instance NAME` (idempotent) and its IGFS endpoint from `status`. */
export async function startInstance(name: string, env: NodeJS.ProcessEnv = process.env): Promise<IgniteInstance> {
  const r = await run(igniteScript, ['start', '--instance', name], { env, killAfterMs: 300_000 });
  if (r.code !== 0) throw new Error(`scripts/ignite start --instance ${name} failed: ${r.stdout}${r.stderr}`);
  return instanceStatus(name);
}

export async function instanceStatus(name: string): Promise<IgniteInstance> {
  const r = await run(igniteScript, ['status', '--instance', name]);
  const m = /igfs=(127\.0\.0\.1:(\d+))/.exec(r.stdout);
  if (r.code !== 0 || m === null) throw new Error(`instance ${name} not running: ${r.stdout}${r.stderr}`);
  return { name, igfsEndpoint: m[1], igfsPort: Number(m[2]) };
}

export async function stopInstance(name: string): Promise<void> {
  if (name === 'default') throw new Error('never stop the default instance');
  await run(igniteScript, ['stop', '--instance', name], { killAfterMs: 120_000 });
}

/**
 * A child process driven in steps: it prints marker lines on stdout and waits for a line on stdin between steps,
 * so a test can act from outside (kill a daemon, inject a fault) at a known point of the child's work.
 */
export class SteppedProcess {
  private readonly lines: string[] = [];
  private readonly child: ReturnType<typeof spawn>;
  private stderrText = '';
  private wake: (() => void) | undefined;
  private exited: Promise<number | null>;

  constructor(file: string, args: readonly string[]) {
    this.child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout!.setEncoding('utf8');
    let partial = '';
    this.child.stdout!.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop()!;
      this.lines.push(...parts);
      this.wake?.();
    });
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (chunk: string) => { this.stderrText += chunk; });
    this.child.stdin!.on('error', () => undefined);
    this.exited = new Promise((resolve) => this.child.on('close', (code) => {
      if (partial !== '') this.lines.push(partial);
      this.wake?.();
      resolve(code);
    }));
  }

  get output(): readonly string[] {
    return this.lines;
  }

  get stderr(): string {
    return this.stderrText;
  }

  /** Waits until a line starting with `prefix` was printed; returns it. Throws if the child exits first. */
  async waitForLine(prefix: string): Promise<string> {
    for (;;) {
      const line = this.lines.find((l) => l.startsWith(prefix));
      if (line !== undefined) return line;
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`child exited (${this.child.exitCode ?? this.child.signalCode}) before "${prefix}": ${this.lines.join(' | ')} ${this.stderrText}`);
      }
      await new Promise<void>((r) => {
        this.wake = r;
        setTimeout(r, 200);
      });
    }
  }

  /** Lets the child go on to its next step. */
  step(): void {
    this.child.stdin!.write('\n');
  }

  wait(): Promise<number | null> {
    return this.exited;
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

/** python3 -u -c CODE ARGS as a SteppedProcess. */
export function steppedPython(code: string, args: readonly string[] = []): SteppedProcess {
  return new SteppedProcess('python3', ['-u', '-c', code, ...args]);
}
