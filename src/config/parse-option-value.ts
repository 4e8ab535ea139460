// Turns one raw value (a flag from yargs, an environment string, a JSON value from the config file, or a
// table default) into the typed value of its option, or a ConfigError that names the option and the source.
import { isAbsolute, resolve } from 'node:path';
import { ConfigError, ValueError, type ConfigSource } from './config-error.js';
import { envVarName, type OptionSpec } from './option-table.js';
import { parseDuration } from './parse-duration.js';
import { parseSize } from './parse-size.js';

export interface ValueOrigin {
  source: ConfigSource;
  /** The config file, for source 'file'. */
  file?: string;
  /** Relative paths resolve against this (the working directory, or the config file's directory). */
  baseDir: string;
}

export type OptionValue = string | boolean | number | readonly string[];

/** How a source names an option in messages: `--attr-ttl`, `IGNITE_FUSE_ATTR_TTL`, `"attr-ttl" in FILE`. */
export function describeOrigin(spec: OptionSpec, origin: Pick<ValueOrigin, 'source' | 'file'>): string {
  switch (origin.source) {
    case 'flag': return `--${spec.name}`;
    case 'env': return envVarName(spec);
    case 'file': return `"${spec.name}" in ${origin.file ?? 'the config file'}`;
    case 'default': return `the default of ${spec.name}`;
  }
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

function parseBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const word = value.trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
  }
  throw new ValueError(`expected a boolean (true/false, 1/0, yes/no, on/off), got ${JSON.stringify(value)}`);
}

function asText(value: unknown, what: string): string {
  if (typeof value === 'string') return value;
  // A JSON number is accepted where its text would be (`"read-ahead": 8`, `"cache-size": 4096`).
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new ValueError(`expected ${what}, got ${JSON.stringify(value)}`);
}

function parseInteger(text: string): number {
  const t = text.trim();
  if (!/^-?\d+$/u.test(t)) throw new ValueError(`expected an integer, got "${text}"`);
  const n = Number(t);
  if (!Number.isSafeInteger(n)) throw new ValueError(`integer "${text}" is too large`);
  return n;
}

/** HOST:PORT with a port in 1..65535; IPv6 hosts in brackets (`[::1]:10500`). */
function checkEndpoint(text: string): void {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]\s]+):(\d+)$/u.exec(text);
  if (m === null) throw new ValueError(`expected HOST:PORT, got "${text}"`);
  const port = Number(m[2]);
  if (port < 1 || port > 65535) throw new ValueError(`port ${m[2]} of "${text}" is out of range 1-65535`);
}

function toList(value: unknown): string[] {
  const items: unknown[] = Array.isArray(value) ? value : [value];
  const out: string[] = [];
  for (const item of items) {
    if (typeof item !== 'string') throw new ValueError(`expected strings, got ${JSON.stringify(item)}`);
    // Commas separate values everywhere (a flag, the environment, a file string), so one rule fits all.
    for (const part of item.split(',')) {
      const p = part.trim();
      if (p === '') throw new ValueError(`empty item in ${JSON.stringify(item)}`);
      out.push(p);
    }
  }
  if (out.length === 0) throw new ValueError('expected at least one value');
  return out;
}

function checkBounds(spec: OptionSpec, n: number, unit: string): void {
  if (spec.min !== undefined && n < spec.min) throw new ValueError(`must be at least ${spec.min}${unit}, got ${n}${unit}`);
  if (spec.max !== undefined && n > spec.max) throw new ValueError(`must be at most ${spec.max}${unit}, got ${n}${unit}`);
}

function parseBySpec(spec: OptionSpec, raw: unknown, baseDir: string): OptionValue {
  // A repeated single-valued flag reaches us as an array from yargs; refuse rather than pick one silently.
  if (Array.isArray(raw) && spec.type !== 'strings') {
    throw new ValueError(`given ${raw.length} times; give it once`);
  }
  switch (spec.type) {
    case 'boolean':
      return parseBoolean(raw);
    case 'string':
      return asText(raw, 'a string');
    case 'path': {
      const text = asText(raw, 'a path');
      if (text.trim() === '') throw new ValueError('empty path');
      return isAbsolute(text) ? text : resolve(baseDir, text);
    }
    case 'enum': {
      const text = asText(raw, 'a string');
      if (!spec.choices?.includes(text)) throw new ValueError(`expected one of ${spec.choices?.join(', ')}, got "${text}"`);
      return text;
    }
    case 'integer': {
      const n = parseInteger(asText(raw, 'an integer'));
      checkBounds(spec, n, '');
      return n;
    }
    case 'duration': {
      const ms = parseDuration(asText(raw, 'a duration such as "5s"'));
      checkBounds(spec, ms, 'ms');
      return ms;
    }
    case 'size': {
      const bytes = parseSize(asText(raw, 'a size such as "64KiB"'));
      checkBounds(spec, bytes, ' bytes');
      return bytes;
    }
    case 'strings': {
      const list = toList(raw);
      if (spec.endpoint) list.forEach(checkEndpoint);
      return list;
    }
  }
}

export function parseOptionValue(spec: OptionSpec, raw: unknown, origin: ValueOrigin): OptionValue {
  try {
    return parseBySpec(spec, raw, origin.baseDir);
  } catch (err) {
    if (!(err instanceof ValueError)) throw err;
    throw new ConfigError(`invalid value for ${describeOrigin(spec, origin)}: ${err.message}`, {
      option: spec.name, source: origin.source, cause: err,
    });
  }
}
