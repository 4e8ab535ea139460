// A Logger that keeps events in memory, so tests of other modules can assert on what was logged
// (for example "one line per failed op") without parsing text.
import { levelRank, type LogFields, type LogLevel } from './log-line.js';
import type { Logger } from './logger.js';

export interface LogEntry {
  level: LogLevel;
  prefix: string;
  message: string;
  fields: LogFields | undefined;
}

export interface MemoryLogger extends Logger {
  /** Every event at or above the level, from this logger and all its children, in order. */
  readonly entries: LogEntry[];
}

export function createMemoryLogger(level: LogLevel = 'debug'): MemoryLogger {
  const entries: LogEntry[] = [];
  const make = (prefix: string): Logger => {
    const log = (l: LogLevel) => (message: string, fields?: LogFields) => {
      if (levelRank(l) <= levelRank(level)) entries.push({ level: l, prefix, message, fields });
    };
    return {
      error: log('error'),
      warn: log('warn'),
      info: log('info'),
      debug: log('debug'),
      enabled: (l) => levelRank(l) <= levelRank(level),
      child: (p) => make(prefix === '' ? p : `${prefix}/${p}`),
    };
  };
  return Object.assign(make(''), { entries });
}
