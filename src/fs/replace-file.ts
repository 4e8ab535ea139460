// rename(2) onto an existing file for stores whose rename refuses an existing target (IGFS).
//
// The target is first renamed aside to a hidden temporary name, then the source takes its name, then
// the aside copy is deleted. Not atomic: between the first two steps the target name does not exist.
// But nothing is lost on failure: if the second step fails, the target is renamed back.
import type { Backend } from './backend.js';
import { baseName, joinPath, parentOf } from './paths.js';

/** Leaves room in NAME_MAX (255) for the leading dot and the suffix. */
const TEMP_BASE_MAX = 200;
const TEMP_NAME = /^\..*\.ifuse-[0-9a-f]{8}$/;

/** A hidden sibling name for `path` (`.<name>.ifuse-xxxxxxxx`), never shown by readdir. */
export function tempNameFor(path: string): string {
  const suffix = Math.floor(Math.random() * 0x1_0000_0000).toString(16).padStart(8, '0');
  return joinPath(parentOf(path), `.${baseName(path).slice(0, TEMP_BASE_MAX)}.ifuse-${suffix}`);
}

export function isTempName(name: string): boolean {
  return TEMP_NAME.test(name);
}

/**
 * Moves `from` onto the existing file `to`. The replaced file is deleted, or, with `keepReplaced`, left
 * under the returned hidden name (for handles that still read it; the caller deletes it later).
 */
export async function replaceFile(backend: Backend, from: string, to: string, keepReplaced = false): Promise<string | undefined> {
  const aside = tempNameFor(to);
  await backend.rename(to, aside);
  try {
    await backend.rename(from, to);
  } catch (err) {
    await backend.rename(aside, to).catch(() => undefined);
    throw err;
  }
  if (keepReplaced) return aside;
  // The old content is garbage now; a failure here leaves a hidden file, not a wrong one.
  await backend.unlink(aside).catch(() => undefined);
  return undefined;
}
