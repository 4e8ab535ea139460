// `igfs ls [-l] [PATH]`: a directory's entries sorted by name (a file lists as itself), like ls(1).
import type { Argv, CommandModule } from 'yargs';
import type { IgfsFileInfo } from '../../igfs/client.js';
import { baseName } from '../../igfs/protocol/igfs-path.js';
import { callerIdentity } from './caller-props.js';
import { entryView, formatLongIsoTime, modeString } from './entry-format.js';
import { runIgfsAction, type IgfsCommandEnv } from './igfs-action.js';
import { normalizeIgfsPath } from './igfs-path-arg.js';
import { requireEntry } from './lookups.js';

interface LsArgs {
  path: string;
  long: boolean;
}

/** Code-unit order, like ls under LC_ALL=C: stable across machines and locales. */
function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function longLines(rows: { name: string; info: IgfsFileInfo }[]): string[] {
  const caller = callerIdentity();
  const cells = rows.map(({ name, info }) => {
    const view = entryView(info, caller);
    return [modeString(view.isDirectory, view.mode), view.user, view.group, String(info.length),
      formatLongIsoTime(info.modificationTimeMs), name];
  });
  const widths = [0, 1, 2, 3].map((i) => Math.max(0, ...cells.map((c) => c[i]!.length)));
  return cells.map((c) =>
    `${c[0]} ${c[1]!.padEnd(widths[1]!)} ${c[2]!.padEnd(widths[2]!)} ${c[3]!.padStart(widths[3]!)} ${c[4]} ${c[5]}`);
}

export function lsCommand(env: IgfsCommandEnv): CommandModule<object, LsArgs> {
  return {
    command: 'ls [path]',
    describe: 'List a directory sorted by name (a file lists as itself)',
    builder: (y: Argv) => y
      .positional('path', { type: 'string', default: '/', describe: 'IGFS path (default /)' })
      .option('long', { alias: 'l', type: 'boolean', default: false, describe: 'Long format: type and mode, owner, group, size, mtime' }) as unknown as Argv<LsArgs>,
    handler: (argv) => runIgfsAction({
      command: 'ls',
      argv,
      env,
      subject: () => normalizeIgfsPath(argv.path),
      action: async (ctx) => {
        const path = ctx.subject;
        const info = await requireEntry(ctx.client, path);
        // A file lists as the path that was given, a directory as its children's names (ls does the same).
        const rows = info.isDirectory
          ? (await ctx.client.listFiles(path)).map((child) => ({ name: baseName(child.path), info: child })).sort(byName)
          : [{ name: path, info }];
        const lines = argv.long ? longLines(rows) : rows.map((r) => r.name);
        if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
      },
    }),
  };
}
