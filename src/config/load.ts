// The ONLY module that reads the process environment or files for configuration.
//
// Precedence, lowest first: table defaults < config file < environment (IGNITE_FUSE_*) < command-line flags.
// Only options that belong to the command are read from the environment and the flags; a config file may hold
// options of other commands (one file serves `mount` and `igfs ls`), but a key no command knows is an error.
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname } from 'node:path';
import { ConfigError, type ConfigSource } from './config-error.js';
import {
  envVarName, findOption, optionSpecs, type CommandName, type Config, type DefaultContext, type OptionSpec,
} from './option-table.js';
import { describeOrigin, parseOptionValue, type OptionValue, type ValueOrigin } from './parse-option-value.js';

export interface LoadConfigInput {
  /** Which command's options apply (default `mount`). */
  command?: CommandName;
  /** The argv object yargs parsed with `yargsOptionsFor(command)`; other keys (`_`, positionals) are ignored. */
  argv?: Readonly<Record<string, unknown>>;
  /** Default: `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Reads the config file and secret files. Default: `fs.readFileSync(path, 'utf8')`. */
  readFile?: (path: string) => string;
  /** Relative paths in flags and the environment resolve against this. Default: `process.cwd()`. */
  cwd?: string;
  /** Overrides for dynamic defaults (the daemon's uid/gid, the temp directory). */
  defaults?: Partial<DefaultContext>;
}

interface Resolved {
  value: OptionValue | undefined;
  origin: ValueOrigin | undefined;
}

/** Precedence rank of each source. */
const RANK: Record<ConfigSource, number> = { default: 0, file: 1, env: 2, flag: 3 };

function camelCase(name: string): string {
  return name.replace(/-([a-z])/gu, (_m, c: string) => c.toUpperCase());
}

function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[-_]/gu, '');
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_v, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

function suggestionFor(key: string): string {
  const specs = optionSpecs().filter((s) => s.inFile !== false);
  const exact = specs.find((s) => normalizeKey(s.name) === normalizeKey(key));
  const close = exact ?? specs.find((s) => editDistance(s.name, key.toLowerCase()) <= 2);
  return close === undefined ? '' : `; did you mean "${close.name}"?`;
}

function defaultContext(overrides: Partial<DefaultContext> | undefined): DefaultContext {
  return {
    uid: overrides?.uid ?? process.getuid?.() ?? 0,
    gid: overrides?.gid ?? process.getgid?.() ?? 0,
    tmpdir: overrides?.tmpdir ?? tmpdir(),
  };
}

function flagValue(argv: Readonly<Record<string, unknown>>, spec: OptionSpec): unknown {
  return argv[spec.name] ?? argv[camelCase(spec.name)];
}

function readConfigFile(
  path: string, origin: ValueOrigin, readFile: (p: string) => string, spec: OptionSpec,
): Record<string, unknown> {
  let text: string;
  try {
    text = readFile(path);
  } catch (err) {
    throw new ConfigError(`cannot read config file ${path} (from ${describeOrigin(spec, origin)}): ${(err as Error).message}`, {
      option: spec.name, source: origin.source, cause: err,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`config file ${path} is not valid JSON: ${(err as Error).message}`, {
      option: spec.name, source: 'file', cause: err,
    });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`config file ${path} must hold a JSON object of option names to values`, {
      option: spec.name, source: 'file',
    });
  }
  return parsed as Record<string, unknown>;
}

/** Reads a secret from its file: the content with one trailing newline removed, which must not be empty. */
function readSecretFile(fileSpec: OptionSpec, path: string, origin: ValueOrigin, readFile: (p: string) => string): string {
  let text: string;
  try {
    text = readFile(path);
  } catch (err) {
    throw new ConfigError(`cannot read ${path} (from ${describeOrigin(fileSpec, origin)}): ${(err as Error).message}`, {
      option: fileSpec.name, source: origin.source, cause: err,
    });
  }
  const secret = text.replace(/\r?\n$/u, '');
  if (secret === '') {
    throw new ConfigError(`${path} (from ${describeOrigin(fileSpec, origin)}) is empty`, {
      option: fileSpec.name, source: origin.source,
    });
  }
  return secret;
}

