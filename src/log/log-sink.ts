// Where log lines go. Writes are synchronous so that the last lines before a crash are on disk and lines from
// one process never interleave mid-line.
import { closeSync, openSync, writeSync } from 'node:fs';

export interface LogSink {
  write(line: string): void;
  close(): void;
}

export function stderrSink(): LogSink {
  return {
    write(line) {
      process.stderr.write(line);
    },
    close() {},
  };
}

/** Appends to `path` (created with mode 0640 if absent). Throws at once if the file cannot be opened. */
export function fileSink(path: string): LogSink {
  let fd: number | undefined = openSync(path, 'a', 0o640);
  return {
    write(line) {
      if (fd === undefined) return;
      try {
        writeSync(fd, line);
      } catch (err) {
        // A full disk must not take the daemon down; say so once where someone may see it.
        process.stderr.write(`ignite-fuse: cannot write log file ${path}: ${(err as Error).message}\n`);
      }
    },
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}

/** The sink a `--log-file` setting asks for: that file (appended), or stderr when none is given. */
export function openLogSink(path: string | undefined): LogSink {
  return path === undefined ? stderrSink() : fileSink(path);
}
