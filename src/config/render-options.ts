// docs/OPTIONS.md, rendered from the option table. A unit test compares the file with this output, so the
// docs cannot drift; regenerate with `npm run build && node build/src/config/render-options.js > docs/OPTIONS.md`.
import { pathToFileURL } from 'node:url';
import { GROUPS, defaultText, envVarName, optionSpecs, type OptionSpec } from './option-table.js';
import { MAX_DURATION_MS } from './parse-duration.js';

const TYPE_TEXT: Record<OptionSpec['type'], string> = {
  string: 'string',
  boolean: 'boolean',
  integer: 'integer',
  strings: 'list',
  duration: 'duration',
  size: 'size',
  path: 'path',
  enum: 'enum',
};

function cell(text: string): string {
  return text.replace(/\|/gu, '\\|');
}

function typeCell(spec: OptionSpec): string {
  if (spec.type === 'enum' && spec.choices !== undefined) return spec.choices.map((c) => `\`${c}\``).join(' \\| ');
  return TYPE_TEXT[spec.type];
}

function flagCell(spec: OptionSpec): string {
  if (spec.secret) return `\`${spec.name}\` (no flag: secret)`;
  return `\`--${spec.name}\``;
}

function defaultCell(spec: OptionSpec): string {
  const text = defaultText(spec);
  if (text === undefined) return '—';
  return spec.default !== undefined ? `\`${text}\`` : text;
}

function notes(spec: OptionSpec): string {
  const parts = [/[.!?)]$/u.test(spec.help) ? spec.help : `${spec.help}.`];
  if (spec.type === 'strings') parts.push('Repeatable.');
  if (spec.min !== undefined || spec.max !== undefined) {
    const unit = spec.type === 'duration' ? 'ms' : spec.type === 'size' ? ' bytes' : '';
    const lo = spec.min === undefined ? '' : `at least ${spec.min}${unit}`;
    const hi = spec.max === undefined ? '' : `at most ${spec.max}${unit}`;
    parts.push(`Range: ${[lo, hi].filter((s) => s !== '').join(', ')}.`);
  }
  if (spec.inFile === false) parts.push('Not valid inside a config file.');
  parts.push(`Commands: ${spec.commands.join(', ')}.`);
  return parts.join(' ');
}

export function renderOptionsMarkdown(): string {
  const lines: string[] = [
    '# ignite-fuse options',
    '',
    '<!-- Generated from src/config/option-table.ts by renderOptionsMarkdown(); do not edit by hand.',
    '     Regenerate: npm run build && node build/src/config/render-options.js > docs/OPTIONS.md -->',
    '',
    'Every option can be given in three places besides its default. Precedence, lowest first:',
    '**default < config file < environment < command-line flag**.',
    '',
    '- **Flag**: `--name VALUE` (booleans: `--name`, `--no-name`).',
    '- **Environment**: `IGNITE_FUSE_<NAME>` with the name upper-cased and dashes turned into underscores',
    '  (`--attr-ttl` → `IGNITE_FUSE_ATTR_TTL`). An empty variable counts as unset. Other `IGNITE_FUSE_*`',
    '  variables are ignored (scripts use some for themselves).',
    '- **Config file**: `--config FILE` (or `IGNITE_FUSE_CONFIG`) names a JSON object whose keys are the option',
    '  names exactly as the flags spell them, without dashes in front:',
    '',
    '  ```json',
    '  { "igfs": ["10.0.0.1:10500", "10.0.0.2:10500"], "attr-ttl": "2s", "cache-size": "1GiB", "tls": true }',
    '  ```',
    '',
    '  A key that is not an option is an error (with a suggestion), so are `config` itself and malformed values.',
    '  A file may hold options of other commands, so one file serves `mount` and `igfs`; they are ignored by',
    '  commands they do not belong to. Relative paths in a file are relative to the file\'s directory; in flags',
    '  and the environment, to the working directory. All paths are made absolute.',
    '',
    'Only the options of the command being run are read from flags and the environment.',
    'Every error names the option and where the value came from (`--attr-ttl`, `IGNITE_FUSE_ATTR_TTL`, or',
    '`"attr-ttl" in FILE`).',
    '',
    '## Value types',
    '',
    '- **boolean**: flags take no value; environment and file accept `true/false`, `1/0`, `yes/no`, `on/off`',
    '  (the file also JSON `true`/`false`).',
    '- **integer**: decimal digits; a JSON number in the file.',
    '- **list**: repeat the flag (`--igfs a:10500 --igfs b:10500`), or separate values with commas in any source',
    '  (`IGNITE_FUSE_IGFS=a:10500,b:10500`); a JSON array of strings in the file. Endpoints are `HOST:PORT`',
    '  (IPv6 as `[::1]:10500`).',
    '- **duration**: a number with a unit, `ms`, `s`, `m`, `h` or `d`, or a sum such as `1h30m`; fractions that',
    '  come out as whole milliseconds (`1.5s`). A bare number is an error, since it is unclear whether `5` means',
    `  seconds or milliseconds; only \`0\` needs no unit. At most ${MAX_DURATION_MS}ms (about 24.8 days, the`,
    '  longest Node timer). Negative values are errors.',
    '- **size**: bytes as a bare number (`4096`), or a number with a unit: `KiB`, `MiB`, `GiB`, `TiB` are',
    '  1024-based, `KB`, `MB`, `GB`, `TB` are 1000-based, `B` is bytes; unit letters are case-insensitive. A',
    '  single letter (`512M`) is refused as ambiguous. Fractions that come out as whole bytes (`1.5GiB`).',
    '- **path**: made absolute as described above.',
    '- **enum**: one of the listed words.',
    '',
    '## Secrets',
    '',
    '`password` and `tls-key-passphrase` are never accepted as command-line flags (they would show in `ps` and',
    'shell history). Give them in the environment (`IGNITE_FUSE_PASSWORD`, `IGNITE_FUSE_TLS_KEY_PASSPHRASE`),',
    'in the config file, or name a file holding them with `--password-file` / `--tls-key-passphrase-file`',
    '(content used as is, minus one trailing newline). When a secret and its `*-file` option are both given, the',
    'higher-precedence source wins; both from the same source is an error.',
    '',
    'TLS and authentication apply to the thin-client connection of the caches view only: the IGFS endpoint',
    'has neither (an Ignite design choice).',
    '',
    '## Combinations refused by `mount`',
    '',
    '- `--caches` together with `--caches-only`.',
    '- Any `--tls-*` option (including `--tls-insecure`) without `--tls`.',
    '- `--tls-cert` without `--tls-key`, or the reverse; a key passphrase without `--tls-key`.',
    '- A password without `--user`.',
    '- A `--cache-size` other than 0 that is smaller than one `--block-size`.',
    '',
  ];
  for (const group of GROUPS) {
    const specs = optionSpecs().filter((s) => s.group === group);
    if (specs.length === 0) continue;
    lines.push(`## ${group}`, '');
    lines.push('| Option | Type | Default | Environment | Description |');
    lines.push('| --- | --- | --- | --- | --- |');
    for (const spec of specs) {
      lines.push(`| ${flagCell(spec)} | ${typeCell(spec)} | ${cell(defaultCell(spec))} | \`${envVarName(spec)}\` | ${cell(notes(spec))} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(renderOptionsMarkdown());
}
