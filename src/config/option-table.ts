// THE option table: every option of every command, once. yargs options, environment variables, config-file
// keys, docs/OPTIONS.md and the `Config` type are all derived from it, so they cannot drift apart.
//
// Defaults are written the way a user would write them (`'1s'`, `'256MiB'`) and go through the same parser
// as user input, so a default can never be something a user could not type.

export type OptionType = 'string' | 'boolean' | 'integer' | 'strings' | 'duration' | 'size' | 'path' | 'enum';

export type CommandName = 'mount' | 'igfs' | 'unmount';

export const GROUPS = [
  'Endpoints',
  'Authentication and TLS (thin client)',
  'Mount',
  'Caching',
  'Writes',
  'Timeouts',
  'Daemon and logging',
] as const;
export type OptionGroup = (typeof GROUPS)[number];

/** What dynamic defaults may depend on; filled by config/load.ts, the only reader of the process environment. */
export interface DefaultContext {
  uid: number;
  gid: number;
  tmpdir: string;
}

/** A raw value as it would appear in a config file. */
export type RawValue = string | boolean | number | readonly string[];

export interface OptionSpec {
  /** kebab-case; the flag is `--name`, the config-file key is `name`, the env var is `IGNITE_FUSE_NAME`. */
  readonly name: string;
  /** The property in `Config`; carries the unit of durations and sizes (`attrTtlMs`, `cacheSizeBytes`). */
  readonly key: string;
  readonly type: OptionType;
  readonly help: string;
  readonly group: OptionGroup;
  readonly commands: readonly CommandName[];
  readonly default?: RawValue;
  /** A default computed at load time; `defaultText` describes it for help and docs. */
  readonly dynamicDefault?: (ctx: DefaultContext) => RawValue;
  readonly defaultText?: string;
  /** Secrets are never flags: only the environment, the config file, or the matching `*-file` option. */
  readonly secret?: boolean;
  /** For a secret: the option naming a file that holds it. */
  readonly secretFile?: string;
  readonly choices?: readonly string[];
  /** Inclusive bounds, in the option's unit (ms for durations, bytes for sizes). */
  readonly min?: number;
  readonly max?: number;
  /** Each value must be `HOST:PORT`. */
  readonly endpoint?: boolean;
  /** False for options that make no sense inside a config file (`config` itself). */
  readonly inFile?: boolean;
}

const ALL: readonly CommandName[] = ['mount', 'igfs', 'unmount'];
const MOUNT: readonly CommandName[] = ['mount'];
const MOUNT_IGFS: readonly CommandName[] = ['mount', 'igfs'];

