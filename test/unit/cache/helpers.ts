// Small test helpers shared by the cache tests.
import { seededRandom } from '../../../src/util/seeded-random.js';

export { seededRandom };

/** A promise with its resolve exposed, for holding a fake's reads at a gate. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** `length` pseudo-random bytes from `seed`. */
export function randomBytes(length: number, seed: number): Buffer {
  const next = seededRandom(seed);
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = Math.floor(next() * 256);
  return bytes;
}

/** Lets every pending promise callback run (fake reads resolve in microtasks). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
