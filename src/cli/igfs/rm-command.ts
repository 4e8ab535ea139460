// `igfs rm [-r] PATH`: remove a file or an empty directory; a non-empty directory only with -r.
import type { Argv, CommandModule } from 'yargs';
import { ROOT_PATH } from '../../igfs/protocol/igfs-path.js';
import { OperationError, Reason } from './cli-errors.js';
import { runIgfsAction, type IgfsCommandEnv } from './igfs-action.js';
import { normalizeIgfsPath } from './igfs-path-arg.js';
import { requireEntry } from './lookups.js';

interface RmArgs {
  path: string;
  recursive: boolean;
}

export function rmCommand(env: IgfsCommandEnv): CommandModule<object, RmArgs> {
  return {
    command: 'rm <path>',
    describe: 'Remove a file or an empty directory; -r removes a directory with everything in it. A missing path fails',
    builder: (y: Argv) => y
      .positional('path', { type: 'string', describe: 'IGFS path' })
      .option('recursive', { alias: 'r', type: 'boolean', default: false, describe: 'Remove directories and their contents' }) as unknown as Argv<RmArgs>,
    handler: (argv) => runIgfsAction({
      command: 'rm',
      argv,
      env,
      subject: () => normalizeIgfsPath(argv.path),
      action: async (ctx) => {
        const path = ctx.subject;
        // IGFS answers DELETE of the root with false (no error); say why instead of "No such file".
        if (path === ROOT_PATH) throw new OperationError(path, `${Reason.busy} (the root cannot be removed)`);
        await requireEntry(ctx.client, path);
        // A non-empty directory without -r is refused by the server itself (code 4 -> "Directory not empty").
        const deleted = await ctx.client.delete(path, { recursive: argv.recursive });
        if (!deleted) throw new OperationError(path, Reason.notFound); // removed by someone else meanwhile
      },
    }),
  };
}
