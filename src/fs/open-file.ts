// What this mount knows about one open path: its handles, its write session, its ordering queue.
import type { EntryAttrs } from './backend.js';
import type { OpenMode } from './open-flags.js';
import { ReaderSlot } from './reader-slot.js';
import type { WriteSession } from './write-session.js';
import { AsyncMutex } from '../util/async-mutex.js';

export interface FileHandleEntry {
  readonly fh: number;
  readonly file: OpenFile;
  readonly mode: OpenMode;
  readonly reader: ReaderSlot;
}

export class OpenFile {
  /** Serializes everything that touches the write session (and the store's writer lock) for this file. */
  readonly mutex = new AsyncMutex();
  readonly handles = new Set<FileHandleEntry>();
  /** Writable handles plus transient writers (truncate by path); the session lives while this is > 0. */
  writers = 0;
  session: WriteSession | undefined;
  /** Set once the path was unlinked or replaced; the handles keep working on what they hold. */
  unlinked = false;
  /**
   * Where the store keeps an unlinked file's content while handles on this mount still use it: a hidden
   * name, deleted when the last handle closes (IGFS purges a deleted file's blocks under open readers).
   */
  hiddenPath: string | undefined;
  /** Last attributes seen from the store, for fgetattr on an unlinked file and the rename-into-place window. */
  lastAttrs: EntryAttrs | undefined;
  /**
   * Bumped whenever this mount replaces the file's content in the store (O_TRUNC, a staged rewrite):
   * read streams opened before then still show the old file and must be reopened.
   */
  generation = 0;

  constructor(public path: string) {}
}

export function newHandleEntry(fh: number, file: OpenFile, mode: OpenMode): FileHandleEntry {
  return { fh, file, mode, reader: new ReaderSlot() };
}
