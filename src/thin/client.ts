// The thin client: a small pool of connections to one or more endpoints, a typed async call per operation,
// binary type metadata shared by all connections, and one retry on another connection for idempotent calls.
import { BinaryTypeCache } from './binary-type-cache.js';
import { type ConnectionOptions, type Endpoint, type RequestOptions, ThinConnection, type TlsOptions } from './connection.js';
import { ConnectionClosedError, ThinConnectionError } from './errors.js';
import type { ByteReader } from './protocol/byte-reader.js';
import { decodeGetBinaryType, encodeGetBinaryType } from './protocol/binary-type.js';
import { encodeCacheGet } from './protocol/cache-get.js';
import { decodeCacheGetSize, encodeCacheGetSize, PeekMode } from './protocol/cache-get-size.js';
import { type CacheConfiguration, decodeCacheGetConfiguration, encodeCacheGetConfiguration } from './protocol/cache-configuration.js';
import { decodeCacheGetNames, encodeCacheGetNames } from './protocol/cache-names.js';
import { type CachePartitions, decodeCachePartitions, encodeCachePartitions } from './protocol/cache-partitions.js';
import type { Credentials } from './protocol/handshake.js';
import { cacheId } from './protocol/java-hash.js';
import { OpCode } from './protocol/op-codes.js';
import { valueEnd } from './protocol/binary-decoder.js';
import { TypeCode } from './protocol/type-codes.js';
import { hasPartitionAwareness, type ProtocolVersion } from './protocol/version.js';

export interface ThinClientOptions {
  /** Tried in order when a connection is opened. */
  readonly endpoints: readonly Endpoint[];
  readonly tls?: TlsOptions;
  readonly credentials?: Credentials;
  /** Connections kept open at most (scans of several partitions run on different ones). */
  readonly poolSize?: number;
  readonly connectTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  readonly versions?: readonly ProtocolVersion[];
}

export const DEFAULT_POOL_SIZE = 4;

export class ThinClient {
  readonly binaryTypes: BinaryTypeCache;
  private readonly options: ThinClientOptions;
  private readonly poolSize: number;
  private readonly connections: ThinConnection[] = [];
  private opening: Promise<ThinConnection> | undefined;
  private closed = false;
  private nextEndpoint = 0;

  private constructor(options: ThinClientOptions, first: ThinConnection) {
    this.options = options;
    this.poolSize = Math.max(1, options.poolSize ?? DEFAULT_POOL_SIZE);
    this.binaryTypes = new BinaryTypeCache((typeId) =>
      this.call(OpCode.GET_BINARY_TYPE, (id) => encodeGetBinaryType(id, typeId), decodeGetBinaryType),
    );
    this.adopt(first);
  }

  /** Opens the first connection, so bad endpoints, TLS or credentials fail here with one clear error. */
  static async connect(options: ThinClientOptions): Promise<ThinClient> {
    if (options.endpoints.length === 0) throw new RangeError('no thin-client endpoint given');
    const first = await openAny(options, 0);
    return new ThinClient(options, first.connection);
  }

  /** Protocol version of the first live connection. */
  get version(): ProtocolVersion | undefined {
    return this.connections[0]?.version;
  }

  /** The least busy connection, opening another while the pool is not full and all are busy. */
  async acquire(): Promise<ThinConnection> {
    if (this.closed) throw new ConnectionClosedError('-', 'thin client is closed');
    const live = this.connections.filter((c) => !c.closed);
    const idle = live.find((c) => c.pendingCount === 0);
    if (idle) return idle;
    if (live.length < this.poolSize) {
      try {
        return await this.open();
      } catch (err) {
        if (live.length === 0) throw err;
      }
    }
    return live.reduce((a, b) => (b.pendingCount < a.pendingCount ? b : a));
  }

  /** A connection of its own for a long-lived resource (a scan cursor), up to the pool size. */
  async acquireForCursor(busy: ReadonlySet<ThinConnection>): Promise<ThinConnection> {
    const live = this.connections.filter((c) => !c.closed);
    const free = live.find((c) => !busy.has(c));
    if (free) return free;
    if (live.length < this.poolSize) return this.open();
    return this.acquire();
  }

