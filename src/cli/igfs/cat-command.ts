// `igfs cat PATH`: a file's bytes to stdout.
import type { Argv, CommandModule } from 'yargs';
import { OperationError, Reason } from './cli-errors.js';
import { download } from './download.js';
import { runIgfsAction, type IgfsCommandEnv } from './igfs-action.js';
import { normalizeIgfsPath } from './igfs-path-arg.js';
import { requireEntry } from './lookups.js';
import { StreamSink } from './stream-sink.js';

interface CatArgs {
  path: string;
}

export function catCommand(env: IgfsCommandEnv): CommandModule<object, CatArgs> {
  return {
    command: 'cat <path>',
    describe: 'Write a file to stdout',
    builder: (y: Argv) => y.positional('path', { type: 'string', describe: 'IGFS file' }) as unknown as Argv<CatArgs>,
    handler: (argv) => runIgfsAction({
      command: 'cat',
      argv,
      env,
      subject: () => normalizeIgfsPath(argv.path),
      action: async (ctx) => {
        const info = await requireEntry(ctx.client, ctx.subject);
        if (info.isDirectory) throw new OperationError(ctx.subject, Reason.isDirectory);
        await download(ctx.client, ctx.subject, new StreamSink(process.stdout));
      },
    }),
  };
}
