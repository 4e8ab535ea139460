// Durations carry units: `500ms`, `5s`, `2m`, `1h`, `1d`, or sums such as `1h30m`. A bare number is an error
// (is `5` seconds or milliseconds?), except `0`, which means the same in every unit. Fractions are fine as long
// as they come out as whole milliseconds (`1.5s`, not `0.5ms`). The result is in milliseconds.
import { ValueError } from './config-error.js';

const MS_PER_UNIT: Readonly<Record<string, bigint>> = {
  ms: 1n,
  s: 1_000n,
  m: 60_000n,
  h: 3_600_000n,
  d: 86_400_000n,
};

/** Node timers fire at once for delays above 2^31-1 ms (about 24.8 days), so no duration may exceed it. */
export const MAX_DURATION_MS = 2 ** 31 - 1;

const TERM = /(\d+)(?:\.(\d+))?\s*([a-zA-Zµ]+)/uy;

/** Parses a duration such as `500ms` or `1h30m` into milliseconds; throws ValueError with the reason. */
export function parseDuration(text: string): number {
  const input = text.trim();
  if (input === '') throw new ValueError('empty duration; give a number with a unit, e.g. 5s');
  if (input.startsWith('-')) throw new ValueError(`negative duration "${text}"`);
  if (/^\d+(\.\d+)?$/u.test(input)) {
    if (/^0+(\.0+)?$/u.test(input)) return 0;
    throw new ValueError(`duration "${text}" needs a unit: ms, s, m, h or d (e.g. ${input}s or ${input}ms)`);
  }
  let totalMs = 0n;
  let pos = 0;
  while (pos < input.length) {
    TERM.lastIndex = pos;
    const m = TERM.exec(input);
    if (m === null) throw new ValueError(`malformed duration "${text}"; write e.g. 500ms, 5s, 2m, 1h or 1h30m`);
    const [, whole, fraction = '', unit] = m;
    const perUnit = MS_PER_UNIT[unit!];
    if (perUnit === undefined) {
      throw new ValueError(`unknown duration unit "${unit}" in "${text}"; use ms, s, m, h or d`);
    }
    const scale = 10n ** BigInt(fraction.length);
    const scaled = (BigInt(whole!) * scale + BigInt(fraction === '' ? '0' : fraction)) * perUnit;
    if (scaled % scale !== 0n) throw new ValueError(`duration "${text}" is finer than a millisecond`);
    totalMs += scaled / scale;
    pos = TERM.lastIndex;
    while (input[pos] === ' ') pos++;
  }
  if (totalMs > BigInt(MAX_DURATION_MS)) {
    throw new ValueError(`duration "${text}" is too long; at most ${MAX_DURATION_MS}ms (about 24.8 days, the limit of Node timers)`);
  }
  return Number(totalMs);
}
