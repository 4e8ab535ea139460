// One log event rendered as one line: `ISO-TIME LEVEL [prefix] message key=value ...`.
// Values that could break the line apart (spaces, quotes, '=', newlines) are JSON-quoted, so a line is
// always exactly one line and `grep`/`awk` friendly.

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/** Structured context for an event; `Error` values render with their code and cause chain. */
export type LogFields = Record<string, unknown>;

export const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];

/** Severity rank: an event is written when its rank is at most the logger's. */
export function levelRank(level: LogLevel): number {
  return LOG_LEVELS.indexOf(level);
}

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

const BARE_VALUE = /^[^\s"=\\]+$/u;

function quoteIfNeeded(text: string): string {
  return text.length > 0 && BARE_VALUE.test(text) ? text : JSON.stringify(text);
}

function describeError(err: Error): string {
  const parts: string[] = [];
  let current: unknown = err;
  // Bounded so that a cyclic cause chain cannot loop forever.
  for (let depth = 0; current !== undefined && current !== null && depth < 8; depth++) {
    if (current instanceof Error) {
      const code = (current as { code?: unknown }).code;
      parts.push(`${current.name}${code === undefined ? '' : `(${String(code)})`}: ${current.message}`);
      current = current.cause;
    } else {
      parts.push(String(current));
      break;
    }
  }
  return parts.join(' <- ');
}

function renderValue(value: unknown): string {
  if (value instanceof Error) return JSON.stringify(describeError(value));
  if (typeof value === 'string') return quoteIfNeeded(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === undefined) return 'undefined';
  if (value instanceof Date) return value.toISOString();
  try {
    return quoteIfNeeded(JSON.stringify(value) ?? String(value));
  } catch {
    return quoteIfNeeded(String(value)); // cyclic objects
  }
}

/** A single line, newline-terminated, never containing another newline. */
export function formatLogLine(time: Date, level: LogLevel, prefix: string, message: string, fields?: LogFields): string {
  let line = `${time.toISOString()} ${level.toUpperCase().padEnd(5)}`;
  if (prefix.length > 0) line += ` [${prefix}]`;
  line += ` ${message.replace(/\r?\n/gu, '\\n')}`;
  if (fields !== undefined) {
    for (const [key, value] of Object.entries(fields)) line += ` ${quoteIfNeeded(key)}=${renderValue(value)}`;
  }
  return `${line}\n`;
}
