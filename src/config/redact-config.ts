// The effective configuration in a form safe to log: secrets replaced, everything else as resolved.
import { optionSpecs, type Config } from './option-table.js';

export function redactConfig(config: Config): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const values = config as unknown as Record<string, unknown>;
  for (const spec of optionSpecs()) {
    const value = values[spec.key];
    out[spec.key] = spec.secret && value !== undefined ? '(hidden)' : value;
  }
  return out;
}
