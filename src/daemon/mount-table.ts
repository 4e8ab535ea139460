// Reads the kernel's mount table to tell whether a directory is a FUSE mountpoint (live or dead).
import { readFile } from 'node:fs/promises';

export interface MountEntry {
  mountpoint: string;
  fstype: string;
  source: string;
}

/** /proc/mounts escapes space, tab, newline and backslash as octal (\040 ...). */
function unescapeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

export function parseMounts(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const parts = line.split(' ');
    if (parts.length < 3) continue;
    entries.push({
      source: unescapeMountField(parts[0]),
      mountpoint: unescapeMountField(parts[1]),
      fstype: parts[2],
    });
  }
  return entries;
}

export async function readMounts(file = '/proc/mounts'): Promise<MountEntry[]> {
  return parseMounts(await readFile(file, 'utf8'));
}

/** The FUSE mount at `mountpoint` (absolute, resolved), if any. */
export async function findFuseMount(mountpoint: string, file?: string): Promise<MountEntry | undefined> {
  const entries = await readMounts(file);
  return entries.find((e) => e.mountpoint === mountpoint && (e.fstype === 'fuse' || e.fstype.startsWith('fuse.')));
}
