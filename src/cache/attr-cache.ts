// Attributes and directory listings remembered for a short time. TensorBoard re-lists and re-stats its logdir
// every reload and the kernel looks names up before every open, so without this every one of those is a round
// trip to the store. "No such file" is remembered too (negative entries): lookups of names that do not exist
// (TensorBoard's plugin probes, Python's import path scans) are as frequent as those of names that do.
//
// Concurrent loads of one path share a single request. A load that was in flight when its path was invalidated
// still answers the callers that were waiting for it (they raced the mutation), but its result is not stored.

import { LRUCache } from 'lru-cache';
import type { DirEntry, EntryAttrs } from '../fs/backend.js';
import { isInSubtree, parentPath } from './cache-paths.js';
import type { Clock } from './clock.js';

export interface AttrCacheOptions {
  /** How long attributes are trusted. 0 disables attribute caching. */
  attrTtlMs: number;
  /** How long "no such file" is trusted. 0 disables negative entries. */
  negativeTtlMs: number;
  /** How long a directory listing is trusted. 0 disables listing caching. */
  dirTtlMs: number;
  clock: Clock;
  /** Most paths whose attributes are kept (memory bound for huge trees). */
  maxEntries?: number;
  /** Most directories whose listings are kept. */
  maxListings?: number;
}

export interface AttrCacheStats {
  attrHits: number;
  negativeHits: number;
  attrMisses: number;
  listHits: number;
  listMisses: number;
}

type AttrEntry =
  | { readonly attrs: EntryAttrs; readonly error?: undefined; readonly expiresAtMs: number }
  | { readonly attrs?: undefined; readonly error: unknown; readonly expiresAtMs: number };

interface ListEntry {
  readonly entries: readonly DirEntry[];
  readonly expiresAtMs: number;
}

interface Pending<T> {
  readonly promise: Promise<T>;
  /** Cleared when the path is invalidated while the load runs: then the result is not stored. */
  storable: boolean;
}

// One entry is a path string and an attrs object, a few hundred bytes: 100 000 of them stay in the tens of MB.
const DEFAULT_MAX_ENTRIES = 100_000;
// Listings hold a whole directory each; a few thousand directories cover TensorBoard logdirs comfortably.
const DEFAULT_MAX_LISTINGS = 4_096;

/** The store's "no such file or directory", recognized by its code so cache/ need not import the error types. */
function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'ENOENT';
}

