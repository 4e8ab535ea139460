// `ignite-fuse unmount MOUNTPOINT [--force]`: asks the daemon to flush and unmount; --force also recovers a mount
// whose daemon died (or does not finish in time).
import { resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { stopDaemon, UnmountError } from '../daemon/stop-daemon.js';
import { EXIT_FAILURE, EXIT_OK, type SetExit } from './exit-codes.js';

interface UnmountArgs {
  mountpoint: string;
  force: boolean;
  timeout: number;
}

export function unmountCommand(setExit: SetExit): CommandModule<object, UnmountArgs> {
  return {
    command: 'unmount <mountpoint>',
    describe: 'Flush and unmount a mount made by `ignite-fuse mount`',
    builder: (y: Argv) => y
      .positional('mountpoint', { type: 'string', demandOption: true, describe: 'The mountpoint' })
      .option('force', {
        type: 'boolean', default: false,
        describe: 'Also recover a dead mount (lazy unmount), and kill a daemon that does not finish in time',
      })
      .option('timeout', {
        type: 'number', default: 120, describe: 'Seconds to wait for the daemon to flush and exit',
      }) as unknown as Argv<UnmountArgs>,
    handler: async (args: ArgumentsCamelCase<UnmountArgs>) => {
      try {
        const done = await stopDaemon(resolve(args.mountpoint), { force: args.force, timeoutMs: args.timeout * 1000 });
        process.stdout.write(`${done}\n`);
        setExit(EXIT_OK);
      } catch (err) {
        if (!(err instanceof UnmountError)) throw err;
        process.stderr.write(`ignite-fuse unmount: ${err.message}\n`);
        setExit(EXIT_FAILURE);
      }
    },
  };
}
