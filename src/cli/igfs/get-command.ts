// `igfs get PATH LOCAL|-`: copy an IGFS file to a local file (or into a local directory, or to stdout with `-`).
import { rm, stat } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { baseName } from '../../igfs/protocol/igfs-path.js';
import { createProgress } from '../progress.js';
import { OperationError, Reason } from './cli-errors.js';
import { download } from './download.js';
import { runIgfsAction, type IgfsCommandEnv } from './igfs-action.js';
import { normalizeIgfsPath } from './igfs-path-arg.js';
import { requireEntry } from './lookups.js';
import { StreamSink } from './stream-sink.js';

interface GetArgs {
  path: string;
  local: string;
}

async function isLocalDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

export function getCommand(env: IgfsCommandEnv): CommandModule<object, GetArgs> {
  return {
    command: 'get <path> <local>',
    describe: 'Copy an IGFS file to LOCAL (a file, replaced if present; a directory to copy into; or - for stdout)',
    builder: (y: Argv) => y
      .positional('path', { type: 'string', describe: 'IGFS file' })
      .positional('local', { type: 'string', describe: 'Local file or directory, or - for stdout' })
      // yargs re-parses positionals as `--local VALUE`, where a bare `-` would read as a flag; nargs keeps it a value.
      .nargs('local', 1) as unknown as Argv<GetArgs>,
    handler: (argv) => runIgfsAction({
      command: 'get',
      argv,
      env,
      subject: () => normalizeIgfsPath(argv.path),
      action: async (ctx) => {
        const path = ctx.subject;
        const info = await requireEntry(ctx.client, path);
        if (info.isDirectory) throw new OperationError(path, Reason.isDirectory);
        if (argv.local === '-') {
          await download(ctx.client, path, new StreamSink(process.stdout));
          return;
        }
        const local = (await isLocalDirectory(argv.local)) ? join(argv.local, baseName(path)) : argv.local;
        const dest = createWriteStream(local, { flags: 'w' });
        const sink = new StreamSink(dest);
        const progress = createProgress({ label: baseName(path), totalBytes: info.length });
        try {
          await download(ctx.client, path, sink, progress);
          await sink.end();
        } catch (err) {
          // Never leave a truncated copy that looks complete.
          dest.destroy();
          await rm(local, { force: true }).catch(() => undefined);
          throw err;
        } finally {
          progress.finish();
        }
      },
    }),
  };
}
