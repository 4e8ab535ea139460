// One thin-client connection: TCP or TLS, handshake first (with version fallback), then requests matched to
// replies by request id, a deadline per request, and every pending request rejected when the socket drops.
import net from 'node:net';
import tls from 'node:tls';
import { ByteReader } from './protocol/byte-reader.js';
import { ClientStatus, HandshakeError, ProtocolError, ServerError } from './protocol/errors.js';
import { MessageFramer } from './protocol/framer.js';
import { type Credentials, decodeHandshakeReply, encodeHandshake, type HandshakeReply } from './protocol/handshake.js';
import { decodeReplyHeader, replyRequestId } from './protocol/message.js';
import {
  compareVersions,
  isSupported,
  type ProtocolVersion,
  SUPPORTED_VERSIONS,
  versionString,
} from './protocol/version.js';
import {
  AuthenticationError,
  ConnectError,
  ConnectionClosedError,
  ThinConnectionError,
  TimeoutError,
  TlsError,
} from './errors.js';

export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

export interface TlsOptions {
  /** PEM of the CA(s) that signed the server's certificate; Node's default roots when absent. */
  readonly ca?: string | Buffer;
  /** PEM client certificate and key, for servers that require client authentication. */
  readonly cert?: string | Buffer;
  readonly key?: string | Buffer;
  readonly passphrase?: string;
  /** Accept any server certificate (testing only). */
  readonly insecure?: boolean;
  /**
   * Highest TLS version to offer (default TLSv1.2). Ignite 2.8's connector completes a TLS 1.3 handshake when
   * its JVM allows it and then never answers (IGNITE-15337; seen with scripts/ignite --ssl), so 1.3 is opt-in.
   */
  readonly maxVersion?: tls.SecureVersion;
}

export interface ConnectionOptions {
  readonly endpoint: Endpoint;
  readonly tls?: TlsOptions;
  readonly credentials?: Credentials;
  /** Socket, TLS and handshake together. */
  readonly connectTimeoutMs?: number;
  /** Default deadline of one request. */
  readonly requestTimeoutMs?: number;
  /** Versions to offer, newest first (default: 1.6.0 down to 1.2.0). */
  readonly versions?: readonly ProtocolVersion[];
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

export interface RequestOptions {
  readonly timeoutMs?: number;
  /**
   * Called with the reply body if it arrives after the deadline, so a resource the server created for the
   * abandoned request (a scan cursor) can still be released.
   */
  readonly onLateReply?: (body: ByteReader) => void;
}

interface Pending {
  readonly opCode: number;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: unknown) => void;
  readonly decode: (body: ByteReader) => unknown;
  readonly timer: NodeJS.Timeout;
  readonly onLateReply: ((body: ByteReader) => void) | undefined;
}

export class ThinConnection {
  readonly endpoint: string;
  readonly version: ProtocolVersion;
  /** The server node's id (protocol 1.4.0+). */
  readonly nodeId: string | undefined;
  private readonly socket: net.Socket;
  private readonly framer: MessageFramer;
  private readonly requestTimeoutMs: number;
  private readonly pending = new Map<bigint, Pending>();
  private readonly late = new Map<bigint, (body: ByteReader) => void>();
  private readonly closeListeners: Array<(err: Error) => void> = [];
  private nextRequestId = 1n;
  private closedWith: Error | undefined;
  private lastSocketError: Error | undefined;

