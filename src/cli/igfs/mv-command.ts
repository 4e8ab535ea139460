// `igfs mv SRC DST`: mv(1) semantics. Onto an existing directory SRC moves into it (IGFS RENAME does the same);
// onto an existing file a file replaces it, which IGFS refuses (code 3), so that is emulated: the old target is
// renamed aside, SRC renamed into place, the old target deleted. Not atomic: between the two renames the target
// name is briefly absent, and if the second rename fails the old target is put back.
import { randomBytes } from 'node:crypto';
import type { Argv, CommandModule } from 'yargs';
import type { IgfsClient } from '../../igfs/client.js';
import { baseName, joinPath } from '../../igfs/protocol/igfs-path.js';
import { OperationError, Reason } from './cli-errors.js';
import { runIgfsAction, type IgfsCommandEnv } from './igfs-action.js';
import { normalizeIgfsPath } from './igfs-path-arg.js';
import { requireEntry } from './lookups.js';

interface MvArgs {
  src: string;
  dst: string;
}

async function replaceFile(client: IgfsClient, src: string, target: string): Promise<void> {
  const aside = `${target}.ignite-fuse-mv-${randomBytes(6).toString('hex')}`;
  await client.rename(target, aside);
  try {
    await client.rename(src, target);
  } catch (err) {
    await client.rename(aside, target).catch(() => undefined);
    throw err;
  }
  await client.delete(aside);
}

export function mvCommand(env: IgfsCommandEnv): CommandModule<object, MvArgs> {
  return {
    command: 'mv <src> <dst>',
    describe: 'Rename or move; onto an existing directory moves into it, onto an existing file replaces it (as mv does)',
    builder: (y: Argv) => y
      .positional('src', { type: 'string', describe: 'IGFS path to move' })
      .positional('dst', { type: 'string', describe: 'New IGFS path, or an existing directory to move into' }) as unknown as Argv<MvArgs>,
    handler: (argv) => runIgfsAction({
      command: 'mv',
      argv,
      env,
      subject: () => {
        normalizeIgfsPath(argv.dst); // both arguments are checked before connecting
        return normalizeIgfsPath(argv.src);
      },
      action: async (ctx) => {
        const src = ctx.subject;
        const dst = normalizeIgfsPath(argv.dst);
        const srcInfo = await requireEntry(ctx.client, src);
        const dstInfo = await ctx.client.info(dst);
        const target = dstInfo?.isDirectory ? joinPath(dst, baseName(src)) : dst;
        const targetInfo = target === dst ? dstInfo : await ctx.client.info(target);
        if (target === src) throw new OperationError(src, 'source and destination are the same');
        if (srcInfo.isDirectory && target.startsWith(`${src}/`)) {
          throw new OperationError(dst, 'Invalid argument (cannot move a directory into itself)');
        }
        ctx.subject = target;
        if (targetInfo !== null) {
          if (targetInfo.isDirectory) throw new OperationError(target, srcInfo.isDirectory ? Reason.exists : Reason.isDirectory);
          if (srcInfo.isDirectory) throw new OperationError(target, Reason.notDirectory);
          await replaceFile(ctx.client, src, target);
          return;
        }
        await ctx.client.rename(src, target);
      },
    }),
  };
}
