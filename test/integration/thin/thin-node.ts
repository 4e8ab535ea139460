// Helpers for the thin-client integration tests: the real Ignite node(s) from scripts/ignite, the independent
// pyignite loader (test/support/pyignite/load.py), unique cache names, and the canonical value form the loader
// prints (its docstring is the mapping). Tests never stop the default instance.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CacheReader } from '../../../src/thin/reader.js';
import type { ThinClientOptions } from '../../../src/thin/client.js';
import {
  BinaryObject,
  IgniteDecimal,
  IgniteEnum,
  IgniteTime,
  IgniteTimestamp,
} from '../../../src/thin/protocol/values.js';
import { TypeCode } from '../../../src/thin/protocol/type-codes.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Repository root (this file runs from build/test/integration/thin). */
export const REPO_ROOT = path.resolve(here, '..', '..', '..', '..');
const IGNITE = path.join(REPO_ROOT, 'scripts', 'ignite');
const PYTHON = path.join(REPO_ROOT, '.venv', 'bin', 'python');
const LOADER = path.join(REPO_ROOT, 'test', 'support', 'pyignite', 'load.py');

export const DEFAULT_THIN = { host: '127.0.0.1', port: 10800 };

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(file: string, args: string[], timeoutMs = 15 * 60_000): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: REPO_ROOT, timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** `scripts/ignite start` of an instance unless `status` says it runs. */
export async function ensureInstance(instance: string, flags: string[] = []): Promise<void> {
  const args = instance === 'default' ? [] : ['--instance', instance];
  if ((await run(IGNITE, ['status', ...args])).code === 0) return;
  const r = await run(IGNITE, ['start', ...flags, ...args]);
  if (r.code !== 0) throw new Error(`scripts/ignite start ${[...flags, ...args].join(' ')} failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
}

export async function stopInstance(instance: string): Promise<void> {
  if (instance === 'default') throw new Error('tests never stop the default instance');
  await run(IGNITE, ['stop', '--instance', instance]);
}

export interface InstanceStatus {
  thin: { host: string; port: number };
  sslDir: string | undefined;
}

export async function statusOf(instance: string): Promise<InstanceStatus> {
  const r = await run(IGNITE, ['status', '--instance', instance]);
  const thin = /node=0 .*thin=([\d.]+):(\d+)/.exec(r.stdout);
  if (r.code !== 0 || thin === null) throw new Error(`instance ${instance} is not running:\n${r.stdout}${r.stderr}`);
  const ssl = /ssl-dir=(\S+)/.exec(r.stdout);
  return { thin: { host: thin[1]!, port: Number(thin[2]) }, sslDir: ssl?.[1] };
}

export function uniqueCache(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

export interface LoaderOptions {
  port?: number;
  sslDir?: string;
  username?: string;
  password?: string;
  count?: number;
  seed?: number;
  size?: number;
  fullFooter?: boolean;
  cacheMode?: 'partitioned' | 'replicated';
  unregisteredKeys?: boolean;
}

/** Runs the pyignite loader; returns its JSON (rows or summary). */
export async function load(scenario: string, cache: string, o: LoaderOptions = {}): Promise<LoaderOutput> {
  const args = [LOADER];
  if (o.port !== undefined) args.push('--port', String(o.port));
  if (o.sslDir) args.push('--ssl-dir', o.sslDir);
  if (o.username) args.push('--username', o.username, '--password', o.password ?? '');
  if (o.fullFooter) args.push('--full-footer');
  if (o.cacheMode) args.push('--cache-mode', o.cacheMode);
  if (o.unregisteredKeys) args.push('--unregistered-keys');
  args.push(scenario, cache);
  if (o.count !== undefined) args.push('--count', String(o.count));
  if (o.seed !== undefined) args.push('--seed', String(o.seed));
  if (o.size !== undefined) args.push('--size', String(o.size));
  const r = await run(PYTHON, args);
  if (r.code !== 0) throw new Error(`pyignite loader ${scenario} ${cache} failed (${r.code}):\n${r.stderr.slice(-4000)}`);
  return JSON.parse(r.stdout) as LoaderOutput;
}

export interface LoadedRow {
  key: unknown;
  value: unknown;
  key_code: number;
  value_code: number;
}

export interface LoaderOutput {
  cache: string;
  rows?: LoadedRow[];
  summary?: Record<string, unknown>;
}

/** Destroys a cache through the independent client (our client has no destroy). */
export async function destroyCache(cache: string, o: LoaderOptions = {}): Promise<void> {
  await load('destroy', cache, o).catch(() => {});
}

export function connectReader(options: Partial<ThinClientOptions> = {}): Promise<CacheReader> {
  return CacheReader.connect({ endpoints: [DEFAULT_THIN], requestTimeoutMs: 120_000, ...options });
}

const ELEMENT_CODE: Record<number, number> = {
  [TypeCode.STRING_ARR]: TypeCode.STRING,
  [TypeCode.UUID_ARR]: TypeCode.UUID,
  [TypeCode.DATE_ARR]: TypeCode.DATE,
  [TypeCode.TIMESTAMP_ARR]: TypeCode.TIMESTAMP,
  [TypeCode.TIME_ARR]: TypeCode.TIME,
  [TypeCode.DECIMAL_ARR]: TypeCode.DECIMAL,
};

function canonDecimal(d: IgniteDecimal): string {
  let s = d.toString();
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s === '-0' ? '0' : s;
}

/**
 * The loader's canonical form of a decoded value. `code` is the wire type code when known (top-level values,
 * object fields, elements of typed arrays); numbers without one are told apart by being integral.
 */
export function canonical(v: unknown, code?: number): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return { i: v.toString() };
  if (typeof v === 'number') {
    const isInt = code === undefined ? Number.isInteger(v) : code === TypeCode.BYTE || code === TypeCode.SHORT || code === TypeCode.INT;
    return isInt ? { i: String(v) } : { f: v };
  }
  if (typeof v === 'string') {
    if (code === TypeCode.CHAR) return { c: v };
    if (code === TypeCode.UUID) return { uuid: v };
    return v;
  }
  if (v instanceof Date) return { date_ms: v.getTime() };
  if (v instanceof IgniteTimestamp) return { ts_ms: v.epochMs, ns: v.nanos };
  if (v instanceof IgniteTime) return { time_ms: v.msOfDay };
  if (v instanceof IgniteDecimal) return { dec: canonDecimal(v) };
  if (v instanceof IgniteEnum) return { enum: v.typeId, ord: v.ordinal };
  if (Buffer.isBuffer(v)) return { bytes: createHash('sha256').update(v).digest('hex'), len: v.length };
  if (v instanceof Uint16Array) return { chars: String.fromCharCode(...v) };
  if (v instanceof Int16Array || v instanceof Int32Array) return { arr: [...v].map((x) => ({ i: String(x) })) };
  if (v instanceof BigInt64Array) return { arr: [...v].map((x) => ({ i: x.toString() })) };
  if (v instanceof Float32Array || v instanceof Float64Array) return { arr: [...v].map((x) => ({ f: x })) };
  if (Array.isArray(v)) {
    const el = code === undefined ? undefined : ELEMENT_CODE[code];
    return { arr: v.map((x) => canonical(x, el)) };
  }
  if (v instanceof Map) return { map: [...v.entries()].map(([k, x]) => [canonical(k), canonical(x)]) };
  if (v instanceof BinaryObject) {
    const fields: Record<string, unknown> = {};
    const codes: Record<string, number> = {};
    for (const [name, x] of v.fields) {
      const c = v.fieldTypes.get(name)!;
      fields[name] = canonical(x, c);
      codes[name] = c;
    }
    return { obj: v.typeName, fields, codes };
  }
  throw new Error(`no canonical form for ${Object.prototype.toString.call(v)}`);
}

/** A stable text of a canonical key, to match rows regardless of scan order. */
export function keyText(canonicalKey: unknown): string {
  return JSON.stringify(canonicalKey);
}
