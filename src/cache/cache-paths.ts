// Path arithmetic the caches need for invalidation. Paths are the Backend's normalized absolute strings
// ("/", "/a/b"). Kept here rather than imported so that cache/ depends on fs/backend only.

export function parentPath(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
}

/** True when `path` is `root` itself or lies below it. */
export function isInSubtree(path: string, root: string): boolean {
  if (root === '/') return true;
  return path === root || path.startsWith(`${root}/`);
}
