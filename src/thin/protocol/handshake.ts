// The handshake: the first message on a connection. The client proposes a version; the server either accepts
// (and from 1.4.0 sends its node id) or refuses with the version it would speak, a message and, from 1.1.0,
// a status (AUTH_FAILED for bad credentials).
import { ByteReader } from './byte-reader.js';
import { ByteWriter } from './byte-writer.js';
import { ClientStatus } from './errors.js';
import { hasAuthentication, hasPartitionAwareness, type ProtocolVersion, version } from './version.js';
import { readUuid } from './uuid.js';

const HANDSHAKE_CODE = 1;
const THIN_CLIENT_CODE = 2;

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

/** The whole handshake message, length prefix included. */
export function encodeHandshake(v: ProtocolVersion, credentials?: Credentials): Buffer {
  const w = new ByteWriter(64);
  w.i32(0).u8(HANDSHAKE_CODE).i16(v.major).i16(v.minor).i16(v.patch).u8(THIN_CLIENT_CODE);
  // The server reads credentials only when bytes follow, so anonymous clients send none.
  if (credentials !== undefined && hasAuthentication(v)) w.string(credentials.username).string(credentials.password);
  w.patchI32(0, w.length - 4);
  return w.toBuffer();
}

export type HandshakeReply =
  | { readonly accepted: true; readonly nodeId: string | undefined }
  | {
      readonly accepted: false;
      readonly serverVersion: ProtocolVersion;
      readonly message: string;
      readonly status: number;
    };

/** Decodes the handshake reply body (without the length prefix) for the version that was proposed. */
export function decodeHandshakeReply(body: Buffer, proposed: ProtocolVersion): HandshakeReply {
  const r = new ByteReader(body);
  if (r.bool()) {
    let nodeId: string | undefined;
    if (hasPartitionAwareness(proposed) && r.remaining > 0) {
      nodeId = readUuid(r, true) ?? undefined;
    }
    return { accepted: true, nodeId };
  }
  const serverVersion = version(r.i16(), r.i16(), r.i16());
  const message = r.nullableString() ?? '';
  const status = r.remaining >= 4 ? r.i32() : ClientStatus.FAILED;
  return { accepted: false, serverVersion, message, status };
}
