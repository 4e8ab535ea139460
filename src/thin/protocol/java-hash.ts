// Identifiers the protocol derives from names with Java's String.hashCode.

/** Java's String.hashCode (UTF-16 code units, 32-bit wrap-around). Cache ids are this of the cache name. */
export function javaHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** Cache id of a cache name (case-sensitive). */
export function cacheId(name: string): number {
  return javaHashCode(name);
}

/** Type and field ids of Ignite's default id mapper: hash of the lower-cased name. */
export function binaryNameId(name: string): number {
  return javaHashCode(name.toLowerCase());
}

const FNV1_OFFSET_BASIS = 0x811c9dc5 | 0;
const FNV1_PRIME = 0x01000193;

/** Schema id of an ordered list of field ids (FNV-1 over their little-endian bytes). */
export function schemaId(fieldIds: readonly number[]): number {
  if (fieldIds.length === 0) return 0;
  let h = FNV1_OFFSET_BASIS;
  for (const id of fieldIds) {
    for (let shift = 0; shift < 32; shift += 8) {
      h ^= (id >> shift) & 0xff;
      h = Math.imul(h, FNV1_PRIME);
    }
  }
  return h;
}
