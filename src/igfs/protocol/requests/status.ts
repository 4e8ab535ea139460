// STATUS (1): header only; reply resType 11 (spaceUsed, spaceTotal).

import { Command } from '../command.js';
import { startRequest } from '../request-header.js';

export function encodeStatus(reqId: number): Buffer {
  return startRequest(reqId, Command.STATUS, 0, 0, 0).finish();
}