export const OPTIONS = [
  // Endpoints
  {
    name: 'igfs', key: 'igfsEndpoints', type: 'strings', group: 'Endpoints', commands: MOUNT_IGFS,
    default: ['127.0.0.1:10500'], endpoint: true,
    help: 'IGFS endpoint HOST:PORT of an Ignite node',
  },
  {
    name: 'igfs-name', key: 'igfsName', type: 'string', group: 'Endpoints', commands: MOUNT_IGFS,
    defaultText: 'none (whichever IGFS the endpoint serves)',
    help: 'Name of the IGFS instance to use',
  },
  {
    name: 'thin', key: 'thinEndpoints', type: 'strings', group: 'Endpoints', commands: MOUNT,
    default: ['127.0.0.1:10800'], endpoint: true,
    help: 'Thin-client endpoint HOST:PORT of an Ignite node, for the caches view',
  },

  // Authentication and TLS: these apply to the thin-client connection only; IGFS has neither.
  {
    name: 'user', key: 'user', type: 'string', group: 'Authentication and TLS (thin client)', commands: MOUNT,
    help: 'User name for Ignite authentication',
  },
  {
    name: 'password', key: 'password', type: 'string', group: 'Authentication and TLS (thin client)', commands: MOUNT,
    secret: true, secretFile: 'password-file',
    help: 'Password for Ignite authentication (environment or config file only, never a flag)',
  },
  {
    name: 'password-file', key: 'passwordFile', type: 'path', group: 'Authentication and TLS (thin client)',
    commands: MOUNT,
    help: 'File whose content (one trailing newline ignored) is the password',
  },
  {
    name: 'tls', key: 'tls', type: 'boolean', group: 'Authentication and TLS (thin client)', commands: MOUNT,
    default: false,
    help: 'Use TLS for the thin-client connection',
  },
  {
    name: 'tls-ca', key: 'tlsCa', type: 'path', group: 'Authentication and TLS (thin client)', commands: MOUNT,
    defaultText: "Node's built-in CA list",
    help: 'PEM file of the CA certificate(s) that signed the server certificate',
  },
  {
    name: 'tls-cert', key: 'tlsCert', type: 'path', group: 'Authentication and TLS (thin client)', commands: MOUNT,
    help: 'PEM client certificate (with --tls-key) for servers that require client authentication',
  },
  {
    name: 'tls-key', key: 'tlsKey', type: 'path', group: 'Authentication and TLS (thin client)', commands: MOUNT,
    help: 'PEM private key of the client certificate',
  },
  {
    name: 'tls-key-passphrase', key: 'tlsKeyPassphrase', type: 'string', group: 'Authentication and TLS (thin client)',
    commands: MOUNT, secret: true, secretFile: 'tls-key-passphrase-file',
    help: 'Passphrase of the encrypted --tls-key (environment or config file only, never a flag)',
  },
  {
    name: 'tls-key-passphrase-file', key: 'tlsKeyPassphraseFile', type: 'path',
    group: 'Authentication and TLS (thin client)', commands: MOUNT,
    help: 'File whose content (one trailing newline ignored) is the --tls-key passphrase',
  },
  {
    name: 'tls-insecure', key: 'tlsInsecure', type: 'boolean', group: 'Authentication and TLS (thin client)',
    commands: MOUNT, default: false,
    help: 'Do not verify the server certificate (for tests only)',
  },

  // Mount
  {
    name: 'caches', key: 'cachesMountpoint', type: 'path', group: 'Mount', commands: MOUNT,
    help: 'Also mount the read-only caches view at this directory',
  },
  {
    name: 'caches-only', key: 'cachesOnlyMountpoint', type: 'path', group: 'Mount', commands: MOUNT,
    help: 'Mount only the caches view, at this directory (no IGFS mountpoint is given then)',
  },
  {
    name: 'read-only', key: 'readOnly', type: 'boolean', group: 'Mount', commands: MOUNT, default: false,
    help: 'Mount the IGFS tree read-only (the caches view is always read-only)',
  },
  {
    name: 'allow-other', key: 'allowOther', type: 'boolean', group: 'Mount', commands: MOUNT, default: false,
    help: 'Let other users access the mount; turns on default_permissions so the kernel enforces modes',
  },
  {
    name: 'uid', key: 'uid', type: 'integer', group: 'Mount', commands: MOUNT, min: 0, max: 2 ** 32 - 2,
    dynamicDefault: (ctx) => ctx.uid, defaultText: "the daemon's own uid",
    help: 'Owner shown for entries that carry no usrName property',
  },
  {
    name: 'gid', key: 'gid', type: 'integer', group: 'Mount', commands: MOUNT, min: 0, max: 2 ** 32 - 2,
    dynamicDefault: (ctx) => ctx.gid, defaultText: "the daemon's own gid",
    help: 'Group shown for entries that carry no grpName property',
  },

  // Caching
  {
    name: 'attr-ttl', key: 'attrTtlMs', type: 'duration', group: 'Caching', commands: MOUNT, default: '1s',
    help: 'How long file attributes are cached (by the daemon and the kernel)',
  },
  {
    name: 'entry-ttl', key: 'entryTtlMs', type: 'duration', group: 'Caching', commands: MOUNT, default: '1s',
    help: 'How long the kernel caches a name lookup',
  },
  {
    name: 'negative-ttl', key: 'negativeTtlMs', type: 'duration', group: 'Caching', commands: MOUNT, default: '1s',
    help: 'How long "no such file" is cached (0 disables); cuts TensorBoard\'s repeated lookups',
  },
  {
    name: 'dir-ttl', key: 'dirTtlMs', type: 'duration', group: 'Caching', commands: MOUNT, default: '1s',
    help: 'How long a directory listing is cached',
  },
  {
    name: 'view-ttl', key: 'viewTtlMs', type: 'duration', group: 'Caching', commands: MOUNT, default: '30s',
    help: 'How long the caches view serves each snapshot (the list of caches, a rows listing, a row, a partition file, schema.json) before taking a new one',
  },
  {
    name: 'cache-size', key: 'cacheSizeBytes', type: 'size', group: 'Caching', commands: MOUNT, default: '256MiB',
    help: 'Memory for cached file blocks (0 disables the block cache)',
  },
  {
    // 4 KiB is the kernel page size FUSE reads in; a larger cap keeps one miss from fetching a huge block.
    name: 'block-size', key: 'blockSizeBytes', type: 'size', group: 'Caching', commands: MOUNT, default: '1MiB',
    min: 4096, max: 64 * 1024 * 1024,
    help: 'Unit of the block cache and of reads from IGFS',
  },
  {
    name: 'read-ahead', key: 'readAheadBlocks', type: 'integer', group: 'Caching', commands: MOUNT, default: 8,
    min: 0, max: 1024,
    help: 'Blocks fetched ahead of a sequential reader (0 disables read-ahead)',
  },

  // Writes
  {
    name: 'write-buffer', key: 'writeBufferBytes', type: 'size', group: 'Writes', commands: MOUNT, default: '1MiB',
    min: 4096, max: 256 * 1024 * 1024,
    help: 'Bytes gathered per open file before they are sent to IGFS',
  },
  {
    name: 'staging-dir', key: 'stagingDir', type: 'path', group: 'Writes', commands: MOUNT,
    dynamicDefault: (ctx) => `${ctx.tmpdir}/ignite-fuse-staging`, defaultText: '$TMPDIR/ignite-fuse-staging',
    help: 'Local directory for files rewritten by random writes or truncate(n > 0)',
  },
  {
    name: 'max-staged-bytes', key: 'maxStagedBytes', type: 'size', group: 'Writes', commands: MOUNT,
    default: '1GiB',
    help: 'Largest file that random writes or truncate(n > 0) may rewrite; above it they fail with EFBIG',
  },
  {
    name: 'commit-interval', key: 'commitIntervalMs', type: 'duration', group: 'Writes', commands: MOUNT,
    default: '5s',
    help: 'How often data written to open files is made visible to other clients (0 disables; fsync and close always do)',
  },

  // Timeouts
  {
    name: 'connect-timeout', key: 'connectTimeoutMs', type: 'duration', group: 'Timeouts', commands: MOUNT_IGFS,
    default: '5s', min: 1,
    help: 'Time allowed to connect and handshake with a node',
  },
  {
    name: 'request-timeout', key: 'requestTimeoutMs', type: 'duration', group: 'Timeouts', commands: MOUNT_IGFS,
    default: '30s', min: 1,
    help: 'Time allowed for one request to a node to be answered',
  },
  {
    // fuse-native gives every op 15 s unless told otherwise, too little for a close that flushes a large file.
    name: 'op-timeout', key: 'opTimeoutMs', type: 'duration', group: 'Timeouts', commands: MOUNT, default: '2m',
    min: 1,
    help: 'Time a filesystem operation may take before it fails with ETIMEDOUT',
  },

  // Daemon and logging
  {
    name: 'background', key: 'background', type: 'boolean', group: 'Daemon and logging', commands: MOUNT,
    default: false,
    help: 'Detach once every mountpoint is live (exit 0 then); use with --log-file and --pid-file',
  },
  {
    name: 'pid-file', key: 'pidFile', type: 'path', group: 'Daemon and logging', commands: MOUNT,
    help: 'Write the daemon\'s process id to this file',
  },
  {
    name: 'log-file', key: 'logFile', type: 'path', group: 'Daemon and logging', commands: ALL,
    defaultText: 'stderr',
    help: 'Append the log to this file',
  },
  {
    name: 'log-level', key: 'logLevel', type: 'enum', group: 'Daemon and logging', commands: ALL, default: 'info',
    choices: ['error', 'warn', 'info', 'debug'],
    help: 'Least severe events that are logged',
  },
  {
    name: 'config', key: 'configFile', type: 'path', group: 'Daemon and logging', commands: ALL, inFile: false,
    help: 'JSON config file; its keys are option names (see docs/OPTIONS.md)',
  },
] as const satisfies readonly OptionSpec[];

