// `igfs stat PATH`: every attribute IGFS keeps for one entry, one `key: value` per line.
import type { Argv, CommandModule } from 'yargs';
import { callerIdentity, formatPermission } from './caller-props.js';
import { entryView, formatFullTime, modeString } from './entry-format.js';
import { runIgfsAction, type IgfsCommandEnv } from './igfs-action.js';
import { normalizeIgfsPath } from './igfs-path-arg.js';
import { requireEntry } from './lookups.js';

interface StatArgs {
  path: string;
}

export function statCommand(env: IgfsCommandEnv): CommandModule<object, StatArgs> {
  return {
    command: 'stat <path>',
    describe: 'Show type, size, mode, owner, group, times, block size and properties',
    builder: (y: Argv) => y.positional('path', { type: 'string', describe: 'IGFS path' }) as unknown as Argv<StatArgs>,
    handler: (argv) => runIgfsAction({
      command: 'stat',
      argv,
      env,
      subject: () => normalizeIgfsPath(argv.path),
      action: async (ctx) => {
        const info = await requireEntry(ctx.client, ctx.subject);
        const view = entryView(info, callerIdentity());
        const props = [...(info.properties ?? new Map<string, string>()).entries()]
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([k, v]) => `${k}=${v}`);
        const lines = [
          `path: ${info.path}`,
          `type: ${info.isDirectory ? 'directory' : 'regular file'}`,
          `size: ${info.length}`,
          `mode: ${formatPermission(view.mode)} (${modeString(view.isDirectory, view.mode)})`,
          `owner: ${view.user}`,
          `group: ${view.group}`,
          `modified: ${formatFullTime(info.modificationTimeMs)}`,
          `accessed: ${formatFullTime(info.accessTimeMs)}`,
          `block-size: ${info.blockSize}`,
          `properties: ${props.join(' ')}`,
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      },
    }),
  };
}
