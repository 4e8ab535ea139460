// A scripted IGFS peer for the connection/client unit tests. It exists only for byte sequences a real node cannot be
// made to send on demand (replies in a chosen order, a write-error notice, garbage, silence); everything a real node
// can do is tested against the real node in test/integration/igfs.

import * as net from 'node:net';
import * as fb from '../../support/frame-builder.js';

export interface ReceivedRequest {
  reqId: number;
  cmd: number;
  streamId: number;
  length: number;
  body: Buffer;
  socket: net.Socket;
}

/** Body length of the requests these tests send (PathCtrl bodies are measured from the builder's spelling). */
function bodyLength(cmd: number, length: number, head: Buffer): number | null {
  switch (cmd) {
    case 0: // HANDSHAKE with igfsName null and log dir null: 01 01; with a name: 00 len name 01
      return head[0] === 1 ? 2 : head.length >= 3 ? 1 + 2 + head.readUInt16BE(1) + 1 : null;
    case 1: case 16: case 20:
      return 0;
    case 17:
      return 8;
    case 18:
      return length;
    default: {
      // PathCtrl with null user, a present path, no dest, two bools, null props (+ tail for OPEN_CREATE)
      if (head.length < 5) return null;
      const pathLen = head.readUInt16BE(3);
      const base = 1 + 1 + 1 + 2 + pathLen + 1 + 1 + 1 + 4;
      return cmd === 15 ? base + 12 : base;
    }
  }
}

export class ScriptedServer {
  readonly server: net.Server;
  readonly sockets: net.Socket[] = [];
  connections = 0;
  onRequest: (r: ReceivedRequest) => void = () => undefined;
  /** Answer the handshake automatically (default). */
  answerHandshake = true;

  private constructor(server: net.Server) {
    this.server = server;
  }

  static async start(): Promise<ScriptedServer> {
    const server = net.createServer();
    const s = new ScriptedServer(server);
    server.on('connection', (sock) => s.accept(sock));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return s;
  }

  get endpoint(): string {
    return `127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(sock: net.Socket): void {
    this.connections++;
    this.sockets.push(sock);
    sock.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    sock.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        if (buf.length < 24) return;
        const cmd = buf.readInt32BE(8);
        const length = buf.readInt32BE(20);
        const n = bodyLength(cmd, length, buf.subarray(24));
        if (n === null || buf.length < 24 + n) return;
        const r: ReceivedRequest = {
          reqId: Number(buf.readBigInt64BE(0)),
          cmd,
          streamId: Number(buf.readBigInt64BE(12)),
          length,
          body: buf.subarray(24, 24 + n),
          socket: sock,
        };
        buf = buf.subarray(24 + n);
        if (cmd === 0 && this.answerHandshake) {
          sock.write(fb.concat(fb.responseHeader(r.reqId, 10), fb.bool(true), fb.nstr('igfs'), fb.i64(1 << 26), fb.bool(false)));
        } else {
          this.onRequest(r);
        }
      }
    });
  }
}

export function boolReply(reqId: number, v: boolean): Buffer {
  return fb.concat(fb.responseHeader(reqId, 0), fb.bool(v));
}

export function longReply(reqId: number, v: number): Buffer {
  return fb.concat(fb.responseHeader(reqId, 1), fb.i64(v));
}

export function statusReply(reqId: number, used: number, total: number): Buffer {
  return fb.concat(fb.responseHeader(reqId, 11), fb.bool(true), fb.i64(used), fb.i64(total));
}

/** A port on which nothing listens (bound, then released). */
export async function deadPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}
