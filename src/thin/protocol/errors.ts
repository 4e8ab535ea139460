// Typed errors of the thin-client protocol layer. Transport errors (closed socket, timeouts, TLS) live in
// ../errors.ts; these are raised by pure encode/decode code and by the server's replies.

/** The bytes do not follow the protocol (a frame, a header or a reply body). Not scoped to one value. */
export class ProtocolError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProtocolError';
  }
}

/**
 * One data value could not be decoded: an unknown type code or a corrupt object. Scoped to that value, so a
 * scan can report the row and go on with the next one.
 */
export class DecodeError extends Error {
  /** The type code being decoded when the error happened (undefined when the failure is before any code). */
  readonly typeCode: number | undefined;
  /** Byte position of the failure inside the decoded buffer. */
  readonly position: number;

  constructor(message: string, typeCode: number | undefined, position: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DecodeError';
    this.typeCode = typeCode;
    this.position = position;
  }
}

/**
 * Decoding needs binary type metadata (field names of a schema, an enum's names) that is not cached yet.
 * The caller fetches it with OP_GET_BINARY_TYPE and decodes again; never shown to users.
 */
export class MissingBinaryTypeError extends Error {
  readonly typeId: number;

  constructor(typeId: number) {
    super(`binary type ${typeId} is not in the metadata cache`);
    this.name = 'MissingBinaryTypeError';
    this.typeId = typeId;
  }
}

/** Status codes of the thin-client protocol (ClientStatus on the server). */
export const ClientStatus = {
  SUCCESS: 0,
  FAILED: 1,
  INVALID_OP_CODE: 2,
  CACHE_DOES_NOT_EXIST: 1000,
  CACHE_EXISTS: 1001,
  TOO_MANY_CURSORS: 1010,
  RESOURCE_DOES_NOT_EXIST: 1011,
  SECURITY_VIOLATION: 1012,
  AUTH_FAILED: 2000,
} as const;

/** The server answered a request with a non-zero status. */
export class ServerError extends Error {
  readonly status: number;
  readonly opCode: number;

  constructor(status: number, opCode: number, serverMessage: string) {
    super(serverMessage);
    this.name = 'ServerError';
    this.status = status;
    this.opCode = opCode;
  }
}

/** The server refused the handshake (version, or credentials when `authFailed`). */
export class HandshakeError extends Error {
  readonly authFailed: boolean;
  readonly serverVersion: string;

  constructor(message: string, authFailed: boolean, serverVersion: string) {
    super(message);
    this.name = 'HandshakeError';
    this.authFailed = authFailed;
    this.serverVersion = serverVersion;
  }
}