  /** One request on a pooled connection; idempotent calls are retried once when the connection drops. */
  async call<T>(
    opCode: number,
    encode: (requestId: bigint) => Buffer,
    decode: (body: ByteReader) => T,
    options?: RequestOptions & { idempotent?: boolean },
  ): Promise<T> {
    const conn = await this.acquire();
    try {
      return await conn.request(opCode, encode, decode, options);
    } catch (err) {
      if (err instanceof ConnectionClosedError && (options?.idempotent ?? true) && !this.closed) {
        const again = await this.acquire();
        return again.request(opCode, encode, decode, options);
      }
      throw err;
    }
  }

  cacheNames(): Promise<string[]> {
    return this.call(OpCode.CACHE_GET_NAMES, encodeCacheGetNames, decodeCacheGetNames);
  }

  cacheConfiguration(name: string): Promise<CacheConfiguration> {
    return this.call(OpCode.CACHE_GET_CONFIGURATION, (id) => encodeCacheGetConfiguration(id, cacheId(name)),
      decodeCacheGetConfiguration);
  }

  /** Partition map (protocol 1.4.0+); undefined on older servers. */
  async cachePartitions(names: readonly string[]): Promise<CachePartitions | undefined> {
    const conn = await this.acquire();
    if (!hasPartitionAwareness(conn.version)) return undefined;
    return conn.request(OpCode.CACHE_PARTITIONS, (id) => encodeCachePartitions(id, names.map(cacheId)),
      decodeCachePartitions);
  }

  /** Entries of the whole cache for the peek modes (the protocol has no per-partition size). */
  cacheSize(name: string, peekModes: readonly number[] = [PeekMode.ALL]): Promise<bigint> {
    return this.call(OpCode.CACHE_GET_SIZE, (id) => encodeCacheGetSize(id, cacheId(name), peekModes), decodeCacheGetSize);
  }

  /** The value bytes (type code first) stored under an encoded key, or null when there is none. */
  cacheGet(name: string, keyBytes: Uint8Array): Promise<Buffer | null> {
    return this.call(OpCode.CACHE_GET, (id) => encodeCacheGet(id, cacheId(name), keyBytes), (body) => {
      if (body.buf[body.pos] === TypeCode.NULL) return null;
      const end = valueEnd(body.buf, body.pos, body.end);
      return body.buf.subarray(body.pos, end);
    });
  }

  close(): void {
    this.closed = true;
    for (const c of this.connections.splice(0)) c.close();
  }

  private adopt(conn: ThinConnection): void {
    this.connections.push(conn);
    conn.onClose(() => {
      const i = this.connections.indexOf(conn);
      if (i >= 0) this.connections.splice(i, 1);
    });
  }

  private open(): Promise<ThinConnection> {
    // One connection is opened at a time: a burst of scans must not open a connection each.
    if (!this.opening) {
      this.opening = openAny(this.options, this.nextEndpoint)
        .then(({ connection, index }) => {
          this.nextEndpoint = (index + 1) % this.options.endpoints.length;
          if (this.closed) {
            connection.close();
            throw new ConnectionClosedError(connection.endpoint, 'thin client is closed');
          }
          this.adopt(connection);
          return connection;
        })
        .finally(() => {
          this.opening = undefined;
        });
    }
    return this.opening;
  }
}

async function openAny(options: ThinClientOptions, start: number): Promise<{ connection: ThinConnection; index: number }> {
  let firstError: unknown;
  const n = options.endpoints.length;
  for (let k = 0; k < n; k++) {
    const index = (start + k) % n;
    const connectionOptions: ConnectionOptions = {
      endpoint: options.endpoints[index]!,
      tls: options.tls,
      credentials: options.credentials,
      connectTimeoutMs: options.connectTimeoutMs,
      requestTimeoutMs: options.requestTimeoutMs,
      versions: options.versions,
    };
    try {
      return { connection: await ThinConnection.connect(connectionOptions), index };
    } catch (err) {
      // Credentials and TLS set-up errors are the same on every endpoint: report them, do not hide them.
      if (!(err instanceof ThinConnectionError) || err.name === 'AuthenticationError' || err.name === 'TlsError') throw err;
      firstError ??= err;
    }
  }
  throw firstError;
}
