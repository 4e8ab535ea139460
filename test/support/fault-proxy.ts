// A loopback TCP proxy that injects faults between a client under test and a real server.
//
// Every accepted connection gets its own socket to the target and two one-way pipes
// (client-to-server, server-to-client). The proxy always keeps reading both sockets and queues what it
// read, so that "received" byte counts keep moving while a direction is stalled; that lets a test wait
// for "the proxy has the request" and then check that nothing was forwarded, without ever waiting on a
// clock. Queues are bounded (QUEUE_HIGH_WATER_BYTES): beyond it the source socket is paused and TCP
// back-pressure takes over, so large transfers through a stalled proxy do not grow memory without bound.
//
// Faults (see `Fault`) are set for all future connections (`proxy.setFault`) or for one connection
// (`connection.setFault`), and can be switched at any time; switching to `pass` releases a stall or drip
// and flushes whatever was queued, in order.
//
// Observed with Node 20 clients: an RST that arrives together with data is reported by libuv as a clean EOF
// (POLLHUP after a partial read), so a `reset` or `truncate … close: 'reset'` right after a reply may look to
// a Node client like a FIN. Reset an idle connection when a test needs ECONNRESET for certain.
import net from 'node:net';
import { EventEmitter } from 'node:events';

export type PipeDirection = 'client-to-server' | 'server-to-client';
export type FaultDirection = PipeDirection | 'both';

export type Fault =
  /** Forward everything unchanged. */
  | { kind: 'pass' }
  /** Stop forwarding in a direction (default both) until the fault is switched; bytes keep being read and queued. */
  | { kind: 'stall'; direction?: FaultDirection }
  /** Close both sockets (FIN, no RST), dropping anything queued. On a fresh connection: close on accept. */
  | { kind: 'drop' }
  /** Destroy both sockets with a TCP RST. On a fresh connection: reset on accept. */
  | { kind: 'reset' }
  /**
   * Forward only the next `keepBytes` bytes in `direction` (default server-to-client), counted from the moment
   * the fault takes effect, then close both sides (`close: 'end'`, the default: FIN) or reset them (`'reset'`).
   */
  | { kind: 'truncate'; keepBytes: number; direction?: PipeDirection; close?: 'end' | 'reset' }
  /**
   * Alter the bytes at `offset` (counted from the first byte forwarded in `direction` after the fault takes
   * effect; default server-to-client): overwrite them with `replace`, or XOR `length` bytes (default 1) with
   * `xor` (default 0xff). Everything else passes unchanged.
   */
  | { kind: 'corrupt'; offset: number; xor?: number; length?: number; replace?: Uint8Array; direction?: PipeDirection }
  /** Forward at most `bytes` bytes every `intervalMs` in `direction` (default both). */
  | { kind: 'drip'; bytes: number; intervalMs: number; direction?: FaultDirection };

export interface ByteCounts {
  /** Read by the proxy from the client. */
  fromClient: number;
  /** Written by the proxy to the server. */
  toServer: number;
  /** Read by the proxy from the server. */
  fromServer: number;
  /** Written by the proxy to the client. */
  toClient: number;
}

export interface FaultProxyOptions {
  targetHost?: string;
  targetPort: number;
  /** The fault every new connection starts with (default pass). */
  fault?: Fault;
}

/** Above this many queued bytes in one direction the source socket is paused (TCP back-pressure). */
const QUEUE_HIGH_WATER_BYTES = 4 * 1024 * 1024;

function appliesTo(direction: FaultDirection | undefined, fallback: FaultDirection, pipe: PipeDirection): boolean {
  const d = direction ?? fallback;
  return d === 'both' || d === pipe;
}

function validateFault(fault: Fault): void {
  const nonNegativeInt = (n: number, what: string) => {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`fault ${fault.kind}: ${what} must be a non-negative integer, got ${n}`);
  };
  switch (fault.kind) {
    case 'truncate': nonNegativeInt(fault.keepBytes, 'keepBytes'); break;
    case 'corrupt':
      nonNegativeInt(fault.offset, 'offset');
      if (fault.length !== undefined) nonNegativeInt(fault.length, 'length');
      if (fault.xor !== undefined && (!Number.isInteger(fault.xor) || fault.xor < 0 || fault.xor > 0xff)) {
        throw new RangeError(`fault corrupt: xor must be a byte, got ${fault.xor}`);
      }
      break;
    case 'drip':
      if (!Number.isSafeInteger(fault.bytes) || fault.bytes < 1) throw new RangeError(`fault drip: bytes must be >= 1, got ${fault.bytes}`);
      nonNegativeInt(fault.intervalMs, 'intervalMs');
      break;
    default: break;
  }
}

