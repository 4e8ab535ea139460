// The one error type of configuration: it names the option and where the bad value came from, so the
// message can tell the user exactly what to fix (`--attr-ttl`, `IGNITE_FUSE_ATTR_TTL`, or a key in a file).

export type ConfigSource = 'default' | 'file' | 'env' | 'flag';

export class ConfigError extends Error {
  /** The option's name as in the table (`attr-ttl`), or undefined for file-level problems. */
  readonly option: string | undefined;
  readonly source: ConfigSource | undefined;

  constructor(message: string, options: { option?: string; source?: ConfigSource; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConfigError';
    this.option = options.option;
    this.source = options.source;
  }
}

/** A value that failed to parse; the caller adds which option and source it came from. */
export class ValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValueError';
  }
}
