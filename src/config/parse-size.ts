// Sizes: a bare number is bytes (`4096`); units are binary with an `i` (`KiB` = 1024, `MiB`, `GiB`, `TiB`) and
// decimal without (`KB` = 1000, `MB`, `GB`, `TB`), `B` for bytes; unit letters are case-insensitive. A single
// letter (`512M`) is refused rather than guessed, since tools disagree on whether it means 1000 or 1024.
// Fractions are fine when they come out as whole bytes (`1.5GiB`). The result is in bytes.
import { ValueError } from './config-error.js';

const BYTES_PER_UNIT: Readonly<Record<string, bigint>> = {
  b: 1n,
  kib: 1024n,
  mib: 1024n ** 2n,
  gib: 1024n ** 3n,
  tib: 1024n ** 4n,
  kb: 1000n,
  mb: 1000n ** 2n,
  gb: 1000n ** 3n,
  tb: 1000n ** 4n,
};

const SIZE = /^(\d+)(?:\.(\d+))?\s*([a-zA-Z]*)$/u;

/** Parses a size such as `512MiB`, `10MB` or `4096` into bytes; throws ValueError with the reason. */
export function parseSize(text: string): number {
  const input = text.trim();
  if (input === '') throw new ValueError('empty size; give bytes or a number with a unit, e.g. 64KiB');
  if (input.startsWith('-')) throw new ValueError(`negative size "${text}"`);
  const m = SIZE.exec(input);
  if (m === null) throw new ValueError(`malformed size "${text}"; write e.g. 4096, 64KiB, 512MiB or 1GiB`);
  const [, whole, fraction = '', unitText = ''] = m;
  const unit = unitText.toLowerCase();
  let perUnit: bigint | undefined;
  if (unit === '') perUnit = 1n;
  else perUnit = BYTES_PER_UNIT[unit];
  if (perUnit === undefined) {
    if (/^[kmgt]$/u.test(unit)) {
      const u = unit.toUpperCase();
      throw new ValueError(`ambiguous size unit "${unitText}" in "${text}"; write ${u}iB (1024-based) or ${u}B (1000-based)`);
    }
    throw new ValueError(`unknown size unit "${unitText}" in "${text}"; use B, KiB, MiB, GiB, TiB (1024-based) or KB, MB, GB, TB (1000-based)`);
  }
  const scale = 10n ** BigInt(fraction.length);
  const scaled = (BigInt(whole!) * scale + BigInt(fraction === '' ? '0' : fraction)) * perUnit;
  if (scaled % scale !== 0n) throw new ValueError(`size "${text}" is not a whole number of bytes`);
  const bytes = scaled / scale;
  if (bytes > BigInt(Number.MAX_SAFE_INTEGER)) throw new ValueError(`size "${text}" is too large`);
  return Number(bytes);
}