export type OptionName = (typeof OPTIONS)[number]['name'];

type ValueOf<S> =
  S extends { type: 'enum'; choices: readonly (infer C)[] } ? C
    : S extends { type: 'boolean' } ? boolean
      : S extends { type: 'integer' | 'duration' | 'size' } ? number
        : S extends { type: 'strings' } ? readonly string[]
          : string;

type HasDefault<S> = S extends { default: unknown } ? true : S extends { dynamicDefault: unknown } ? true : false;

/** The resolved configuration: one property per option, durations in ms, sizes in bytes, paths absolute. */
export type Config = {
  readonly [S in (typeof OPTIONS)[number] as S['key']]: HasDefault<S> extends true ? ValueOf<S> : ValueOf<S> | undefined;
};

export function optionSpecs(): readonly OptionSpec[] {
  return OPTIONS;
}

export function findOption(name: string): OptionSpec | undefined {
  return (OPTIONS as readonly OptionSpec[]).find((o) => o.name === name);
}

/** `IGNITE_FUSE_` + the name upper-cased with dashes as underscores. */
export function envVarName(spec: Pick<OptionSpec, 'name'>): string {
  return `IGNITE_FUSE_${spec.name.toUpperCase().replace(/-/gu, '_')}`;
}

/** The config-file key is the option's name itself, so a file reads like the command line. */
export function fileKey(spec: Pick<OptionSpec, 'name'>): string {
  return spec.name;
}

export function optionsFor(command: CommandName): OptionSpec[] {
  return (OPTIONS as readonly OptionSpec[]).filter((o) => o.commands.includes(command));
}

/** The default as help and docs show it. */
export function defaultText(spec: OptionSpec): string | undefined {
  if (spec.defaultText !== undefined) return spec.defaultText;
  if (spec.default === undefined) return undefined;
  return Array.isArray(spec.default) ? spec.default.join(',') : String(spec.default);
}
