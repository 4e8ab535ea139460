// One TCP connection to an IGFS endpoint = one server session (its stream ids are valid only here).
//
// - HANDSHAKE goes first with reqId 0 (otherwise the server closes the socket without a word); ids then count up.
// - Replies are matched by reqId, in any order (the server runs most commands on a thread pool).
// - WRITE_BLOCK goes out with reqId -1 and gets no reply; a failed one comes back as an unsolicited notice
//   (resType 9 + streamId) that is kept for that stream and raised at its next write or close.
// - Every request has a deadline (TimeoutError); the socket dropping, or a reply that does not parse, rejects every
//   pending request with ConnectionClosedError (cause: the socket error or the ProtocolError). Nothing hangs.

import * as net from 'node:net';
import { ConnectError, ConnectionClosedError, ProtocolError, ServerError, TimeoutError } from './errors.js';
import { WRITE_BLOCK_REQ_ID } from './protocol/command.js';
import { encodeHandshake } from './protocol/requests/handshake.js';
import { encodeWriteBlockHeader } from './protocol/requests/write-block.js';
import { ResponseFramer } from './protocol/response-framer.js';
import { ResType, type HandshakeInfo, type IgfsResponse, type ResponseBody } from './protocol/response-types.js';

export interface Endpoint {
  host: string;
  port: number;
}

export interface ConnectionOptions {
  /** Checked by the server at HANDSHAKE; null accepts whatever IGFS answers. */
  igfsName: string | null;
  connectTimeoutMs: number;
  /** Deadline of every request, the handshake included. */
  requestTimeoutMs: number;
}

interface Pending {
  /** READ_BLOCK: bytes asked for (the most a reply may carry); 0 for every other request. */
  maxPayloadBytes: number;
  resolve: (body: ResponseBody) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
  what: string;
}

/** How many ids of timed-out requests to remember, so their late replies are dropped instead of being fatal. */
const MAX_ABANDONED_IDS = 4096;

export function parseEndpoint(spec: string): Endpoint {
  const m = /^\[?([^\]]*?)\]?:(\d+)$/.exec(spec.trim());
  if (m === null || m[1] === '') throw new TypeError(`endpoint must be host:port, got ${JSON.stringify(spec)}`);
  const port = Number(m[2]);
  if (port < 1 || port > 65535) throw new TypeError(`endpoint port out of range: ${JSON.stringify(spec)}`);
  return { host: m[1], port };
}

export function formatEndpoint(e: Endpoint): string {
  return e.host.includes(':') ? `[${e.host}]:${e.port}` : `${e.host}:${e.port}`;
}

export class IgfsConnection {
  readonly endpoint: string;
  private readonly socket: net.Socket;
  private readonly framer = new ResponseFramer((reqId) => this.payloadLimit(reqId));
  private readonly pending = new Map<number, Pending>();
  /** Timed-out request ids (with their payload limit) whose late replies are dropped. */
  private readonly abandoned = new Map<number, number>();
  private readonly requestTimeoutMs: number;
  private nextReqId = 0;
  private closeError: ConnectionClosedError | null = null;
  private socketError: Error | null = null;
  private drainWaiters: { resolve: () => void; reject: (err: Error) => void }[] = [];
  /** Output streams opened on this connection, with the write error reported for each (if any). */
  private readonly outputStreams = new Map<number, ServerError | null>();
  private readonly closeListeners: ((err: ConnectionClosedError) => void)[] = [];
  private handshakeInfo: HandshakeInfo | null = null;
  private highestRepliedId = -1;
  private outOfOrder = 0;

