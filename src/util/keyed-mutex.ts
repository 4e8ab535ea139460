// One AsyncMutex per key, created on demand and dropped when its queue empties, so a long-lived
// daemon does not accumulate one entry per path ever touched.
import { AsyncMutex } from './async-mutex.js';

export class KeyedMutex<K> {
  private readonly mutexes = new Map<K, AsyncMutex>();

  run<T>(key: K, section: () => Promise<T> | T): Promise<T> {
    let mutex = this.mutexes.get(key);
    if (mutex === undefined) {
      mutex = new AsyncMutex();
      this.mutexes.set(key, mutex);
    }
    const owner = mutex;
    const result = owner.run(section);
    const forget = (): void => {
      if (owner.size === 0 && this.mutexes.get(key) === owner) this.mutexes.delete(key);
    };
    // `size` drops in a reaction queued before ours, so by now it reflects this section's release.
    result.then(forget, forget);
    return result;
  }

  /**
   * Runs `section` holding every key's lock. Keys are locked in a canonical order so two callers
   * that lock overlapping sets cannot deadlock.
   */
  runAll<T>(keys: readonly K[], section: () => Promise<T> | T): Promise<T> {
    const unique = [...new Set(keys)].sort((a, b) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
    const nest = (index: number): Promise<T> =>
      index === unique.length ? Promise.resolve().then(section) : this.run(unique[index]!, () => nest(index + 1));
    return nest(0);
  }

  /** Number of keys with queued or running sections. */
  get activeKeys(): number {
    return this.mutexes.size;
  }
}