  private constructor(socket: net.Socket, framer: MessageFramer, endpoint: string, v: ProtocolVersion,
    nodeId: string | undefined, requestTimeoutMs: number) {
    this.socket = socket;
    // Not the handshake's framer: that one refuses large messages, and no bytes are left in it.
    void framer;
    this.framer = new MessageFramer();
    this.endpoint = endpoint;
    this.version = v;
    this.nodeId = nodeId;
    this.requestTimeoutMs = requestTimeoutMs;
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => {
      this.lastSocketError = err;
    });
    socket.on('close', () => {
      const cause = this.lastSocketError;
      this.shutdown(
        new ConnectionClosedError(
          endpoint,
          `connection to ${endpoint} closed${cause ? `: ${cause.message}` : ' by the server'}`,
          { cause },
        ),
      );
    });
  }

  /** Connects, negotiates the version (retrying with the one the server offers) and authenticates. */
  static async connect(options: ConnectionOptions): Promise<ThinConnection> {
    const endpoint = `${options.endpoint.host}:${options.endpoint.port}`;
    const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const deadline = Date.now() + connectTimeoutMs;
    const offered = options.versions ?? SUPPORTED_VERSIONS;
    const secureContext = options.tls ? createSecureContext(endpoint, options.tls) : undefined;
    let proposed = offered[0]!;
    const tried: ProtocolVersion[] = [];
    for (;;) {
      tried.push(proposed);
      const socket = await openSocket(options, endpoint, secureContext, deadline, connectTimeoutMs);
      let reply: HandshakeReply;
      let framer: MessageFramer;
      try {
        ({ reply, framer } = await exchangeHandshake(socket, endpoint, proposed, options, deadline, connectTimeoutMs));
      } catch (err) {
        socket.destroy();
        throw err;
      }
      if (reply.accepted) {
        return new ThinConnection(socket, framer, endpoint, proposed, reply.nodeId,
          options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
      }
      socket.destroy();
      if (reply.status === ClientStatus.AUTH_FAILED) {
        throw new AuthenticationError(endpoint, `authentication failed at ${endpoint}: ${oneLine(reply.message)}`);
      }
      const sv = reply.serverVersion;
      const acceptable = isSupported(sv) && offered.some((v) => compareVersions(v, sv) === 0);
      if (acceptable && !tried.some((v) => compareVersions(v, sv) === 0)) {
        proposed = sv;
        continue;
      }
      throw new ThinConnectionError(
        endpoint,
        `handshake with ${endpoint} refused (offered ${versionString(proposed)}, server speaks ` +
          `${versionString(sv)}): ${oneLine(reply.message)}`,
        { cause: new HandshakeError(reply.message, false, versionString(sv)) },
      );
    }
  }

  get closed(): boolean {
    return this.closedWith !== undefined;
  }

  /** Requests awaiting a reply (the pool uses it to pick the least busy connection). */
  get pendingCount(): number {
    return this.pending.size;
  }

  onClose(listener: (err: Error) => void): void {
    this.closeListeners.push(listener);
  }

  /** Sends one request; resolves with `decode` of the reply body, rejects with ServerError on a bad status. */
  request<T>(
    opCode: number,
    encode: (requestId: bigint) => Buffer,
    decode: (body: ByteReader) => T,
    options?: RequestOptions,
  ): Promise<T> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    const id = this.nextRequestId++;
    const timeoutMs = options?.timeoutMs ?? this.requestTimeoutMs;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        const p = this.pending.get(id);
        if (!p) return;
        this.pending.delete(id);
        if (p.onLateReply) this.late.set(id, p.onLateReply);
        reject(new TimeoutError(this.endpoint, `request ${opCode} to ${this.endpoint} timed out after ${timeoutMs} ms`, timeoutMs));
      }, timeoutMs);
      this.pending.set(id, {
        opCode,
        resolve: resolve as (v: unknown) => void,
        reject,
        decode,
        timer,
        onLateReply: options?.onLateReply,
      });
      this.socket.write(encode(id));
    });
  }

  /** Sends a request whose reply nobody waits for (closing a cursor while shutting a scan down). */
  fireAndForget(encode: (requestId: bigint) => Buffer): void {
    if (this.closedWith) return;
    const id = this.nextRequestId++;
    this.late.set(id, () => {});
    this.socket.write(encode(id));
  }

  close(): void {
    this.shutdown(new ConnectionClosedError(this.endpoint, `connection to ${this.endpoint} closed by the client`));
  }

  private shutdown(err: Error): void {
    if (this.closedWith) return;
    this.closedWith = err;
    this.socket.destroy();
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    this.pending.clear();
    this.late.clear();
    for (const l of this.closeListeners) l(err);
  }

  private onData(chunk: Buffer): void {
    let messages: Buffer[];
    try {
      messages = this.framer.push(chunk);
    } catch (err) {
      this.shutdown(
        new ConnectionClosedError(this.endpoint, `connection to ${this.endpoint} out of sync: ${(err as Error).message}`, {
          cause: err,
        }),
      );
      return;
    }
    for (const m of messages) this.onMessage(m);
  }

  private onMessage(message: Buffer): void {
    if (message.length < 8) {
      this.shutdown(new ConnectionClosedError(this.endpoint, `reply of ${message.length} bytes from ${this.endpoint}`, {
        cause: new ProtocolError('reply shorter than its header'),
      }));
      return;
    }
    const id = replyRequestId(message);
    const p = this.pending.get(id);
    if (!p) {
      const late = this.late.get(id);
      if (late) {
        this.late.delete(id);
        try {
          const h = decodeReplyHeader(message, this.version);
          if (h.status === ClientStatus.SUCCESS) late(new ByteReader(message, h.bodyOffset));
        } catch {
          // A late reply nobody waits for: nothing to report it to.
        }
      }
      return;
    }
    this.pending.delete(id);
    clearTimeout(p.timer);
    try {
      const h = decodeReplyHeader(message, this.version);
      if (h.status !== ClientStatus.SUCCESS) {
        p.reject(new ServerError(h.status, p.opCode, oneLine(h.errorMessage ?? '')));
        return;
      }
      p.resolve(p.decode(new ByteReader(message, h.bodyOffset)));
    } catch (err) {
      p.reject(err);
    }
  }
}