export function loadConfig(input: LoadConfigInput = {}): Config {
  const command = input.command ?? 'mount';
  const argv = input.argv ?? {};
  const env = input.env ?? process.env;
  const readFile = input.readFile ?? ((path: string) => readFileSync(path, 'utf8'));
  const cwd = input.cwd ?? process.cwd();
  const ctx = defaultContext(input.defaults);
  const specs = optionSpecs();
  const inScope = (spec: OptionSpec) => spec.commands.includes(command);

  // Secrets on the command line would show in `ps` and shell history: refuse them even if yargs let them by.
  for (const spec of specs) {
    if (spec.secret && flagValue(argv, spec) !== undefined) {
      throw new ConfigError(
        `--${spec.name} is not accepted on the command line (it would be visible in ps and shell history); ` +
        `use --${spec.secretFile}, ${envVarName(spec)}, or "${spec.name}" in the config file`,
        { option: spec.name, source: 'flag' },
      );
    }
  }

  const fromFlag = new Map<string, Resolved>();
  const fromEnv = new Map<string, Resolved>();
  const fromFile = new Map<string, Resolved>();

  for (const spec of specs) {
    if (!inScope(spec)) continue;
    const flag = flagValue(argv, spec);
    if (flag !== undefined && !spec.secret) {
      const origin: ValueOrigin = { source: 'flag', baseDir: cwd };
      fromFlag.set(spec.name, { value: parseOptionValue(spec, flag, origin), origin });
    }
    const envText = env[envVarName(spec)];
    // An empty variable counts as unset, so `IGNITE_FUSE_X= cmd` can blank out an exported one.
    if (envText !== undefined && envText !== '') {
      const origin: ValueOrigin = { source: 'env', baseDir: cwd };
      fromEnv.set(spec.name, { value: parseOptionValue(spec, envText, origin), origin });
    }
  }

  const configSpec = findOption('config')!;
  const configChoice = fromFlag.get('config') ?? fromEnv.get('config');
  if (configChoice?.value !== undefined && configChoice.origin !== undefined) {
    const path = configChoice.value as string;
    const data = readConfigFile(path, configChoice.origin, readFile, configSpec);
    const origin: ValueOrigin = { source: 'file', file: path, baseDir: dirname(path) };
    for (const [key, raw] of Object.entries(data)) {
      const spec = findOption(key);
      if (spec === undefined) {
        throw new ConfigError(`unknown option "${key}" in config file ${path}${suggestionFor(key)}`, {
          source: 'file',
        });
      }
      if (spec.inFile === false) {
        throw new ConfigError(`"${key}" cannot be set inside a config file (${path})`, { option: key, source: 'file' });
      }
      if (!inScope(spec)) continue; // belongs to another command; see the header comment
      fromFile.set(spec.name, { value: parseOptionValue(spec, raw, origin), origin });
    }
  }

  const resolved = new Map<string, Resolved>();
  for (const spec of specs) {
    let pick = fromFlag.get(spec.name) ?? fromEnv.get(spec.name) ?? fromFile.get(spec.name);
    if (pick === undefined) {
      const raw = spec.dynamicDefault !== undefined ? spec.dynamicDefault(ctx) : spec.default;
      const origin: ValueOrigin = { source: 'default', baseDir: cwd };
      pick = { value: raw === undefined ? undefined : parseOptionValue(spec, raw, origin), origin: undefined };
    }
    resolved.set(spec.name, pick);
  }

  // A secret comes from its own option (file or environment) or from the file its `*-file` option names,
  // whichever source ranks higher; two at the same rank are a conflict, not a guess.
  for (const spec of specs) {
    if (!spec.secret || spec.secretFile === undefined || !inScope(spec)) continue;
    const direct = resolved.get(spec.name)!;
    const fileSpec = findOption(spec.secretFile)!;
    const viaFile = resolved.get(fileSpec.name)!;
    if (viaFile.origin === undefined || viaFile.value === undefined) continue;
    if (direct.origin !== undefined) {
      const d = RANK[direct.origin.source];
      const f = RANK[viaFile.origin.source];
      if (d === f) {
        throw new ConfigError(
          `both ${describeOrigin(spec, direct.origin)} and ${describeOrigin(fileSpec, viaFile.origin)} are given; give one`,
          { option: spec.name, source: direct.origin.source },
        );
      }
      if (d > f) continue;
    }
    const secret = readSecretFile(fileSpec, viaFile.value as string, viaFile.origin, readFile);
    resolved.set(spec.name, { value: secret, origin: viaFile.origin });
  }

  checkCombinations(command, resolved);

  const config: Record<string, OptionValue | undefined> = {};
  for (const spec of specs) config[spec.key] = resolved.get(spec.name)!.value;
  return config as Config;
}

function checkCombinations(command: CommandName, resolved: Map<string, Resolved>): void {
  if (command !== 'mount') return;
  const given = (name: string) => {
    const r = resolved.get(name)!;
    return r.origin !== undefined && r.value !== undefined && r.value !== false;
  };
  const where = (name: string) => describeOrigin(findOption(name)!, resolved.get(name)!.origin!);
  const fail = (name: string, message: string): never => {
    throw new ConfigError(message, { option: name, source: resolved.get(name)!.origin?.source });
  };

  if (given('caches') && given('caches-only')) {
    fail('caches-only', `${where('caches')} and ${where('caches-only')} exclude each other; give one`);
  }
  const tlsOn = resolved.get('tls')!.value === true;
  for (const name of ['tls-ca', 'tls-cert', 'tls-key', 'tls-key-passphrase', 'tls-key-passphrase-file', 'tls-insecure']) {
    if (given(name) && !tlsOn) fail(name, `${where(name)} needs TLS to be on (--tls or IGNITE_FUSE_TLS=true)`);
  }
  if (given('tls-cert') !== given('tls-key')) {
    const name = given('tls-cert') ? 'tls-cert' : 'tls-key';
    fail(name, `${where(name)} needs ${name === 'tls-cert' ? '--tls-key' : '--tls-cert'} as well`);
  }
  if (given('tls-key-passphrase') && !given('tls-key')) {
    fail('tls-key-passphrase', `${where('tls-key-passphrase')} is given but no --tls-key`);
  }
  if (given('password') && !given('user')) {
    fail('password', `${where('password')} is given but no --user`);
  }
  const cacheBytes = resolved.get('cache-size')!.value as number;
  const blockBytes = resolved.get('block-size')!.value as number;
  if (cacheBytes !== 0 && cacheBytes < blockBytes) {
    fail('cache-size', `cache-size (${cacheBytes} bytes) is smaller than one block (block-size ${blockBytes} bytes); use 0 to disable the cache`);
  }
}
