// IgfsClient: the typed async API over the IGFS IPC protocol, with a small pool of connections.
//
// - Endpoints ("host:port") are tried in order whenever a connection is (re)established.
// - Pool slots are used round-robin; a slot whose connection dropped (node restarted) reconnects on its next use.
// - Each stream is tied to the connection that opened it (stream ids are per connection).
// - Retries: only idempotent commands (STATUS, EXISTS, INFO, PATH_SUMMARY, LIST_*, AFFINITY, MODE_RESOLVER,
//   OPEN_READ, HANDSHAKE) are re-sent on a fresh connection after the connection dropped under them. Any request that
//   never reached the socket is retried too. READ_BLOCK is never retried (its stream died with the connection).

import { ConnectError, ConnectionClosedError, ProtocolError, ServerError, TimeoutError } from './errors.js';
import { IgfsConnection, describe, formatEndpoint, parseEndpoint, type Endpoint } from './connection.js';
import { IgfsReader, type SequentialReadOptions } from './igfs-reader.js';
import { DEFAULT_WRITE_BLOCK_BYTES, IgfsWriter } from './igfs-writer.js';
import type { StringMap } from './protocol/frame-writer.js';
import { encodeAffinity } from './protocol/requests/affinity.js';
import { encodeDelete } from './protocol/requests/delete.js';
import { encodeExists } from './protocol/requests/exists.js';
import { encodeInfo } from './protocol/requests/info.js';
import { encodeListFiles } from './protocol/requests/list-files.js';
import { encodeListPaths } from './protocol/requests/list-paths.js';
import { encodeMakeDirectories } from './protocol/requests/make-directories.js';
import { encodeModeResolver } from './protocol/requests/mode-resolver.js';
import { encodeOpenAppend } from './protocol/requests/open-append.js';
import { encodeOpenCreate } from './protocol/requests/open-create.js';
import { encodeOpenRead } from './protocol/requests/open-read.js';
import { encodePathSummary } from './protocol/requests/path-summary.js';
import { encodeRename } from './protocol/requests/rename.js';
import { encodeSetTimes } from './protocol/requests/set-times.js';
import { encodeStatus } from './protocol/requests/status.js';
import { encodeUpdate } from './protocol/requests/update.js';
import type {
  BlockLocation, HandshakeInfo, IgfsFileInfo, IgfsStatus, ModeResolverInfo, PathSummary, ResponseBody,
} from './protocol/response-types.js';

export type { BlockLocation, HandshakeInfo, IgfsFileInfo, IgfsStatus, ModeResolverInfo, PathSummary, StringMap };
export { IgfsReader, IgfsWriter };

export const DEFAULT_IGFS_ENDPOINT = '127.0.0.1:10500';

export interface IgfsClientOptions {
  /** "host:port" endpoints tried in order at connect time (default 127.0.0.1:10500). */
  endpoints?: string | readonly string[];
  /** IGFS name the server must have; null/undefined accepts any. */
  igfsName?: string | null;
  /** Sent as PathCtrl userName (only used toward a secondary FS). */
  userName?: string | null;
  /** Connections kept open (default 2). */
  poolSize?: number;
  connectTimeoutMs?: number;
  /** Deadline of each request (default 30 s). */
  requestTimeoutMs?: number;
  /** Extra attempts for idempotent commands after the connection dropped (default 1). */
  retries?: number;
  /** Bytes per WRITE_BLOCK (default 1 MiB). */
  writeBlockBytes?: number;
}

export const DEFAULT_POOL_SIZE = 2;
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export interface OpenCreateOptions {
  /** Replace an existing file (truncate to zero). Default false: an existing file is error 3. */
  overwrite?: boolean;
  /** Ask the server to keep the file's blocks on the node serving this endpoint. */
  colocate?: boolean;
  props?: StringMap | null;
  /** Ignored by the server in PRIMARY mode. */
  replication?: number;
  /** Ignored by the server in PRIMARY mode. */
  blockSize?: number;
}

export interface OpenAppendOptions {
  /** Create the file when missing (default false: missing is error 2). */
  create?: boolean;
  props?: StringMap | null;
}

