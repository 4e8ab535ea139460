// Is a path a mountpoint, and of what type? Read from /proc/self/mountinfo rather than by stat(2): a stat on a
// dead FUSE mount fails with ENOTCONN and on a hung one never returns.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

export interface MountEntry {
  /** "major:minor" of the mounted filesystem; for FUSE the minor names its /sys/fs/fuse/connections entry. */
  device: string;
  mountpoint: string;
  fsType: string;
  source: string;
}

const MOUNTINFO = '/proc/self/mountinfo';

/** mountinfo escapes blanks, tabs, newlines and backslashes in paths as \ooo octal. */
function unescapeOctal(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/** Parses mountinfo text: "id parent major:minor root mountpoint options [optional...] - fstype source superopts". */
export function parseMountInfo(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const fields = line.split(' ');
    const separator = fields.indexOf('-', 6);
    if (fields.length < 7 || separator < 0 || separator + 2 >= fields.length) continue;
    entries.push({
      device: fields[2],
      mountpoint: unescapeOctal(fields[4]),
      fsType: fields[separator + 1],
      source: unescapeOctal(fields[separator + 2]),
    });
  }
  return entries;
}

/** The mount at exactly `path` (the last one, if stacked), or undefined. */
export async function findMount(path: string): Promise<MountEntry | undefined> {
  const target = resolve(path);
  const entries = parseMountInfo(await readFile(MOUNTINFO, 'utf8'));
  return entries.filter((e) => e.mountpoint === target).pop();
}
