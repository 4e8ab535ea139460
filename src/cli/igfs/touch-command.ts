// `igfs touch PATH`: create an empty file when missing, otherwise set its modification and access times to now.
import type { Argv, CommandModule } from 'yargs';
import { isServerError } from '../../igfs/errors.js';
import { callerProps } from './caller-props.js';
import { runIgfsAction, type IgfsCommandEnv } from './igfs-action.js';
import { normalizeIgfsPath } from './igfs-path-arg.js';
import { requireParentDirectory } from './lookups.js';

interface TouchArgs {
  path: string;
}

export function touchCommand(env: IgfsCommandEnv): CommandModule<object, TouchArgs> {
  return {
    command: 'touch <path>',
    describe: 'Create an empty file if missing, else set its mtime and atime to now',
    builder: (y: Argv) => y.positional('path', { type: 'string', describe: 'IGFS path' }) as unknown as Argv<TouchArgs>,
    handler: (argv) => runIgfsAction({
      command: 'touch',
      argv,
      env,
      subject: () => normalizeIgfsPath(argv.path),
      action: async (ctx) => {
        const path = ctx.subject;
        if ((await ctx.client.info(path)) === null) {
          await requireParentDirectory(ctx.client, path);
          try {
            const writer = await ctx.client.openCreate(path, { overwrite: false, props: callerProps('file') });
            await writer.close();
            return;
          } catch (err) {
            // Created by someone else since the check: touch it like an existing file.
            if (!isServerError(err, 'already-exists')) throw err;
          }
        }
        const nowMs = Date.now();
        await ctx.client.setTimes(path, { accessTimeMs: nowMs, modificationTimeMs: nowMs });
      },
    }),
  };
}