interface Slot {
  conn: IgfsConnection | null;
  connecting: Promise<IgfsConnection> | null;
}

export class IgfsClient {
  private readonly endpoints: Endpoint[];
  private readonly igfsName: string | null;
  private readonly userName: string | null;
  private readonly connectTimeoutMs: number;
  private readonly requestTimeoutMs: number;
  private readonly retries: number;
  private readonly writeBlockBytes: number;
  private readonly slots: Slot[];
  private nextSlot = 0;
  private closed = false;

  constructor(options: IgfsClientOptions = {}) {
    const specs = options.endpoints ?? DEFAULT_IGFS_ENDPOINT;
    this.endpoints = (typeof specs === 'string' ? [specs] : [...specs]).map(parseEndpoint);
    if (this.endpoints.length === 0) throw new TypeError('IgfsClient needs at least one endpoint');
    this.igfsName = options.igfsName ?? null;
    this.userName = options.userName ?? null;
    this.connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.retries = options.retries ?? 1;
    this.writeBlockBytes = options.writeBlockBytes ?? DEFAULT_WRITE_BLOCK_BYTES;
    const poolSize = Math.max(1, options.poolSize ?? DEFAULT_POOL_SIZE);
    this.slots = Array.from({ length: poolSize }, () => ({ conn: null, connecting: null }));
  }

  /** Opens one connection now (useful to fail fast on a wrong endpoint or IGFS name). Returns its handshake. */
  async connect(): Promise<HandshakeInfo> {
    return (await this.connection()).info;
  }

  /** Sends a fresh HANDSHAKE on a pooled connection (repeated handshakes are legal). */
  handshake(): Promise<HandshakeInfo> {
    return this.call(true, 'HANDSHAKE', (conn) => conn.handshake(this.igfsName));
  }

  async status(): Promise<IgfsStatus> {
    const v = await this.simple(true, 'STATUS', (reqId) => encodeStatus(reqId), 'status');
    if (v === null) throw new ProtocolError('STATUS: reply carried no value');
    return v;
  }

  exists(path: string): Promise<boolean> {
    return this.simple(true, `EXISTS ${path}`, (reqId) => encodeExists(reqId, this.pathReq(path)), 'boolean');
  }

  /** The file or directory at `path`, or null when nothing is there. */
  info(path: string): Promise<IgfsFileInfo | null> {
    return this.simple(true, `INFO ${path}`, (reqId) => encodeInfo(reqId, this.pathReq(path)), 'file');
  }

  async summary(path: string): Promise<PathSummary> {
    const v = await this.simple(true, `PATH_SUMMARY ${path}`, (reqId) => encodePathSummary(reqId, this.pathReq(path)), 'path-summary');
    if (v === null) throw new ProtocolError(`PATH_SUMMARY ${path}: reply carried no value`);
    return v;
  }

  /** Merges `props` into the entry's properties (a null value removes the key). Null when the path is missing. */
  update(path: string, props: StringMap): Promise<IgfsFileInfo | null> {
    return this.simple(false, `UPDATE ${path}`, (reqId) => encodeUpdate(reqId, { path, props, userName: this.userName }), 'file');
  }

  /** IGFS rename: onto an existing directory it moves *into* it; onto an existing file it fails (already-exists). */
  async rename(path: string, destPath: string): Promise<void> {
    await this.simple(false, `RENAME ${path} -> ${destPath}`, (reqId) => encodeRename(reqId, { path, destPath, userName: this.userName }), 'boolean');
  }

  /** True when something was deleted; false when the path was missing (or is the root). */
  delete(path: string, options: { recursive?: boolean } = {}): Promise<boolean> {
    return this.simple(false, `DELETE ${path}`, (reqId) => encodeDelete(reqId, { path, recursive: options.recursive ?? false, userName: this.userName }), 'boolean');
  }

  /** mkdir -p; succeeds when the directory already exists. */
  async mkdirs(path: string, props: StringMap | null = null): Promise<void> {
    await this.simple(false, `MAKE_DIRECTORIES ${path}`, (reqId) => encodeMakeDirectories(reqId, { path, props, userName: this.userName }), 'boolean');
  }