/** The per-direction behaviour derived from the connection's fault. */
type PipeMode =
  | { kind: 'pass' }
  | { kind: 'stall' }
  | { kind: 'drip'; bytes: number; intervalMs: number }
  | { kind: 'truncate'; remaining: number; close: 'end' | 'reset' }
  | { kind: 'corrupt'; position: number; offset: number; patch: (byteIndex: number, byte: number) => number; end: number };

function modeFor(fault: Fault, pipe: PipeDirection): PipeMode {
  switch (fault.kind) {
    case 'stall':
      return appliesTo(fault.direction, 'both', pipe) ? { kind: 'stall' } : { kind: 'pass' };
    case 'drip':
      return appliesTo(fault.direction, 'both', pipe)
        ? { kind: 'drip', bytes: fault.bytes, intervalMs: fault.intervalMs } : { kind: 'pass' };
    case 'truncate':
      return appliesTo(fault.direction, 'server-to-client', pipe)
        ? { kind: 'truncate', remaining: fault.keepBytes, close: fault.close ?? 'end' } : { kind: 'pass' };
    case 'corrupt': {
      if (!appliesTo(fault.direction, 'server-to-client', pipe)) return { kind: 'pass' };
      const replace = fault.replace;
      if (replace !== undefined) {
        return { kind: 'corrupt', position: 0, offset: fault.offset, end: fault.offset + replace.length, patch: (i) => replace[i]! };
      }
      const mask = fault.xor ?? 0xff;
      return { kind: 'corrupt', position: 0, offset: fault.offset, end: fault.offset + (fault.length ?? 1), patch: (_i, b) => b ^ mask };
    }
    default:
      return { kind: 'pass' };
  }
}

/** One direction of one connection: reads `source`, queues, forwards to `sink` according to the mode. */
class Pipe {
  private readonly queue: Buffer[] = [];
  private queuedBytes = 0;
  private mode: PipeMode = { kind: 'pass' };
  private sourceEnded = false;
  private sinkEnded = false;
  private waitingForDrain = false;
  private dripTimer: NodeJS.Timeout | undefined;
  private pumping = false;
  private pumpAgain = false;

  constructor(
    readonly direction: PipeDirection,
    private readonly source: net.Socket,
    private readonly sink: net.Socket,
    private readonly owner: ProxiedConnection,
  ) {
    source.on('data', (chunk: Buffer) => {
      this.owner.count(direction, 'in', chunk.length);
      this.queue.push(chunk);
      this.queuedBytes += chunk.length;
      if (this.queuedBytes > QUEUE_HIGH_WATER_BYTES) source.pause();
      this.pump();
    });
    source.on('end', () => {
      this.sourceEnded = true;
      this.pump();
    });
  }

  setMode(mode: PipeMode): void {
    this.mode = mode;
    this.stopDrip();
    this.pump();
  }

  dispose(): void {
    this.stopDrip();
    this.queue.length = 0;
    this.queuedBytes = 0;
  }

  private stopDrip(): void {
    if (this.dripTimer !== undefined) clearTimeout(this.dripTimer);
    this.dripTimer = undefined;
  }

  /**
   * Forwards what the mode allows. Re-entrant calls (a 'forward' or 'progress' listener switching the fault)
   * only mark another round, so bytes never overtake each other.
   */
  pump(): void {
    if (this.pumping) { this.pumpAgain = true; return; }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        this.pumpOnce();
      } while (this.pumpAgain);
    } finally {
      this.pumping = false;
    }
  }

  private pumpOnce(): void {
    if (this.owner.isClosing() || this.sink.destroyed) return;
    const mode = this.mode;
    if (mode.kind === 'stall') return;
    if (mode.kind === 'drip') {
      if (this.dripTimer === undefined && !this.waitingForDrain) {
        if (this.queuedBytes > 0) {
          this.forward(this.take(mode.bytes));
          if (this.mode === mode) {
            this.dripTimer = setTimeout(() => { this.dripTimer = undefined; this.pump(); }, mode.intervalMs);
          }
        } else {
          this.maybeEnd();
        }
      }
      return;
    }
    while (this.queuedBytes > 0 && !this.waitingForDrain && !this.owner.isClosing() && this.mode === mode) {
      this.forward(this.take(Infinity));
    }
    if (this.mode === mode) this.maybeEnd();
  }

  private maybeEnd(): void {
    // A half-close travels only after everything queued before it.
    if (this.sourceEnded && this.queuedBytes === 0 && !this.sinkEnded && !this.owner.isClosing()) {
      this.sinkEnded = true;
      this.sink.end();
    }
  }

  private take(maxBytes: number): Buffer {
    const first = this.queue[0]!;
    let chunk: Buffer;
    if (first.length <= maxBytes) {
      chunk = first;
      this.queue.shift();
    } else {
      chunk = first.subarray(0, maxBytes);
      this.queue[0] = first.subarray(maxBytes);
    }
    this.queuedBytes -= chunk.length;
    if (this.queuedBytes <= QUEUE_HIGH_WATER_BYTES && this.source.isPaused() && !this.source.destroyed) this.source.resume();
    return chunk;
  }

  private forward(input: Buffer): void {
    let chunk = input;
    const mode = this.mode;
    let closeAfter: 'end' | 'reset' | undefined;
    if (mode.kind === 'truncate') {
      if (chunk.length >= mode.remaining) {
        chunk = chunk.subarray(0, mode.remaining);
        closeAfter = mode.close;
      }
      mode.remaining -= chunk.length;
    } else if (mode.kind === 'corrupt') {
      const start = mode.position;
      const stop = start + chunk.length;
      if (stop > mode.offset && start < mode.end) {
        chunk = Buffer.from(chunk); // never alter a buffer the source may still own
        for (let abs = Math.max(start, mode.offset); abs < Math.min(stop, mode.end); abs++) {
          chunk[abs - start] = mode.patch(abs - mode.offset, chunk[abs - start]!);
        }
      }
      mode.position = stop;
    }
    if (chunk.length > 0) {
      if (!this.sink.write(chunk)) {
        this.waitingForDrain = true;
        this.sink.once('drain', () => { this.waitingForDrain = false; this.pump(); });
      }
      // Listeners run after the write, so a fault they set applies from the next byte on.
      this.owner.count(this.direction, 'out', chunk.length);
      this.owner.emit('forward', this.direction, chunk.length);
    }
    if (closeAfter !== undefined) this.owner.closeAfterTruncate(closeAfter);
  }
}

