// `ignite-fuse igfs <cmd>`: file operations straight on IGFS, without a mount (design.md "Interfaces").
import type { Argv, CommandModule } from 'yargs';
import { yargsOptionsFor } from '../../config/yargs-options.js';
import { catCommand } from './cat-command.js';
import { dfCommand } from './df-command.js';
import { duCommand } from './du-command.js';
import { getCommand } from './get-command.js';
import type { IgfsCommandEnv } from './igfs-action.js';
import { lsCommand } from './ls-command.js';
import { mkdirCommand } from './mkdir-command.js';
import { mvCommand } from './mv-command.js';
import { putCommand } from './put-command.js';
import { rmCommand } from './rm-command.js';
import { statCommand } from './stat-command.js';
import { touchCommand } from './touch-command.js';

export type { IgfsCommandEnv } from './igfs-action.js';

// One paragraph per string: yargs wraps them to the terminal width itself.
const EPILOGUE = [
  'Paths: IGFS has no working directory, so a relative PATH is taken from the root ("data/x" is "/data/x"); ' +
    '"." and ".." are resolved, and repeated or trailing slashes ignored.',
  'New files and directories get the caller\'s user, group and mode (after the umask) as the IGFS properties ' +
    'usrName, grpName and permission, as the mount and Hadoop store them.',
  'Exit status: 0 on success; 1 when the operation failed, with one line on stderr ' +
    '("ignite-fuse igfs <cmd>: <path>: <reason>"); 2 on a usage error.',
].join('\n\n');

/** `setExitCode` receives each sub-command's exit status (runCli returns it to main.ts). */
export function igfsCommand(setExitCode: (code: number) => void): CommandModule {
  let usageFailed = false;
  const env: IgfsCommandEnv = { setExitCode, usageFailed: () => usageFailed };
  return {
    command: 'igfs',
    describe: 'Work with IGFS files directly: ls, stat, cat, put, get, mkdir, rm, mv, touch, df, du',
    builder: (y: Argv) => y
      .options(yargsOptionsFor('igfs'))
      .command(lsCommand(env))
      .command(statCommand(env))
      .command(catCommand(env))
      .command(putCommand(env))
      .command(getCommand(env))
      .command(mkdirCommand(env))
      .command(rmCommand(env))
      .command(mvCommand(env))
      .command(touchCommand(env))
      .command(dfCommand(env))
      .command(duCommand(env))
      // Called besides runCli's own fail handler (which prints the message and returns exit code 2); remembers the
      // failure so the sub-command's handler, which yargs runs anyway, does nothing.
      .fail((_msg, err) => {
        if (err) throw err;
        usageFailed = true;
      })
      .demandCommand(1, 'Give an igfs command; see ignite-fuse igfs --help.')
      .epilogue(EPILOGUE),
    handler: () => undefined,
  };
}