  /** Child paths, unordered. A file lists as empty. */
  async listPaths(path: string): Promise<string[]> {
    const v = await this.simple(true, `LIST_PATHS ${path}`, (reqId) => encodeListPaths(reqId, this.pathReq(path)), 'paths');
    return (v ?? []).filter((p): p is string => p !== null);
  }

  /** Child entries, unordered. A file lists as itself. */
  async listFiles(path: string): Promise<IgfsFileInfo[]> {
    return (await this.simple(true, `LIST_FILES ${path}`, (reqId) => encodeListFiles(reqId, this.pathReq(path)), 'files')) ?? [];
  }

  async affinity(path: string, start: number, length: number): Promise<BlockLocation[]> {
    const v = await this.simple(true, `AFFINITY ${path}`, (reqId) => encodeAffinity(reqId, { path, start, length, userName: this.userName }), 'block-locations');
    return v ?? [];
  }

  /** Times in ms since the epoch; -1 (or omitted) leaves that time unchanged. */
  async setTimes(path: string, times: { accessTimeMs?: number; modificationTimeMs?: number }): Promise<void> {
    await this.simple(false, `SET_TIMES ${path}`, (reqId) => encodeSetTimes(reqId, {
      path,
      accessTimeMs: times.accessTimeMs ?? -1,
      modificationTimeMs: times.modificationTimeMs ?? -1,
      userName: this.userName,
    }), 'boolean');
  }

  async modeResolver(): Promise<ModeResolverInfo> {
    const v = await this.simple(true, 'MODE_RESOLVER', (reqId) => encodeModeResolver(reqId), 'mode-resolver');
    if (v === null) throw new ProtocolError('MODE_RESOLVER: reply carried no value');
    return v;
  }

  async openRead(path: string, options: { seqReadsBeforePrefetch?: number } = {}): Promise<IgfsReader> {
    return this.call(true, `OPEN_READ ${path}`, async (conn) => {
      const body = await conn.request((reqId) => encodeOpenRead(reqId, { path, seqReadsBeforePrefetch: options.seqReadsBeforePrefetch, userName: this.userName }), `OPEN_READ ${path}`);
      const v = expect(body, 'stream-descriptor', `OPEN_READ ${path}`);
      if (v === null) throw new ProtocolError(`OPEN_READ ${path}: reply carried no stream`);
      return new IgfsReader(conn, path, v.streamId, v.length);
    });
  }

  openCreate(path: string, options: OpenCreateOptions = {}): Promise<IgfsWriter> {
    return this.openWriter(`OPEN_CREATE ${path}`, path, (reqId) => encodeOpenCreate(reqId, {
      path,
      overwrite: options.overwrite ?? false,
      colocate: options.colocate,
      props: options.props,
      replication: options.replication,
      blockSize: options.blockSize,
      userName: this.userName,
    }));
  }

  openAppend(path: string, options: OpenAppendOptions = {}): Promise<IgfsWriter> {
    return this.openWriter(`OPEN_APPEND ${path}`, path, (reqId) => encodeOpenAppend(reqId, {
      path,
      create: options.create ?? false,
      props: options.props,
      userName: this.userName,
    }));
  }

  /** Reads a whole file in order with several READ_BLOCKs in flight, yielding chunks (never the file in memory). */
  async *readChunks(path: string, options: SequentialReadOptions = {}): AsyncGenerator<Buffer, void, void> {
    const reader = await this.openRead(path);
    try {
      yield* reader.chunks(options);
    } finally {
      await reader.close().catch(() => undefined);
    }
  }

