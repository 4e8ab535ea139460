// `igfs put LOCAL|- PATH [-f]`: copy a local file (or stdin) to IGFS, streaming with backpressure.
import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import type { IgfsClient, IgfsFileInfo, StringMap } from '../../igfs/client.js';
import { baseName, joinPath } from '../../igfs/protocol/igfs-path.js';
import { createProgress, type Progress } from '../progress.js';
import { callerProps } from './caller-props.js';
import { OperationError, Reason } from './cli-errors.js';
import { runIgfsAction, type IgfsCommandEnv } from './igfs-action.js';
import { normalizeIgfsPath } from './igfs-path-arg.js';
import { requireParentDirectory } from './lookups.js';
import { LOCAL_READ_BYTES } from './transfer-tuning.js';

interface PutArgs {
  local: string;
  path: string;
  force: boolean;
}

interface Source {
  chunks: AsyncIterable<Uint8Array>;
  sizeBytes: number | undefined;
  close(): Promise<void>;
}

async function openSource(local: string): Promise<Source> {
  if (local === '-') return { chunks: process.stdin, sizeBytes: undefined, close: async () => undefined };
  const fh: FileHandle = await open(local, 'r');
  try {
    const st = await fh.stat();
    if (st.isDirectory()) throw new OperationError(local, Reason.isDirectory);
    return {
      chunks: fh.createReadStream({ highWaterMark: LOCAL_READ_BYTES, autoClose: false }),
      sizeBytes: st.isFile() ? st.size : undefined,
      close: () => fh.close(),
    };
  } catch (err) {
    await fh.close();
    throw err;
  }
}

/** Where the bytes go: PATH itself, or PATH/<local name> when PATH is a directory (as cp does). */
async function resolveTarget(client: IgfsClient, path: string, local: string): Promise<{ target: string; existing: IgfsFileInfo | null }> {
  const info = await client.info(path);
  if (info === null || !info.isDirectory) return { target: path, existing: info };
  if (local === '-') throw new OperationError(path, Reason.isDirectory);
  const target = joinPath(path, basename(local));
  const inner = await client.info(target);
  if (inner?.isDirectory) throw new OperationError(target, Reason.isDirectory);
  return { target, existing: inner };
}

async function upload(client: IgfsClient, target: string, source: Source, props: StringMap, overwrite: boolean, progress: Progress): Promise<void> {
  const writer = await client.openCreate(target, { overwrite, props });
  try {
    for await (const chunk of source.chunks) {
      // write() resolves once the socket has taken the block, so a slow node throttles the local reads.
      await writer.write(chunk);
      progress.advance(chunk.length);
    }
    await writer.close();
  } catch (err) {
    // A half-written file would look complete to the next reader; remove it and report the failure. (Only once
    // OPEN_CREATE succeeded: before that the path may be someone else's file.)
    await writer.close().catch(() => undefined);
    await client.delete(target).catch(() => undefined);
    throw err;
  }
}

export function putCommand(env: IgfsCommandEnv): CommandModule<object, PutArgs> {
  return {
    command: 'put <local> <path>',
    describe: 'Copy a local file (or stdin with -) to IGFS; PATH may be a directory to copy into. An existing file fails unless -f',
    builder: (y: Argv) => y
      .positional('local', { type: 'string', describe: 'Local file, or - for stdin' })
      .positional('path', { type: 'string', describe: 'IGFS file or directory' })
      .option('force', { alias: 'f', type: 'boolean', default: false, describe: 'Replace an existing file' })
      // yargs re-parses positionals as `--local VALUE`, where a bare `-` would read as a flag; nargs keeps it a value.
      .nargs('local', 1) as unknown as Argv<PutArgs>,
    handler: (argv) => runIgfsAction({
      command: 'put',
      argv,
      env,
      subject: () => normalizeIgfsPath(argv.path),
      action: async (ctx) => {
        const source = await openSource(argv.local);
        try {
          const { target, existing } = await resolveTarget(ctx.client, ctx.subject, argv.local);
          ctx.subject = target;
          if (existing !== null && !argv.force) throw new OperationError(target, Reason.exists);
          if (existing === null) await requireParentDirectory(ctx.client, target);
          // Replacing keeps the file's owner, group and mode, as cp onto an existing file and the mount's O_TRUNC do.
          const kept = existing?.properties;
          const props: StringMap = kept !== null && kept !== undefined && kept.size > 0 ? kept : callerProps('file');
          const progress = createProgress({ label: baseName(target), totalBytes: source.sizeBytes });
          try {
            await upload(ctx.client, target, source, props, existing !== null, progress);
          } finally {
            progress.finish();
          }
        } finally {
          await source.close();
        }
      },
    }),
  };
}