function childPath(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

export class AttrCache {
  readonly #attrTtlMs: number;
  readonly #negativeTtlMs: number;
  readonly #dirTtlMs: number;
  readonly #clock: Clock;
  readonly #attrs: LRUCache<string, AttrEntry>;
  readonly #lists: LRUCache<string, ListEntry>;
  readonly #pendingAttrs = new Map<string, Pending<EntryAttrs>>();
  readonly #pendingLists = new Map<string, Pending<DirEntry[]>>();
  readonly #counters = { attrHits: 0, negativeHits: 0, attrMisses: 0, listHits: 0, listMisses: 0 };

  constructor(options: AttrCacheOptions) {
    for (const name of ['attrTtlMs', 'negativeTtlMs', 'dirTtlMs'] as const) {
      if (!(options[name] >= 0)) throw new RangeError(`${name} must be a non-negative number, got ${options[name]}`);
    }
    this.#attrTtlMs = options.attrTtlMs;
    this.#negativeTtlMs = options.negativeTtlMs;
    this.#dirTtlMs = options.dirTtlMs;
    this.#clock = options.clock;
    this.#attrs = new LRUCache({ max: options.maxEntries ?? DEFAULT_MAX_ENTRIES });
    this.#lists = new LRUCache({ max: options.maxListings ?? DEFAULT_MAX_LISTINGS });
  }

  /** Attributes of `path` from the cache, else from `load` (whose result, or ENOENT, is then remembered). */
  stat(path: string, load: () => Promise<EntryAttrs>): Promise<EntryAttrs> {
    const entry = this.#attrs.get(path);
    if (entry !== undefined) {
      if (entry.expiresAtMs > this.#clock.nowMs()) {
        if (entry.attrs !== undefined) {
          this.#counters.attrHits++;
          return Promise.resolve(entry.attrs);
        }
        this.#counters.negativeHits++;
        return Promise.reject(entry.error);
      }
      this.#attrs.delete(path);
    }
    const running = this.#pendingAttrs.get(path);
    if (running !== undefined) return running.promise;
    this.#counters.attrMisses++;
    const pending: Pending<EntryAttrs> = {
      storable: true,
      promise: load().then(
        (attrs) => {
          this.#endLoad(this.#pendingAttrs, path, pending);
          if (pending.storable) this.#putAttrs(path, attrs);
          return attrs;
        },
        (err: unknown) => {
          this.#endLoad(this.#pendingAttrs, path, pending);
          if (pending.storable && isNotFound(err) && this.#negativeTtlMs > 0) {
            this.#attrs.set(path, { error: err, expiresAtMs: this.#clock.nowMs() + this.#negativeTtlMs });
          }
          throw err;
        },
      ),
    };
    this.#pendingAttrs.set(path, pending);
    return pending.promise;
  }

  /**
   * Listing of directory `path` from the cache, else from `load`. A loaded listing also refreshes the attributes
   * of its entries (TensorBoard lists, then stats every entry). The array is the caller's to sort or modify.
   */
  async list(path: string, load: () => Promise<DirEntry[]>): Promise<DirEntry[]> {
    const entry = this.#lists.get(path);
    if (entry !== undefined) {
      if (entry.expiresAtMs > this.#clock.nowMs()) {
        this.#counters.listHits++;
        return entry.entries.slice();
      }
      this.#lists.delete(path);
    }
    let pending = this.#pendingLists.get(path);
    if (pending === undefined) {
      this.#counters.listMisses++;
      const started: Pending<DirEntry[]> = {
        storable: true,
        promise: load().then(
          (entries) => {
            this.#endLoad(this.#pendingLists, path, started);
            if (started.storable) this.#putListing(path, entries);
            return entries;
          },
          (err: unknown) => {
            this.#endLoad(this.#pendingLists, path, started);
            throw err;
          },
        ),
      };
      pending = started;
      this.#pendingLists.set(path, pending);
    }
    return (await pending.promise).slice();
  }

  /** After a mutation of `path`: its attributes (or negative entry), its own listing and its parent's listing. */
  invalidate(path: string): void {
    this.#dropAttrs(path);
    this.#dropListing(path);
    this.#dropListing(parentPath(path));
  }

  /** After rename or rmdir of `root`: everything at or below it, and the listing of its parent. */
  invalidateSubtree(root: string): void {
    for (const path of [...this.#attrs.keys()]) if (isInSubtree(path, root)) this.#attrs.delete(path);
    for (const path of [...this.#lists.keys()]) if (isInSubtree(path, root)) this.#lists.delete(path);
    for (const path of [...this.#pendingAttrs.keys()]) if (isInSubtree(path, root)) this.#dropAttrs(path);
    for (const path of [...this.#pendingLists.keys()]) if (isInSubtree(path, root)) this.#dropListing(path);
    this.#dropListing(parentPath(root));
  }

  stats(): AttrCacheStats {
    return { ...this.#counters };
  }

  #putAttrs(path: string, attrs: EntryAttrs): void {
    if (this.#attrTtlMs > 0) this.#attrs.set(path, { attrs, expiresAtMs: this.#clock.nowMs() + this.#attrTtlMs });
  }

  #putListing(path: string, entries: DirEntry[]): void {
    if (this.#dirTtlMs > 0) {
      this.#lists.set(path, { entries: entries.slice(), expiresAtMs: this.#clock.nowMs() + this.#dirTtlMs });
    }
    for (const entry of entries) {
      const child = childPath(path, entry.name);
      // A child with its own load in flight keeps that load's answer; it may be newer than this listing.
      if (!this.#pendingAttrs.has(child)) this.#putAttrs(child, entry.attrs);
    }
  }

  #dropAttrs(path: string): void {
    this.#attrs.delete(path);
    const pending = this.#pendingAttrs.get(path);
    if (pending !== undefined) {
      // Callers arriving after the mutation must not join a load that may have read the old state.
      pending.storable = false;
      this.#pendingAttrs.delete(path);
    }
  }

  #dropListing(path: string): void {
    this.#lists.delete(path);
    const pending = this.#pendingLists.get(path);
    if (pending !== undefined) {
      pending.storable = false;
      this.#pendingLists.delete(path);
    }
  }

  #endLoad<T>(loads: Map<string, Pending<T>>, path: string, pending: Pending<T>): void {
    if (loads.get(path) === pending) loads.delete(path);
  }
}
