// A tiny leveled logger: one line per event (see log-line.ts), to stderr or a file, with prefixed children.
import { formatLogLine, levelRank, type LogFields, type LogLevel } from './log-line.js';
import { stderrSink, type LogSink } from './log-sink.js';

export type { LogFields, LogLevel } from './log-line.js';

export interface Logger {
  error(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  /** True when events of `level` are written; guard expensive debug fields with it. */
  enabled(level: LogLevel): boolean;
  /** A logger writing to the same sink at the same level, with `prefix` appended (`parent/prefix`). */
  child(prefix: string): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  sink?: LogSink;
  prefix?: string;
  /** Injected so tests can pin the timestamp. */
  now?: () => Date;
}

class LineLogger implements Logger {
  constructor(
    private readonly rank: number,
    private readonly sink: LogSink,
    private readonly prefix: string,
    private readonly now: () => Date,
  ) {}

  error(message: string, fields?: LogFields): void { this.log('error', message, fields); }
  warn(message: string, fields?: LogFields): void { this.log('warn', message, fields); }
  info(message: string, fields?: LogFields): void { this.log('info', message, fields); }
  debug(message: string, fields?: LogFields): void { this.log('debug', message, fields); }

  enabled(level: LogLevel): boolean {
    return levelRank(level) <= this.rank;
  }

  child(prefix: string): Logger {
    return new LineLogger(this.rank, this.sink, this.prefix === '' ? prefix : `${this.prefix}/${prefix}`, this.now);
  }

  private log(level: LogLevel, message: string, fields: LogFields | undefined): void {
    if (!this.enabled(level)) return;
    this.sink.write(formatLogLine(this.now(), level, this.prefix, message, fields));
  }
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return new LineLogger(
    levelRank(options.level ?? 'info'),
    options.sink ?? stderrSink(),
    options.prefix ?? '',
    options.now ?? (() => new Date()),
  );
}

/** Discards everything: for tests and library use where no logger was given. */
export const silentLogger: Logger = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  enabled: () => false,
  child: () => silentLogger,
};
