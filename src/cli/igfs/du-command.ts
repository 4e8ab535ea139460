// `igfs du PATH`: total bytes under PATH from one PATH_SUMMARY (the server walks the tree), printed as `du -sb`
// does: `<bytes>\t<path>`; -c adds the file and directory counts the summary also carries.
import type { Argv, CommandModule } from 'yargs';
import { formatBytes } from '../progress.js';
import { runIgfsAction, type IgfsCommandEnv } from './igfs-action.js';
import { normalizeIgfsPath } from './igfs-path-arg.js';

interface DuArgs {
  path: string;
  human: boolean;
  counts: boolean;
}

export function duCommand(env: IgfsCommandEnv): CommandModule<object, DuArgs> {
  return {
    command: 'du <path>',
    describe: 'Total bytes of the files under PATH (tab, then the path)',
    builder: (y: Argv) => y
      .positional('path', { type: 'string', describe: 'IGFS path' })
      .option('human', { alias: 'h', type: 'boolean', default: false, describe: 'Size in KiB/MiB/GiB' })
      .option('counts', { alias: 'c', type: 'boolean', default: false, describe: 'Also print file and directory counts' }) as unknown as Argv<DuArgs>,
    handler: (argv) => runIgfsAction({
      command: 'du',
      argv,
      env,
      subject: () => normalizeIgfsPath(argv.path),
      action: async (ctx) => {
        const s = await ctx.client.summary(ctx.subject);
        const size = argv.human ? formatBytes(s.totalLength) : String(s.totalLength);
        const counts = argv.counts ? `\t${s.filesCount} files\t${s.directoriesCount} dirs` : '';
        process.stdout.write(`${size}${counts}\t${ctx.subject}\n`);
      },
    }),
  };
}