/** One client connection through the proxy. Emits 'forward' (direction, bytes) per write and 'progress'. */
export class ProxiedConnection extends EventEmitter {
  readonly id: number;
  readonly bytes: ByteCounts = { fromClient: 0, toServer: 0, fromServer: 0, toClient: 0 };
  /** Resolves once both sockets are closed. */
  readonly closed: Promise<void>;
  private fault: Fault = { kind: 'pass' };
  private closing = false;
  private readonly clientToServer: Pipe;
  private readonly serverToClient: Pipe;

  constructor(id: number, readonly client: net.Socket, readonly server: net.Socket) {
    super();
    this.id = id;
    this.clientToServer = new Pipe('client-to-server', client, server, this);
    this.serverToClient = new Pipe('server-to-client', server, client, this);
    const closedOne = (socket: net.Socket) => new Promise<void>((resolve) => {
      if (socket.closed) resolve(); else socket.once('close', () => resolve());
    });
    this.closed = Promise.all([closedOne(client), closedOne(server)]).then(() => {
      this.clientToServer.dispose();
      this.serverToClient.dispose();
      this.emit('progress');
    });
    // An RST from one side is passed on as an RST to the other; any other error just closes both.
    const onError = (other: net.Socket) => (err: NodeJS.ErrnoException) => {
      if (this.closing) return;
      this.closing = true;
      if (err.code === 'ECONNRESET') resetSocket(other); else other.destroy();
    };
    client.on('error', onError(server));
    server.on('error', onError(client));
    // Once both directions finished (or one side vanished) make sure neither socket lingers.
    client.on('close', () => { if (!server.destroyed) server.destroy(); });
    server.on('close', () => { if (!client.destroyed) client.destroy(); });
  }

  get isOpen(): boolean {
    return !this.client.destroyed || !this.server.destroyed;
  }

  get currentFault(): Fault {
    return this.fault;
  }

  /** Switch this connection's fault now. `drop`/`reset` close it at once. */
  setFault(fault: Fault): void {
    validateFault(fault);
    this.fault = fault;
    if (fault.kind === 'drop') { this.drop(); return; }
    if (fault.kind === 'reset') { this.reset(); return; }
    this.clientToServer.setMode(modeFor(fault, 'client-to-server'));
    this.serverToClient.setMode(modeFor(fault, 'server-to-client'));
  }

  /** Back to pass-through: flushes anything a stall or drip held. */
  release(): void {
    this.setFault({ kind: 'pass' });
  }

  /** Close both sides with FIN, discarding anything queued. */
  drop(): void {
    this.closing = true;
    this.client.destroy();
    this.server.destroy();
  }

  /** Close both sides with RST. */
  reset(): void {
    this.closing = true;
    resetSocket(this.client);
    resetSocket(this.server);
  }

