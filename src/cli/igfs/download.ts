// Streams one IGFS file into a local sink with several READ_BLOCKs in flight (`cat`, `get`).
import type { IgfsClient } from '../../igfs/client.js';
import type { Progress } from '../progress.js';
import { OperationError, Reason } from './cli-errors.js';
import type { StreamSink } from './stream-sink.js';
import { READ_CHUNK_BYTES, READS_IN_FLIGHT } from './transfer-tuning.js';

/** Bytes copied. The file's length is fixed when it is opened; later appends are not copied. */
export async function download(client: IgfsClient, path: string, sink: StreamSink, progress?: Progress): Promise<number> {
  const reader = await client.openRead(path);
  let copied = 0;
  try {
    for await (const chunk of reader.chunks({ chunkBytes: READ_CHUNK_BYTES, inFlight: READS_IN_FLIGHT })) {
      await sink.write(chunk);
      copied += chunk.length;
      progress?.advance(chunk.length);
    }
  } finally {
    await reader.close().catch(() => undefined);
  }
  // IGFS serves up to the length captured at open; fewer bytes means the file shrank (was replaced) under us.
  if (copied !== reader.length) {
    throw new OperationError(path, `${Reason.io} (read ${copied} of ${reader.length} bytes: file changed while reading)`);
  }
  return copied;
}