  private constructor(socket: net.Socket, endpoint: string, requestTimeoutMs: number) {
    this.socket = socket;
    this.endpoint = endpoint;
    this.requestTimeoutMs = requestTimeoutMs;
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => {
      this.socketError = err;
    });
    socket.on('close', () => {
      const truncated = this.framer.midFrame
        ? new ProtocolError(`connection to ${endpoint} ended inside a reply (truncated frame)`, { cause: this.socketError ?? undefined })
        : null;
      this.fail(truncated ?? this.socketError ?? new Error('closed by peer'));
    });
    socket.on('drain', () => this.settleDrain(null));
  }

  /** Opens a TCP connection and performs the handshake. TCP failures -> ConnectError; handshake failures as is. */
  static async connect(endpoint: Endpoint, options: ConnectionOptions): Promise<IgfsConnection> {
    const name = formatEndpoint(endpoint);
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect({ host: endpoint.host, port: endpoint.port });
      const timer = setTimeout(() => {
        s.destroy();
        reject(new ConnectError(`connect to ${name} timed out after ${options.connectTimeoutMs} ms`, [name]));
      }, options.connectTimeoutMs);
      s.once('connect', () => {
        clearTimeout(timer);
        s.removeAllListeners('error');
        resolve(s);
      });
      s.once('error', (err) => {
        clearTimeout(timer);
        s.destroy();
        reject(new ConnectError(`cannot connect to ${name}: ${err.message}`, [name], { cause: err }));
      });
    });
    // Requests are small and latency-bound; Nagle would hold a READ_BLOCK request back behind the previous one.
    socket.setNoDelay(true);
    const conn = new IgfsConnection(socket, name, options.requestTimeoutMs);
    try {
      await conn.handshake(options.igfsName);
    } catch (err) {
      conn.close();
      throw err;
    }
    return conn;
  }

  /** Replies that arrived after the reply to a later request (the server runs most commands on a pool). */
  get outOfOrderReplies(): number {
    return this.outOfOrder;
  }

  get closed(): boolean {
    return this.closeError !== null;
  }

  /** What the server answered to this connection's first handshake. */
  get info(): HandshakeInfo {
    if (this.handshakeInfo === null) throw new Error('connection has not completed its handshake');
    return this.handshakeInfo;
  }

  /** Sends HANDSHAKE (the first one on the connection gets reqId 0, as the server demands). */
  async handshake(igfsName: string | null): Promise<HandshakeInfo> {
    const body = await this.request((reqId) => encodeHandshake(reqId, { igfsName, logDirectory: null }), 'HANDSHAKE');
    if (body.type !== 'handshake' || body.value === null) {
      throw new ProtocolError(`expected a handshake reply from ${this.endpoint}, got ${describe(body)}`);
    }
    this.handshakeInfo ??= body.value;
    return body.value;
  }

  onClose(listener: (err: ConnectionClosedError) => void): void {
    if (this.closeError) listener(this.closeError);
    else this.closeListeners.push(listener);
  }

  /**
   * Sends one request and resolves with its reply body. An error reply rejects with ServerError (its message
   * prefixed by `what`); non-error bodies are returned as they are, the caller checks their type.
   */
  request(
    encode: (reqId: number) => Buffer,
    what: string,
    timeoutMs: number = this.requestTimeoutMs,
    maxPayloadBytes = 0,
  ): Promise<ResponseBody> {
    if (this.closeError) {
      return Promise.reject(new ConnectionClosedError(this.closeError.message, { cause: this.closeError.cause, requestSent: false }));
    }
    const reqId = this.nextReqId++;
    // Encoding validates (paths, lengths) and may throw: do it before registering anything.
    const frame = encode(reqId);
    return new Promise<ResponseBody>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(reqId);
        this.abandon(reqId, maxPayloadBytes);
        reject(new TimeoutError(`${what}: no reply from ${this.endpoint} within ${timeoutMs} ms`, timeoutMs));
      }, timeoutMs);
      this.pending.set(reqId, { maxPayloadBytes, resolve, reject, timer, what });
      this.socket.write(frame);
    });
  }

  /** Streams one WRITE_BLOCK (reqId -1, no reply). Resolves when the socket can take more (backpressure). */
  async writeBlock(streamId: number, data: Uint8Array): Promise<void> {
    if (this.closeError) throw new ConnectionClosedError(this.closeError.message, { cause: this.closeError.cause, requestSent: false });
    const reported = this.outputStreams.get(streamId);
    if (reported) throw reported;
    if (reported === undefined) {
      // A WRITE_BLOCK to an id the server does not know desynchronizes the connection (§10.3): never send one.
      throw new ProtocolError(`stream ${streamId} is not an open output stream of ${this.endpoint}`);
    }
    if (data.length === 0) return;
    this.socket.cork();
    this.socket.write(encodeWriteBlockHeader(streamId, data.length));
    const ok = this.socket.write(data);
    this.socket.uncork();
    if (!ok) await this.waitDrain();
  }

  registerOutputStream(streamId: number): void {
    this.outputStreams.set(streamId, null);
  }

  /** Forgets the stream and returns the write error the server reported for it, if any. */
  unregisterOutputStream(streamId: number): ServerError | null {
    const err = this.outputStreams.get(streamId) ?? null;
    this.outputStreams.delete(streamId);
    return err;
  }

  /** The write error reported for the stream so far (without forgetting it). */
  writeError(streamId: number): ServerError | null {
    return this.outputStreams.get(streamId) ?? null;
  }

  /** Closes the socket; pending requests fail with ConnectionClosedError. The server then commits open writes. */
  close(): void {
    this.fail(new Error('closed by client'));
  }

  /** Waits for 'drain', within the request deadline: a peer that stops reading must not hang a writer forever. */
  private waitDrain(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.closeError) {
        reject(this.closeError);
        return;
      }
      const waiter = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (err: Error) => {
          clearTimeout(timer);
          reject(err);
        },
      };
      const timer = setTimeout(() => {
        this.drainWaiters = this.drainWaiters.filter((w) => w !== waiter);
        reject(new TimeoutError(`WRITE_BLOCK: ${this.endpoint} took no data for ${this.requestTimeoutMs} ms`, this.requestTimeoutMs));
      }, this.requestTimeoutMs);
      this.drainWaiters.push(waiter);
    });
  }

  private settleDrain(err: Error | null): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) {
      if (err) w.reject(err);
      else w.resolve();
    }
  }

  private abandon(reqId: number, maxPayloadBytes: number): void {
    this.abandoned.set(reqId, maxPayloadBytes);
    if (this.abandoned.size > MAX_ABANDONED_IDS) {
      const oldest = this.abandoned.keys().next().value as number;
      this.abandoned.delete(oldest);
    }
  }

  private payloadLimit(reqId: number): number | null {
    const limit = this.pending.get(reqId)?.maxPayloadBytes ?? this.abandoned.get(reqId);
    return limit === undefined || limit === 0 ? null : limit;
  }

  private onData(chunk: Buffer): void {
    try {
      this.framer.push(chunk, (r) => this.dispatch(r));
    } catch (err) {
      this.fail(err instanceof Error ? err : new ProtocolError(String(err)));
    }
  }

  private dispatch(r: IgfsResponse): void {
    const body = r.body;
    if (body.type === 'error' && (body.resType === ResType.ERR_STREAM_ID || r.reqId === WRITE_BLOCK_REQ_ID)) {
      this.onWriteError(r.reqId, body);
      return;
    }
    const p = this.pending.get(r.reqId);
    if (p === undefined) {
      if (this.abandoned.delete(r.reqId)) return; // the late reply of a request that already timed out
      throw new ProtocolError(`reply for unknown request id ${r.reqId} from ${this.endpoint}`);
    }
    this.pending.delete(r.reqId);
    clearTimeout(p.timer);
    if (r.reqId < this.highestRepliedId) this.outOfOrder++;
    else this.highestRepliedId = r.reqId;
    if (body.type === 'error') p.reject(new ServerError(body.code, body.message, { context: p.what }));
    else p.resolve(body);
  }

  private onWriteError(reqId: number, body: Extract<ResponseBody, { type: 'error' }>): void {
    const err = new ServerError(body.code, body.message, {
      context: 'WRITE_BLOCK',
      streamId: body.streamId ?? undefined,
    });
    if (body.resType !== ResType.ERR_STREAM_ID) {
      // resType -1 for a WRITE_BLOCK: the server failed before consuming the payload (unknown stream) and is now
      // reading our data as request headers. The connection cannot be trusted any more.
      throw new ProtocolError(`WRITE_BLOCK rejected before its payload was read (request ${reqId}): ${err.message}`, { cause: err });
    }
    if (body.streamId !== null) {
      // A notice for a stream already closed on our side has nobody left to tell (its CLOSE reply came first).
      if (this.outputStreams.get(body.streamId) === null) this.outputStreams.set(body.streamId, err);
      return;
    }
    // A message-less notice names no stream: every writer on this connection must hear of it.
    for (const [id, existing] of this.outputStreams) if (existing === null) this.outputStreams.set(id, err);
  }

  private fail(reason: Error): void {
    if (this.closeError) return;
    const closed = new ConnectionClosedError(`connection to ${this.endpoint} closed: ${reason.message}`, { cause: reason });
    this.closeError = closed;
    this.socket.destroy();
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) {
      clearTimeout(p.timer);
      p.reject(new ConnectionClosedError(`${p.what}: ${closed.message}`, { cause: reason }));
    }
    this.settleDrain(closed);
    for (const l of this.closeListeners.splice(0)) l(closed);
  }
}

export function describe(body: ResponseBody): string {
  return body.type === 'error' ? `error (code ${body.code}): ${body.message}` : `a "${body.type}" reply`;
}
