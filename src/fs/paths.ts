// Helpers for the normalized absolute paths the FUSE layer hands us ("/", "/a/b").

export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function joinPath(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

/** True when `path` is `ancestor` itself or lies below it. */
export function isSameOrBelow(path: string, ancestor: string): boolean {
  if (ancestor === '/') return true;
  return path === ancestor || path.startsWith(`${ancestor}/`);
}

/** `path` with its `from` prefix replaced by `to` (caller checked isSameOrBelow(path, from)). */
export function rebase(path: string, from: string, to: string): string {
  return to + path.slice(from.length);
}
