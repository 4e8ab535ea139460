// MODE_RESOLVER (20): header only; reply resType 13.

import { Command } from '../command.js';
import { startRequest } from '../request-header.js';

export function encodeModeResolver(reqId: number): Buffer {
  return startRequest(reqId, Command.MODE_RESOLVER, 0, 0, 0).finish();
}
