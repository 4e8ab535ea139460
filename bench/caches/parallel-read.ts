// A small parallel file reader for the caches suite, run as its own process so that its libuv thread pool (where
// Node's fs calls run) is sized for the readers: `UV_THREADPOOL_SIZE` must be set before the first fs call, which
// the bench process has long made.
//   node build/bench/caches/parallel-read.js DIR PARALLEL [SUFFIX]
// Lists DIR (timed: on a fresh mount the listing is where the view takes its snapshot), reads every file whose name
// ends in SUFFIX, PARALLEL files at a time in 1 MiB reads, and prints one JSON line {files, bytes, seconds, listSeconds}.
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';

const READ_BYTES = 1024 * 1024;

async function readAll(file: string, buf: Buffer): Promise<number> {
  const fh = await open(file, 'r');
  try {
    let total = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) return total;
      total += bytesRead;
    }
  } finally {
    await fh.close();
  }
}

async function main(): Promise<void> {
  const [dir, parallelText, suffix = ''] = process.argv.slice(2);
  const parallel = Number(parallelText);
  if (dir === undefined || !Number.isInteger(parallel) || parallel < 1) throw new Error('usage: parallel-read DIR PARALLEL [SUFFIX]');
  const t0 = process.hrtime.bigint();
  const names = (await readdir(dir)).filter((n) => n.endsWith(suffix));
  const listSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  let next = 0;
  let bytes = 0;
  const worker = async (): Promise<void> => {
    const buf = Buffer.allocUnsafe(READ_BYTES);
    while (next < names.length) {
      const name = names[next++]!;
      // Not `bytes += await ...`: that reads `bytes` before the await and loses the other workers' counts.
      const n = await readAll(join(dir, name), buf);
      bytes += n;
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  process.stdout.write(`${JSON.stringify({ files: names.length, bytes, seconds, listSeconds })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`parallel-read: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
