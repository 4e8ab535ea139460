// How entries print: `ls -l`-style mode strings, owners and times.
import type { IgfsFileInfo } from '../../igfs/client.js';
import { DEFAULT_MODE, parsePermission, type CallerIdentity } from './caller-props.js';

export interface EntryView {
  isDirectory: boolean;
  /** Permission bits: the stored `permission`, else the mount's default for the kind. */
  mode: number;
  user: string;
  group: string;
}

/**
 * Owner, group and mode as the mount shows them: stored properties when present, otherwise the mount's defaults
 * (its own user and group, 0644/0755), which for this CLI is the calling user.
 */
export function entryView(info: IgfsFileInfo, caller: CallerIdentity): EntryView {
  const props = info.properties;
  const kind = info.isDirectory ? 'directory' : 'file';
  return {
    isDirectory: info.isDirectory,
    mode: parsePermission(props?.get('permission')) ?? DEFAULT_MODE[kind],
    user: nonEmpty(props?.get('usrName')) ?? caller.user,
    group: nonEmpty(props?.get('grpName')) ?? caller.group,
  };
}

function nonEmpty(text: string | undefined): string | undefined {
  return text === undefined || text === '' ? undefined : text;
}

/** `drwxr-xr-x`, with setuid/setgid/sticky letters as ls prints them. */
export function modeString(isDirectory: boolean, mode: number): string {
  const triple = (bits: number, special: boolean, specialLetter: string): string => {
    const x = (bits & 1) !== 0;
    const exec = special ? (x ? specialLetter : specialLetter.toUpperCase()) : x ? 'x' : '-';
    return `${bits & 4 ? 'r' : '-'}${bits & 2 ? 'w' : '-'}${exec}`;
  };
  return (isDirectory ? 'd' : '-') +
    triple((mode >> 6) & 7, (mode & 0o4000) !== 0, 's') +
    triple((mode >> 3) & 7, (mode & 0o2000) !== 0, 's') +
    triple(mode & 7, (mode & 0o1000) !== 0, 't');
}

const pad2 = (n: number): string => n.toString().padStart(2, '0');

/** `ls --time-style=long-iso` (local time): unambiguous and sortable, unlike ls's default six-month rule. */
export function formatLongIsoTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

/** ISO 8601 with milliseconds and the local offset, for `stat`. */
export function formatFullTime(ms: number): string {
  const d = new Date(ms);
  const offsetMin = -d.getTimezoneOffset();
  const sign = offsetMin >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMin);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ` +
    `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.${d.getMilliseconds().toString().padStart(3, '0')} ` +
    `${sign}${pad2(Math.floor(abs / 60))}${pad2(abs % 60)}`;
}
