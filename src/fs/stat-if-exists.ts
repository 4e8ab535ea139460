// stat that answers "absent" with undefined instead of ENOENT, for the many checks that branch on existence.
import type { Backend, EntryAttrs } from './backend.js';
import { isFsError } from './errors.js';

export async function statIfExists(backend: Backend, path: string): Promise<EntryAttrs | undefined> {
  try {
    return await backend.stat(path);
  } catch (err) {
    if (isFsError(err, 'ENOENT')) return undefined;
    throw err;
  }
}
