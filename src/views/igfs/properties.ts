// Owner, group and mode live in IGFS properties, with the names and formats Hadoop uses, so Hadoop clients agree.
import type { EntryAttrs, SetAttrs } from '../../fs/backend.js';

export const PROP_USER = 'usrName';
export const PROP_GROUP = 'grpName';
export const PROP_PERMISSION = 'permission';

/** Hadoop writes permissions as 4-digit octal (`String.format("%04o")`). */
export function formatPermission(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

export function parsePermission(text: string | undefined): number | undefined {
  if (text === undefined || !/^[0-7]{1,6}$/.test(text)) return undefined;
  return parseInt(text, 8) & 0o7777;
}

/** The properties to store for `attrs` (only the fields that are set). */
export function attrsToProps(attrs: Pick<SetAttrs, 'mode' | 'user' | 'group'>): Record<string, string> {
  const props: Record<string, string> = {};
  if (attrs.mode !== undefined) props[PROP_PERMISSION] = formatPermission(attrs.mode);
  if (attrs.user !== undefined) props[PROP_USER] = attrs.user;
  if (attrs.group !== undefined) props[PROP_GROUP] = attrs.group;
  return props;
}

export function propsToAttrs(props: Map<string, string> | null): Pick<EntryAttrs, 'mode' | 'user' | 'group'> {
  const out: Pick<EntryAttrs, 'mode' | 'user' | 'group'> = {};
  const mode = parsePermission(props?.get(PROP_PERMISSION));
  if (mode !== undefined) out.mode = mode;
  const user = props?.get(PROP_USER);
  if (user !== undefined && user !== '') out.user = user;
  const group = props?.get(PROP_GROUP);
  if (group !== undefined && group !== '') out.group = group;
  return out;
}
