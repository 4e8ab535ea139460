// uid/gid <-> owner/group names. IGFS stores names (`usrName`/`grpName`, as Hadoop does); the kernel
// speaks numbers. Ids without a name are stored as their decimal string so chown never loses information.
import { readIdTable, type IdTable } from '../util/passwd-db.js';

export interface IdentityMap {
  userName(uid: number): string | undefined;
  groupName(gid: number): string | undefined;
  uid(userName: string): number | undefined;
  gid(groupName: string): number | undefined;
}

export class TableIdentityMap implements IdentityMap {
  constructor(
    private readonly users: IdTable,
    private readonly groups: IdTable,
  ) {}

  userName(uid: number): string | undefined {
    return this.users.byId.get(uid);
  }

  groupName(gid: number): string | undefined {
    return this.groups.byId.get(gid);
  }

  uid(userName: string): number | undefined {
    return this.users.byName.get(userName);
  }

  gid(groupName: string): number | undefined {
    return this.groups.byName.get(groupName);
  }
}

/** The local machine's users and groups, read once from the files (a daemon restart picks up changes). */
export function loadSystemIdentityMap(passwdFile = '/etc/passwd', groupFile = '/etc/group'): IdentityMap {
  return new TableIdentityMap(readIdTable(passwdFile), readIdTable(groupFile));
}

/** Name to store for a numeric id: the known name, else the decimal id. */
export function nameForId(id: number, known: string | undefined): string {
  return known ?? String(id);
}

/** Id to show for a stored name: the known id, a decimal name as its number, else the fallback. */
export function idForName(name: string | undefined, known: (name: string) => number | undefined, fallback: number): number {
  if (name === undefined || name.length === 0) return fallback;
  const id = known(name);
  if (id !== undefined) return id;
  return /^\d{1,10}$/.test(name) && Number(name) <= 0xffffffff ? Number(name) : fallback;
}
