// HANDSHAKE (0): nstr igfsName (null skips the name check), nstr logDirectory (a logging hint; send null).
// Must be the first frame on a connection and carry reqId 0, or the server closes the socket without a word.

import { Command } from '../command.js';
import { startRequest } from '../request-header.js';

export interface HandshakeRequest {
  igfsName: string | null;
  logDirectory?: string | null;
}

export function encodeHandshake(reqId: number, req: HandshakeRequest): Buffer {
  return startRequest(reqId, Command.HANDSHAKE).nstr(req.igfsName).nstr(req.logDirectory ?? null).finish();
}
