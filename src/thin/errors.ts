// Transport-level errors of the thin-client connection: each carries the endpoint and reads as one line.

export class ThinConnectionError extends Error {
  readonly endpoint: string;

  constructor(endpoint: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ThinConnectionError';
    this.endpoint = endpoint;
  }
}

/** TCP connect failed (refused, unreachable, DNS). */
export class ConnectError extends ThinConnectionError {
  constructor(endpoint: string, message: string, options?: { cause?: unknown }) {
    super(endpoint, message, options);
    this.name = 'ConnectError';
  }
}

/** The connection closed (or was reset) while requests were pending or during the handshake. */
export class ConnectionClosedError extends ThinConnectionError {
  constructor(endpoint: string, message: string, options?: { cause?: unknown }) {
    super(endpoint, message, options);
    this.name = 'ConnectionClosedError';
  }
}

/** A request or the connection set-up did not finish within its deadline. */
export class TimeoutError extends ThinConnectionError {
  readonly timeoutMs: number;

  constructor(endpoint: string, message: string, timeoutMs: number) {
    super(endpoint, message);
    this.name = 'TimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

export type TlsFailure =
  | 'untrusted-certificate'
  | 'bad-key-passphrase'
  | 'not-tls-port'
  | 'closed-by-server'
  | 'bad-credentials-file'
  | 'handshake';

/** TLS could not be set up; `reason` says which of the usual causes it is. */
export class TlsError extends ThinConnectionError {
  readonly reason: TlsFailure;

  constructor(endpoint: string, reason: TlsFailure, message: string, options?: { cause?: unknown }) {
    super(endpoint, message, options);
    this.name = 'TlsError';
    this.reason = reason;
  }
}

/** The server refused the username/password; the message is the server's reason. */
export class AuthenticationError extends ThinConnectionError {
  constructor(endpoint: string, message: string) {
    super(endpoint, message);
    this.name = 'AuthenticationError';
  }
}
