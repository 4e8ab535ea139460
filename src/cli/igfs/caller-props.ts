// Owner, group and mode of what `put`, `mkdir` and `touch` create, as IGFS properties in Hadoop's convention
// (usrName, grpName, permission as 4-digit octal; igfs-protocol.md §4.3), so the mount, Hadoop and this CLI agree.
// Names come from the same passwd/group tables the mount uses (fs/identity.ts); an id without a name is stored
// as its decimal form, as the mount does.
import { userInfo } from 'node:os';
import { loadSystemIdentityMap, nameForId, type IdentityMap } from '../../fs/identity.js';

export type EntryKind = 'file' | 'directory';

/** What creat(2)/mkdir(2) would be asked for by cp and mkdir before the umask applies. */
const REQUESTED_MODE: Record<EntryKind, number> = { file: 0o666, directory: 0o777 };

/** Mode bits when a stored entry has no `permission` (the mount's defaults, fs/filesystem.ts). */
export const DEFAULT_MODE: Record<EntryKind, number> = { file: 0o644, directory: 0o755 };

export interface CallerIdentity {
  user: string;
  group: string;
  umask: number;
}

function currentUmask(): number {
  // Reading the umask means setting it and back (hence Node's deprecation note); harmless in this one-threaded CLI.
  return process.umask();
}

export function callerIdentity(ids: IdentityMap = loadSystemIdentityMap()): CallerIdentity {
  const info = userInfo();
  const uid = info.uid;
  const gid = info.gid;
  return {
    user: nameForId(uid, ids.userName(uid) ?? (info.username === '' ? undefined : info.username)),
    group: nameForId(gid, ids.groupName(gid)),
    umask: currentUmask(),
  };
}

/** 4-digit octal, the way Hadoop writes it (`String.format("%04o")`). */
export function formatPermission(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

/** Parses a stored `permission`; undefined when absent or not octal. */
export function parsePermission(text: string | undefined): number | undefined {
  if (text === undefined || !/^[0-7]{1,6}$/u.test(text)) return undefined;
  return Number.parseInt(text, 8) & 0o7777;
}

export function callerProps(kind: EntryKind, who: CallerIdentity = callerIdentity()): Record<string, string> {
  return {
    usrName: who.user,
    grpName: who.group,
    permission: formatPermission(REQUESTED_MODE[kind] & ~who.umask),
  };
}