  /** A whole file as one Buffer (for small files; use readChunks for large ones). */
  async readFile(path: string, options: SequentialReadOptions = {}): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const chunk of this.readChunks(path, options)) parts.push(chunk);
    return parts.length === 1 ? parts[0] : Buffer.concat(parts);
  }

  /** Creates (or with overwrite, replaces) `path` from a buffer or a stream of chunks, with backpressure. */
  async writeFile(path: string, data: Uint8Array | AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options: OpenCreateOptions = {}): Promise<number> {
    const writer = await this.openCreate(path, options);
    try {
      if (data instanceof Uint8Array) await writer.write(data);
      else for await (const chunk of data) await writer.write(chunk);
    } catch (err) {
      await writer.close().catch(() => undefined);
      throw err;
    }
    await writer.close();
    return writer.bytesWritten;
  }

  /** Closes every connection. The server commits (closes) streams still open on them. */
  close(): void {
    this.closed = true;
    for (const slot of this.slots) {
      slot.conn?.close();
      slot.conn = null;
    }
  }

  private pathReq(path: string): { path: string; userName: string | null } {
    return { path, userName: this.userName };
  }

  private async openWriter(what: string, path: string, encode: (reqId: number) => Buffer): Promise<IgfsWriter> {
    return this.call(false, what, async (conn) => {
      const v = expect(await conn.request(encode, what), 'long', what);
      return new IgfsWriter(conn, path, v, this.writeBlockBytes);
    });
  }

  private simple<T extends ValueType>(
    idempotent: boolean,
    what: string,
    encode: (reqId: number) => Buffer,
    type: T,
  ): Promise<ValueOf<T>> {
    return this.call(idempotent, what, async (conn) => expect(await conn.request(encode, what), type, what));
  }

  /** Runs `op` on a pooled connection, retrying on a fresh one when allowed (see the header comment). */
  private async call<T>(idempotent: boolean, what: string, op: (conn: IgfsConnection) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const conn = await this.connection();
      try {
        return await op(conn);
      } catch (err) {
        const retriable = err instanceof ConnectionClosedError && (idempotent || !err.requestSent);
        if (!retriable || attempt >= this.retries) throw err;
      }
    }
  }

  private async connection(): Promise<IgfsConnection> {
    if (this.closed) throw new ConnectionClosedError('IgfsClient is closed', { requestSent: false });
    const slot = this.slots[this.nextSlot];
    this.nextSlot = (this.nextSlot + 1) % this.slots.length;
    if (slot.conn !== null && !slot.conn.closed) return slot.conn;
    slot.conn = null;
    slot.connecting ??= this.connectAny().then(
      (conn) => {
        slot.connecting = null;
        if (this.closed) conn.close();
        else slot.conn = conn;
        return conn;
      },
      (err: unknown) => {
        slot.connecting = null;
        throw err;
      },
    );
    return slot.connecting;
  }

  /**
   * Tries each endpoint in order. When none even accepted a TCP connection: ConnectError. When one accepted but
   * its handshake failed (wrong IGFS name -> ServerError, silent peer -> TimeoutError...), that error is thrown.
   */
  private async connectAny(): Promise<IgfsConnection> {
    const errors: unknown[] = [];
    let sessionError: unknown = null;
    for (const endpoint of this.endpoints) {
      try {
        return await IgfsConnection.connect(endpoint, {
          igfsName: this.igfsName,
          connectTimeoutMs: this.connectTimeoutMs,
          requestTimeoutMs: this.requestTimeoutMs,
        });
      } catch (err) {
        errors.push(err);
        if (!(err instanceof ConnectError)) sessionError ??= err;
        // A wrong IGFS name is a configuration error: other endpoints of the same cluster would say the same.
        if (err instanceof ServerError) throw err;
      }
    }
    if (sessionError !== null) throw sessionError;
    const names = this.endpoints.map(formatEndpoint);
    const detail = errors.map((e) => (e instanceof Error ? e.message : String(e))).join('; ');
    throw new ConnectError(`cannot connect to IGFS at ${names.join(', ')}: ${detail}`, names, {
      cause: errors.length === 1 ? errors[0] : new AggregateError(errors, detail),
    });
  }
}

type ValueBody = Exclude<ResponseBody, { type: 'error' }>;
type ValueType = ValueBody['type'];
type ValueOf<T extends ValueType> = Extract<ValueBody, { type: T }>['value'];

function expect<T extends ValueType>(body: ResponseBody, type: T, what: string): ValueOf<T> {
  if (body.type !== type) throw new ProtocolError(`${what}: expected a "${type}" reply, got ${describe(body)}`);
  return (body as Extract<ValueBody, { type: T }>).value as ValueOf<T>;
}

export { ConnectError, ConnectionClosedError, ProtocolError, ServerError, TimeoutError };