/** Server messages may carry Java stack-trace lines; errors here are one line. */
function oneLine(s: string): string {
  const first = s.split(/\r?\n/)[0] ?? '';
  return first.trim();
}

function createSecureContext(endpoint: string, o: TlsOptions): tls.SecureContext {
  try {
    // Versions belong to the context: tls.connect ignores minVersion/maxVersion when given a secureContext.
    return tls.createSecureContext({ ca: o.ca, cert: o.cert, key: o.key, passphrase: o.passphrase, maxVersion: o.maxVersion ?? 'TLSv1.2' });
  } catch (err) {
    if (isBadKeyPassphrase(err)) {
      throw new TlsError(endpoint, 'bad-key-passphrase',
        `TLS for ${endpoint}: cannot decrypt the client key (wrong key passphrase)`, { cause: err });
    }
    throw new TlsError(endpoint, 'bad-credentials-file',
      `TLS for ${endpoint}: cannot load the CA, certificate or key: ${(err as Error).message}`, { cause: err });
  }
}

/** OpenSSL reports a wrong passphrase only as a decryption failure of the key; no better signal exists. */
function isBadKeyPassphrase(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e.code === 'ERR_OSSL_BAD_DECRYPT' || /bad decrypt|bad password/i.test(e.message ?? '');
}

const UNTRUSTED_CERT_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function openSocket(
  options: ConnectionOptions,
  endpoint: string,
  secureContext: tls.SecureContext | undefined,
  deadline: number,
  connectTimeoutMs: number,
): Promise<net.Socket> {
  const { host, port } = options.endpoint;
  return new Promise<net.Socket>((resolve, reject) => {
    let tcpConnected = false;
    const socket: net.Socket = secureContext
      ? tls.connect({
          host,
          port,
          secureContext,
          rejectUnauthorized: !(options.tls?.insecure ?? false),
          // An IP address is not a valid SNI name; Node then checks the certificate against the IP SANs.
          servername: net.isIP(host) ? undefined : host,
        })
      : net.connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      if (secureContext && tcpConnected) {
        reject(new TlsError(endpoint, 'not-tls-port',
          `TLS handshake with ${endpoint} got no answer within ${connectTimeoutMs} ms (is TLS enabled on that port?)`));
      } else {
        reject(new TimeoutError(endpoint, `cannot connect to ${endpoint}: no answer within ${connectTimeoutMs} ms`, connectTimeoutMs));
      }
    }, Math.max(0, deadline - Date.now()));
    socket.once('connect', () => {
      tcpConnected = true;
      socket.setNoDelay(true);
    });
    socket.once(secureContext ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      // Later errors are recorded by whoever listens next; one without a listener would crash the process.
      socket.on('error', () => {});
      resolve(socket);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      reject(classifyConnectError(endpoint, err, secureContext !== undefined, tcpConnected));
    });
  });
}

