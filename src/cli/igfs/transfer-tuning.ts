// Request sizes for `put`/`get`/`cat`. Chosen from `npm run bench igfs` on the 2-core machine (docs/BENCHMARKS.md).

/** Bytes per READ_BLOCK. */
export const READ_CHUNK_BYTES = 1024 * 1024;
/** READ_BLOCKs kept in flight. */
export const READS_IN_FLIGHT = 4;
/** Bytes read from a local file at a time; each becomes one WRITE_BLOCK. */
export const LOCAL_READ_BYTES = 1024 * 1024;
