// yargs options derived from the option table, for `yargs.options(yargsOptionsFor('mount'))`.
//
// Every value option is declared as a string and parsed by loadConfig, so units and error messages are the
// same for flags, the environment and the file. No yargs defaults: loadConfig must see whether a flag was
// given to apply precedence (the defaults still show in --help through defaultDescription).
import type { Options } from 'yargs';
import { defaultText, envVarName, optionsFor, type CommandName, type OptionSpec } from './option-table.js';

function describe(spec: OptionSpec): string {
  const repeat = spec.type === 'strings' ? ' (repeatable, or comma-separated)' : '';
  return `${spec.help}${repeat} [env ${envVarName(spec)}]`;
}

function toYargs(spec: OptionSpec): Options {
  const options: Options = {
    describe: describe(spec),
    group: `${spec.group}:`,
    type: spec.type === 'boolean' ? 'boolean' : 'string',
  };
  if (spec.type !== 'boolean') options.requiresArg = true;
  if (spec.choices !== undefined) options.choices = [...spec.choices];
  const text = defaultText(spec);
  if (text !== undefined) options.defaultDescription = text;
  return options;
}

/** The flags of `command`: every option of the table in its scope except secrets, which are never flags. */
export function yargsOptionsFor(command: CommandName): Record<string, Options> {
  const out: Record<string, Options> = {};
  for (const spec of optionsFor(command)) {
    if (!spec.secret) out[spec.name] = toYargs(spec);
  }
  return out;
}
