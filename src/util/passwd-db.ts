// Parsing of /etc/passwd and /etc/group (name:x:id:...) into name <-> id tables. NSS sources other
// than these files (LDAP, sssd) are out of reach without native code; unknown ids fall back to their
// decimal form in the filesystem layer.
import { readFileSync } from 'node:fs';

export interface IdTable {
  byId: Map<number, string>;
  byName: Map<string, number>;
}

/** Parses passwd(5)/group(5) text: field 0 is the name, field 2 the numeric id. Malformed lines are skipped. */
export function parseIdTable(text: string): IdTable {
  const byId = new Map<number, string>();
  const byName = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.length === 0 || line.startsWith('#')) continue;
    const fields = line.split(':');
    const name = fields[0];
    const idText = fields[2];
    if (name === undefined || name.length === 0 || idText === undefined || !/^\d+$/.test(idText)) continue;
    const id = Number(idText);
    // The first entry wins, as getpwuid/getpwnam do with duplicate entries.
    if (!byId.has(id)) byId.set(id, name);
    if (!byName.has(name)) byName.set(name, id);
  }
  return { byId, byName };
}

/** Reads and parses a passwd/group file; a missing or unreadable file gives an empty table. */
export function readIdTable(file: string): IdTable {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { byId: new Map(), byName: new Map() };
  }
  return parseIdTable(text);
}
