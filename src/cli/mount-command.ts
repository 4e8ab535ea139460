// `ignite-fuse mount [IGFS_MOUNTPOINT] [options]`: foreground by default (prints one `ready` line per mountpoint,
// stops on SIGINT/SIGTERM); --background returns 0 once every mountpoint is live.
import { resolve } from 'node:path';
import { writeFile, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { yargsOptionsFor } from '../config/yargs-options.js';
import { loadConfig } from '../config/load.js';
import { ConfigError } from '../config/config-error.js';
import type { Config } from '../config/option-table.js';
import { createLogger } from '../log/logger.js';
import { openLogSink } from '../log/log-sink.js';
import { Daemon, DaemonStartError } from '../daemon/daemon.js';
import { DAEMON_CHILD_FLAG, startInBackground } from '../daemon/background.js';
import { defaultRegistryDir } from '../daemon/registry.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type SetExit } from './exit-codes.js';

interface MountArgs {
  igfsMountpoint?: string;
  daemonChild?: boolean;
  [key: string]: unknown;
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function fail(line: string): void {
  process.stderr.write(`ignite-fuse mount: ${line}\n`);
}

function relayError(line: string): void {
  process.stderr.write(`${line}\n`);
}

function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolveSignal) => {
    const onSignal = (sig: NodeJS.Signals): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.off('SIGHUP', onSignal);
      resolveSignal(sig);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    process.on('SIGHUP', onSignal);
  });
}

function bin(): string {
  return fileURLToPath(new URL('../../../bin/ignite-fuse.js', import.meta.url));
}

async function runMount(args: MountArgs, setExit: SetExit, rawArgv: readonly string[]): Promise<void> {
  let config: Config;
  try {
    config = loadConfig({ command: 'mount', argv: args });
  } catch (err) {
    if (err instanceof ConfigError) {
      fail(err.message);
      setExit(EXIT_USAGE);
      return;
    }
    throw err;
  }
  const igfsMountpoint = args.igfsMountpoint === undefined ? undefined : resolve(args.igfsMountpoint);
  if (igfsMountpoint === undefined && config.cachesOnlyMountpoint === undefined) {
    fail('give the IGFS mountpoint (or --caches-only DIR)');
    setExit(EXIT_USAGE);
    return;
  }
  if (igfsMountpoint !== undefined && config.cachesOnlyMountpoint !== undefined) {
    fail('--caches-only mounts only the caches view: give no IGFS mountpoint with it');
    setExit(EXIT_USAGE);
    return;
  }

  if (config.background && args.daemonChild !== true) {
    const mountpoints = [igfsMountpoint, config.cachesMountpoint, config.cachesOnlyMountpoint].filter((m) => m !== undefined);
    const started = await startInBackground(bin(), rawArgv, mountpoints.length);
    // The child's lines already carry their `ignite-fuse mount:` prefix: relay them as they are.
    for (const line of started.lines) (started.ok ? say : relayError)(line);
    setExit(started.ok ? EXIT_OK : EXIT_FAILURE);
    return;
  }

  const daemonChild = args.daemonChild === true;
  // A background daemon never writes to the terminal after it is ready: its log goes to a file.
  const logFile = config.logFile ?? (daemonChild ? `${defaultRegistryDir()}/daemon-${process.pid}.log` : undefined);
  const logger = createLogger({ level: config.logLevel, sink: openLogSink(logFile) });
  if (daemonChild) {
    process.stdout.on('error', () => undefined);
    process.stderr.on('error', () => undefined);
  }

  const daemon = new Daemon({ config: { ...config, logFile }, logger });
  const stopSignal = waitForSignal();
  let mounted;
  try {
    mounted = await daemon.start(igfsMountpoint);
  } catch (err) {
    fail(err instanceof DaemonStartError ? err.message : `unexpected failure: ${(err as Error).message}`);
    // Without --log-file the log is stderr, where the one-line reason was just written: say it once.
    if (logFile !== undefined) logger.error('start failed', { error: err });
    setExit(EXIT_FAILURE);
    return;
  }
  if (config.pidFile !== undefined) await writeFile(config.pidFile, `${process.pid}\n`);
  for (const m of mounted) say(`ready: ${m.role} mounted at ${m.mountpoint} (pid ${process.pid})`);
  logger.info(`ready: ${mounted.map((m) => `${m.role} at ${m.mountpoint}`).join(', ')}`);

  const sig = await stopSignal;
  logger.info(`${sig}: flushing open files and unmounting`);
  try {
    await daemon.stop();
    logger.info('stopped');
    setExit(EXIT_OK);
  } catch (err) {
    logger.error(`stop: ${(err as Error).message}`);
    if (!daemonChild) fail((err as Error).message);
    setExit(EXIT_FAILURE);
  } finally {
    if (config.pidFile !== undefined) await rm(config.pidFile, { force: true });
  }
}

export function mountCommand(setExit: SetExit, rawArgv: readonly string[]): CommandModule<object, MountArgs> {
  return {
    command: 'mount [igfsMountpoint]',
    describe: 'Mount IGFS (and/or the caches view) with FUSE',
    builder: (y: Argv) => y
      .positional('igfsMountpoint', { type: 'string', describe: 'Where to mount IGFS (an existing empty directory)' })
      .options(yargsOptionsFor('mount'))
      .option(DAEMON_CHILD_FLAG.slice(2), { type: 'boolean', hidden: true }) as unknown as Argv<MountArgs>,
    handler: (args: ArgumentsCamelCase<MountArgs>) => runMount(args, setExit, rawArgv),
  };
}
