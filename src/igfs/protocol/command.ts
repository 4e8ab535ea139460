// IgfsIpcCommand ordinals: the i32 at offset 8 of every request header. Replies always carry CONTROL_RESPONSE.

export const Command = {
  HANDSHAKE: 0,
  STATUS: 1,
  EXISTS: 2,
  INFO: 3,
  PATH_SUMMARY: 4,
  UPDATE: 5,
  RENAME: 6,
  DELETE: 7,
  MAKE_DIRECTORIES: 8,
  LIST_PATHS: 9,
  LIST_FILES: 10,
  AFFINITY: 11,
  SET_TIMES: 12,
  OPEN_READ: 13,
  OPEN_APPEND: 14,
  OPEN_CREATE: 15,
  CLOSE: 16,
  READ_BLOCK: 17,
  WRITE_BLOCK: 18,
  CONTROL_RESPONSE: 19,
  MODE_RESOLVER: 20,
} as const;

export type CommandCode = (typeof Command)[keyof typeof Command];

/** Request header: i64 reqId, i32 cmd, i64 streamId, i32 length (IgfsMarshaller.HEADER_SIZE). */
export const REQUEST_HEADER_BYTES = 24;
/** Reply: the same 24-byte header, then i32 resType, i8 hasErr, i32 len (IgfsControlResponse.RES_HEADER_SIZE). */
export const RESPONSE_HEADER_BYTES = 24 + 9;

/** WRITE_BLOCK carries no reply on success; the Java client sends it with -1, and write-error notices echo it. */
export const WRITE_BLOCK_REQ_ID = -1;
