// Thin-client protocol versions this client speaks, and what each adds.

export interface ProtocolVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

export function version(major: number, minor: number, patch = 0): ProtocolVersion {
  return { major, minor, patch };
}

/** Newest first: the handshake proposes the first and falls back to what the server offers. */
export const SUPPORTED_VERSIONS: readonly ProtocolVersion[] = [
  version(1, 6),
  version(1, 5),
  version(1, 4),
  version(1, 3),
  version(1, 2),
];

export function compareVersions(a: ProtocolVersion, b: ProtocolVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

export function versionString(v: ProtocolVersion): string {
  return `${v.major}.${v.minor}.${v.patch}`;
}

export function isSupported(v: ProtocolVersion): boolean {
  return SUPPORTED_VERSIONS.some((s) => compareVersions(s, v) === 0);
}

/** 1.1.0: username and password in the handshake. */
export function hasAuthentication(v: ProtocolVersion): boolean {
  return compareVersions(v, version(1, 1)) >= 0;
}

/**
 * 1.4.0 (partition awareness): the handshake reply carries the node id, every reply header carries flags
 * (and the status only on error), and OP_CACHE_PARTITIONS exists.
 */
export function hasPartitionAwareness(v: ProtocolVersion): boolean {
  return compareVersions(v, version(1, 4)) >= 0;
}
