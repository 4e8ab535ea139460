// The yargs root: every sub-command registers itself here.
import yargs from 'yargs';
import { readFileSync } from 'node:fs';

import { EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import { mountCommand } from './mount-command.js';
import { unmountCommand } from './unmount-command.js';

export { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './exit-codes.js';

export function packageVersion(): string {
  const url = new URL('../../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}

export async function runCli(argv: string[]): Promise<number> {
  let exitCode = EXIT_OK;
  const parser = yargs(argv)
    .scriptName('ignite-fuse')
    .usage('$0 <command> [options]')
    .version(packageVersion())
    .demandCommand(1, 'Give a command; see --help.')
    .command((await import('./igfs/igfs-command.js')).igfsCommand((code) => { exitCode = code; }))
    .command(mountCommand((code) => { exitCode = code; }, argv))
    .command(unmountCommand((code) => { exitCode = code; }))
    .strict()
    .help()
    // Throwing (not just reporting) stops yargs before it runs the command's handler: `mount a b extra` must not
    // mount anything.
    .fail((msg, err) => {
      if (err) throw err;
      throw new UsageError(msg);
    });
  try {
    await parser.parseAsync();
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`ignite-fuse: ${err.message}\n`);
    return EXIT_USAGE;
  }
  return exitCode;
}

class UsageError extends Error {}
