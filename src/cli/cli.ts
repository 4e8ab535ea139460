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
    .fail((msg, err) => {
      if (err) throw err;
      process.stderr.write(`ignite-fuse: ${msg}\n`);
      exitCode = EXIT_USAGE;
    });
  await parser.parseAsync();
  return exitCode;
}
