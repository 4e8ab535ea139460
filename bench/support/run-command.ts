// Runs a helper program (scripts/ignite, scripts/ignite-java) and collects its output.
import { spawn } from 'node:child_process';

export interface CommandResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export class CommandError extends Error {
  constructor(readonly command: string, readonly result: CommandResult) {
    const tail = result.stderr.trim().split('\n').slice(-5).join('\n');
    super(`${command} exited with ${result.status}${tail === '' ? '' : `:\n${tail}`}`);
    this.name = 'CommandError';
  }
}

export function runCommand(file: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, [...args], { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (status) => resolve({
      status,
      stdout: Buffer.concat(out).toString('utf8'),
      stderr: Buffer.concat(err).toString('utf8'),
    }));
  });
}

/** Runs and insists on exit 0. */
export async function runChecked(file: string, args: readonly string[], options: { cwd?: string } = {}): Promise<CommandResult> {
  const result = await runCommand(file, args, options);
  if (result.status !== 0) throw new CommandError(`${file} ${args.join(' ')}`, result);
  return result;
}