function classifyConnectError(endpoint: string, err: NodeJS.ErrnoException, usingTls: boolean, tcpConnected: boolean): Error {
  const code = err.code ?? '';
  if (!tcpConnected) {
    const what = code === 'ECONNREFUSED' ? 'connection refused' : err.message;
    return new ConnectError(endpoint, `cannot connect to ${endpoint}: ${what}`, { cause: err });
  }
  if (usingTls) {
    if (UNTRUSTED_CERT_CODES.has(code)) {
      return new TlsError(endpoint, 'untrusted-certificate',
        `TLS: the certificate of ${endpoint} is not trusted (${code}): ${err.message}`, { cause: err });
    }
    if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number|packet length too long/i.test(err.message)) {
      return new TlsError(endpoint, 'not-tls-port',
        `TLS handshake with ${endpoint} failed: the server does not speak TLS there (${err.message})`, { cause: err });
    }
    if (code === 'ECONNRESET' || code === 'EPIPE') {
      // Ignite drops the connection mid-handshake when it requires a client certificate it cannot verify.
      return new TlsError(endpoint, 'closed-by-server',
        `TLS handshake with ${endpoint} closed by the server (client certificate missing or not trusted by it?)`, { cause: err });
    }
    return new TlsError(endpoint, 'handshake', `TLS handshake with ${endpoint} failed: ${err.message}`, { cause: err });
  }
  return new ConnectionClosedError(endpoint, `connection to ${endpoint} failed: ${err.message}`, { cause: err });
}

function exchangeHandshake(
  socket: net.Socket,
  endpoint: string,
  v: ProtocolVersion,
  options: ConnectionOptions,
  deadline: number,
  connectTimeoutMs: number,
): Promise<{ reply: HandshakeReply; framer: MessageFramer }> {
  return new Promise((resolve, reject) => {
    const framer = new MessageFramer(1 << 20); // a handshake reply is tiny; a huge length means a foreign protocol
    let lastError: Error | undefined;
    const done = (): void => {
      clearTimeout(timer);
      socket.removeListener('data', onData);
      socket.removeListener('close', onClose);
      socket.removeListener('error', onError);
    };
    const hint = options.tls ? '' : ' (does the server require TLS?)';
    const timer = setTimeout(() => {
      done();
      reject(new TimeoutError(endpoint, `handshake with ${endpoint} got no answer within ${connectTimeoutMs} ms${hint}`, connectTimeoutMs));
    }, Math.max(0, deadline - Date.now()));
    const onData = (chunk: Buffer): void => {
      let messages: Buffer[];
      try {
        messages = framer.push(chunk);
      } catch (err) {
        done();
        reject(new ConnectionClosedError(endpoint, `handshake with ${endpoint}: not an Ignite thin-client reply${hint}`, { cause: err }));
        return;
      }
      if (messages.length === 0) return;
      done();
      try {
        resolve({ reply: decodeHandshakeReply(messages[0]!, v), framer });
      } catch (err) {
        reject(new ConnectionClosedError(endpoint, `handshake with ${endpoint}: malformed reply: ${(err as Error).message}`, { cause: err }));
      }
    };
    const onError = (err: Error): void => {
      lastError = err;
    };
    const onClose = (): void => {
      done();
      reject(new ConnectionClosedError(endpoint,
        `connection to ${endpoint} closed during the handshake${lastError ? `: ${lastError.message}` : ''}${hint}`,
        { cause: lastError }));
    };
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('close', onClose);
    socket.write(encodeHandshake(v, options.credentials));
  });
}
