// `igfs mkdir [-p] PATH`: mkdir(1) semantics over MAKE_DIRECTORIES, which by itself is always `mkdir -p` and
// succeeds on an existing directory (igfs-protocol.md §5.6), so the POSIX failures are checked first.
import type { Argv, CommandModule } from 'yargs';
import { callerProps } from './caller-props.js';
import { OperationError, Reason } from './cli-errors.js';
import { runIgfsAction, type IgfsCommandEnv } from './igfs-action.js';
import { normalizeIgfsPath } from './igfs-path-arg.js';
import { requireParentDirectory } from './lookups.js';

interface MkdirArgs {
  path: string;
  parents: boolean;
}

export function mkdirCommand(env: IgfsCommandEnv): CommandModule<object, MkdirArgs> {
  return {
    command: 'mkdir <path>',
    describe: 'Create a directory (an existing path fails unless -p; -p also creates missing parents)',
    builder: (y: Argv) => y
      .positional('path', { type: 'string', describe: 'IGFS directory' })
      .option('parents', { alias: 'p', type: 'boolean', default: false, describe: 'No error if it exists; create parents as needed' }) as unknown as Argv<MkdirArgs>,
    handler: (argv) => runIgfsAction({
      command: 'mkdir',
      argv,
      env,
      subject: () => normalizeIgfsPath(argv.path),
      action: async (ctx) => {
        const path = ctx.subject;
        const existing = await ctx.client.info(path);
        if (existing !== null) {
          if (argv.parents && existing.isDirectory) return;
          throw new OperationError(path, Reason.exists);
        }
        if (!argv.parents) await requireParentDirectory(ctx.client, path);
        // With -p, every directory MAKE_DIRECTORIES creates gets these properties, as mkdir -p gives each the mode.
        await ctx.client.mkdirs(path, callerProps('directory'));
      },
    }),
  };
}
