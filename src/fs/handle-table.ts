// File handle numbers -> handles, and paths -> OpenFile (one per path while anything has it open).
import { FsError } from './errors.js';
import { newHandleEntry, OpenFile, type FileHandleEntry } from './open-file.js';
import type { OpenMode } from './open-flags.js';
import { isSameOrBelow, parentOf, rebase } from './paths.js';

export class HandleTable {
  // Handles start at 1: fuse-native treats an fh of 0 returned by open/create as "none" and leaves
  // fuse_file_info.fh unset. They travel as uint32, so a daemon would need 4 billion opens to wrap.
  private nextFh = 1;
  private readonly byFh = new Map<number, FileHandleEntry>();
  private readonly byPath = new Map<string, OpenFile>();
  /** Unlinked files kept under a hidden name until their last handle closes. */
  private readonly hidden = new Set<OpenFile>();

  /** The OpenFile at `path`, created when none is open. */
  fileFor(path: string): OpenFile {
    let file = this.byPath.get(path);
    if (file === undefined) {
      file = new OpenFile(path);
      this.byPath.set(path, file);
    }
    return file;
  }

  fileAt(path: string): OpenFile | undefined {
    return this.byPath.get(path);
  }

  add(file: OpenFile, mode: OpenMode): FileHandleEntry {
    const entry = newHandleEntry(this.nextFh++, file, mode);
    this.byFh.set(entry.fh, entry);
    file.handles.add(entry);
    if (mode.writable) file.writers += 1;
    return entry;
  }

  get(fh: number): FileHandleEntry {
    const entry = this.byFh.get(fh);
    if (entry === undefined) throw new FsError('EBADF', `unknown file handle ${fh}`);
    return entry;
  }

  remove(entry: FileHandleEntry): void {
    if (!this.byFh.delete(entry.fh)) return;
    entry.file.handles.delete(entry);
    if (entry.mode.writable) entry.file.writers -= 1;
  }

  /** Drops the OpenFile from the path index once nothing uses it. */
  forgetIfUnused(file: OpenFile): void {
    if (file.handles.size === 0 && file.writers === 0 && this.byPath.get(file.path) === file) {
      this.byPath.delete(file.path);
    }
  }

  /** The path no longer names this file (unlinked or replaced); its handles stay valid. */
  detach(file: OpenFile): void {
    file.unlinked = true;
    if (this.byPath.get(file.path) === file) this.byPath.delete(file.path);
  }

  /** Like detach, but the store still holds the content at `hiddenPath` for the open handles. */
  hide(file: OpenFile, hiddenPath: string): void {
    this.detach(file);
    file.hiddenPath = hiddenPath;
    this.hidden.add(file);
  }

  /** Stops tracking a hidden file (its hidden copy is being deleted); returns the path to delete. */
  unhide(file: OpenFile): string | undefined {
    const path = file.hiddenPath;
    file.hiddenPath = undefined;
    this.hidden.delete(file);
    return path;
  }

  /** Hidden files directly inside `dir`. */
  hiddenIn(dir: string): OpenFile[] {
    return [...this.hidden].filter((file) => file.hiddenPath !== undefined && parentOf(file.hiddenPath) === dir);
  }

  allHidden(): OpenFile[] {
    return [...this.hidden];
  }

  filesUnder(path: string): OpenFile[] {
    return [...this.byPath.values()].filter((file) => isSameOrBelow(file.path, path));
  }

  /** After a rename: every open file at or below `from` now lives below `to`. */
  moveTree(from: string, to: string): void {
    for (const file of this.filesUnder(from)) {
      this.byPath.delete(file.path);
      file.path = rebase(file.path, from, to);
      if (file.session !== undefined) file.session.path = file.path;
      this.byPath.set(file.path, file);
    }
    for (const file of this.hidden) {
      if (file.hiddenPath !== undefined && isSameOrBelow(file.hiddenPath, from)) file.hiddenPath = rebase(file.hiddenPath, from, to);
    }
  }

  allFiles(): OpenFile[] {
    const files = new Set(this.byPath.values());
    for (const entry of this.byFh.values()) files.add(entry.file);
    return [...files];
  }

  allHandles(): FileHandleEntry[] {
    return [...this.byFh.values()];
  }
}