  /** Resolves when `counter` has reached at least `atLeast` bytes; rejects if the connection closes first. */
  waitForBytes(counter: keyof ByteCounts, atLeast: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.bytes[counter] >= atLeast) { this.off('progress', check); resolve(); return; }
        if (!this.isOpen) {
          this.off('progress', check);
          reject(new Error(`connection ${this.id} closed with ${counter}=${this.bytes[counter]} < ${atLeast}`));
        }
      };
      this.on('progress', check);
      check();
    });
  }

  /** @internal */
  isClosing(): boolean {
    return this.closing;
  }

  /** @internal */
  count(direction: PipeDirection, way: 'in' | 'out', n: number): void {
    if (direction === 'client-to-server') {
      if (way === 'in') this.bytes.fromClient += n; else this.bytes.toServer += n;
    } else if (way === 'in') {
      this.bytes.fromServer += n;
    } else {
      this.bytes.toClient += n;
    }
    this.emit('progress');
  }

  /** @internal */
  closeAfterTruncate(how: 'end' | 'reset'): void {
    this.closing = true;
    if (how === 'reset') {
      resetSocket(this.client);
      resetSocket(this.server);
      return;
    }
    // FIN after the kept bytes have been flushed to both sockets.
    this.client.end();
    this.server.end();
    // A peer that never closes its half must not keep the connection alive.
    this.client.once('finish', () => this.client.destroy());
    this.server.once('finish', () => this.server.destroy());
  }
}

function resetSocket(socket: net.Socket): void {
  if (socket.destroyed) return;
  // resetAndDestroy() needs a connected handle; before that a plain destroy is all there is.
  if (socket.readyState === 'opening' || socket.connecting) socket.destroy(); else socket.resetAndDestroy();
}

export class FaultProxy {
  private readonly server: net.Server;
  private readonly all: ProxiedConnection[] = [];
  private readonly unclaimed: ProxiedConnection[] = [];
  private readonly waiters: Array<(c: ProxiedConnection) => void> = [];
  private defaultFault: Fault;
  private nextId = 1;
  private closingProxy = false;
  private listenPort = 0;

  private constructor(private readonly targetHost: string, private readonly targetPort: number, fault: Fault) {
    validateFault(fault);
    this.defaultFault = fault;
    this.server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, (client) => this.accept(client));
  }

  /** Starts a proxy on 127.0.0.1 with an ephemeral port in front of `targetHost:targetPort`. */
  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    const proxy = new FaultProxy(options.targetHost ?? '127.0.0.1', options.targetPort, options.fault ?? { kind: 'pass' });
    await new Promise<void>((resolve, reject) => {
      proxy.server.once('error', reject);
      proxy.server.listen(0, '127.0.0.1', () => {
        proxy.server.off('error', reject);
        proxy.listenPort = (proxy.server.address() as net.AddressInfo).port;
        resolve();
      });
    });
    return proxy;
  }

  get host(): string {
    return '127.0.0.1';
  }

  /** The listening port; stays readable after close(). */
  get port(): number {
    return this.listenPort;
  }

  /** `127.0.0.1:PORT`, the form `--igfs`/`--thin` take. */
  get endpoint(): string {
    return `${this.host}:${this.port}`;
  }

  /** Every connection accepted so far, open or closed, in accept order. */
  get connections(): readonly ProxiedConnection[] {
    return this.all;
  }

  get openConnections(): ProxiedConnection[] {
    return this.all.filter((c) => c.isOpen);
  }

  /** The fault for connections accepted from now on; with `includeOpen`, also switch every open connection. */
  setFault(fault: Fault, options: { includeOpen?: boolean } = {}): void {
    validateFault(fault);
    this.defaultFault = fault;
    if (options.includeOpen) for (const c of this.openConnections) c.setFault(fault);
  }

  /**
   * The oldest accepted connection not yet returned by `nextConnection`, waiting for one if there is none.
   * Each connection is handed out once, so a connect that wins the race against this call is not lost.
   */
  nextConnection(): Promise<ProxiedConnection> {
    const ready = this.unclaimed.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Stop listening and close every connection (as `drop`), resolving once every socket is closed. */
  async close(): Promise<void> {
    this.closingProxy = true;
    const serverClosed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const c of this.all) c.drop();
    await Promise.all([serverClosed, ...this.all.map((c) => c.closed)]);
  }

  private accept(client: net.Socket): void {
    if (this.closingProxy) { client.destroy(); return; }
    const fault = this.defaultFault;
    if (fault.kind === 'reset') { client.on('error', () => {}); client.resetAndDestroy(); return; }
    if (fault.kind === 'drop') { client.on('error', () => {}); client.destroy(); return; }
    const server = net.connect({ host: this.targetHost, port: this.targetPort, allowHalfOpen: true });
    const connection = new ProxiedConnection(this.nextId++, client, server);
    connection.setFault(fault);
    this.all.push(connection);
    const waiter = this.waiters.shift();
    if (waiter !== undefined) waiter(connection); else this.unclaimed.push(connection);
    client.resume();
  }
}

/** Convenience: `FaultProxy.start(...)`. */
export function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  return FaultProxy.start(options);
}
