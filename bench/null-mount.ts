// Dev-only: mounts our POSIX layer over an in-memory store (FileSystem over MemoryBackend, no IGFS, no caches)
// with the daemon's FUSE options, so the `mount` benchmark can measure the ceiling of FUSE in Node on this machine.
//
//   node build/bench/null-mount.js MOUNTPOINT
//
// Prints `ready <pid>` once the mount is live. SIGUSR2 prints one line `stats {"ops":{...}}` (FUSE requests answered
// by op); SIGTERM/SIGINT unmounts and exits. Not part of the product: nothing in src/ imports it.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FileSystem } from '../src/fs/filesystem.js';
import { MemoryBackend } from '../src/fs/memory-backend.js';
import { mount } from '../src/fuse/mount.js';
import { findOption } from '../src/config/option-table.js';
import { parseDuration } from '../src/config/parse-duration.js';

/** The daemon's defaults for the kernel's caches, read from the one option table so both mounts agree. */
function defaultMs(option: string): number {
  const spec = findOption(option);
  if (spec === undefined || typeof spec.default !== 'string') throw new Error(`no default for --${option}`);
  return parseDuration(spec.default);
}

async function main(): Promise<void> {
  const mountpoint = process.argv[2];
  if (mountpoint === undefined) {
    process.stderr.write('usage: null-mount MOUNTPOINT\n');
    process.exitCode = 2;
    return;
  }
  const fs = await FileSystem.create(new MemoryBackend(), {
    stagingDir: await mkdtemp(join(tmpdir(), 'ignite-fuse-null-staging-')),
  });
  const ops = new Map<string, number>();
  const logger = {
    warn: (m: string) => process.stderr.write(`${m}\n`),
    debug: () => undefined,
  };
  const fuse = await mount(fs, {
    mountpoint,
    fsname: 'ignite-fuse-null',
    subtype: 'null',
    attrTimeoutMs: defaultMs('attr-ttl'),
    entryTimeoutMs: defaultMs('entry-ttl'),
    negativeTimeoutMs: defaultMs('negative-ttl'),
    opTimeoutMs: defaultMs('op-timeout'),
  }, { logger, observer: (op) => ops.set(op, (ops.get(op) ?? 0) + 1) });
  process.on('SIGUSR2', () => {
    process.stdout.write(`stats ${JSON.stringify({ ops: Object.fromEntries(ops) })}\n`);
  });
  const stop = async (): Promise<void> => {
    await fs.shutdown().catch((err: unknown) => process.stderr.write(`shutdown: ${String(err)}\n`));
    await fuse.unmount().catch(() => fuse.unmount({ lazy: true }));
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
  process.stdout.write(`ready ${process.pid}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err: unknown) => {
    process.stderr.write(`null-mount: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
