// MAKE_DIRECTORIES (8): PathCtrl with optional props (null -> the server gives {"permission":"0777"}). Works like
// mkdir -p and answers true even when the directory existed. Runs inline on the server.

import { Command } from '../command.js';
import type { StringMap } from '../frame-writer.js';
import { startPathControl } from './path-control.js';

export interface MakeDirectoriesRequest {
  path: string;
  props?: StringMap | null;
  userName?: string | null;
}

export function encodeMakeDirectories(reqId: number, req: MakeDirectoriesRequest): Buffer {
  return startPathControl(reqId, Command.MAKE_DIRECTORIES, req).finish();
}
