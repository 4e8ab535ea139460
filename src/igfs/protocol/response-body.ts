// Decoders for the part of a reply after the 33-byte header (IgfsControlResponse.readExternal and the structures of
// §4), as resumable steps over a ByteCursor. READ_BLOCK payloads (resType 8) never come here: the framer slices them.

import { ProtocolError } from '../errors.js';
import {
  bool, count, i32, i64, i8, jutf, nstr, smap, uuid, type ByteCursor, type Step,
} from './byte-cursor.js';
import {
  FILE_FLAG_DIRECTORY, FILE_FLAG_FILE, IGFS_MODE_NAMES, ResType,
  type BlockLocation, type IgfsFileInfo, type IgfsModeName, type ModeResolverInfo, type ResponseBody,
} from './response-types.js';


export interface ResponseHeader {
  reqId: number;
  resType: number;
  hasErr: boolean;
  /** Only meaningful for resType 8. */
  len: number;
}

export function* responseBody(c: ByteCursor, h: ResponseHeader): Step<ResponseBody> {
  if (h.hasErr) {
    const message = yield* jutf(c);
    const code = yield* i32(c);
    const streamId = h.resType === ResType.ERR_STREAM_ID ? yield* i64(c) : null;
    return { type: 'error', resType: h.resType, code, message, streamId };
  }
  switch (h.resType) {
    case ResType.ERROR:
    case ResType.ERR_STREAM_ID:
      // Error whose Java message was null: the server sends neither message nor code (nor streamId).
      return { type: 'error', resType: h.resType, code: null, message: null, streamId: null };
    case ResType.BOOLEAN:
      return { type: 'boolean', value: yield* bool(c) };
    case ResType.LONG:
      return { type: 'long', value: yield* i64(c) };
    case ResType.IGFS_FILE:
      return { type: 'file', value: (yield* bool(c)) ? yield* igfsFile(c) : null };
    case ResType.IGFS_STREAM_DESCRIPTOR: {
      if (!(yield* bool(c))) return { type: 'stream-descriptor', value: null };
      const streamId = yield* i64(c);
      const length = yield* i64(c);
      return { type: 'stream-descriptor', value: { streamId, length } };
    }
    case ResType.IGFS_PATH:
      return { type: 'path', value: (yield* bool(c)) ? yield* nstr(c) : null };
    case ResType.COL_IGFS_FILE: {
      // Collection items carry no hasVal byte (unlike resType 2).
      const n = yield* count(c, 'file list');
      if (n === -1) return { type: 'files', value: null };
      const files: IgfsFileInfo[] = [];
      for (let i = 0; i < n; i++) files.push(yield* igfsFile(c));
      return { type: 'files', value: files };
    }
    case ResType.COL_IGFS_PATH: {
      const n = yield* count(c, 'path list');
      if (n === -1) return { type: 'paths', value: null };
      const paths: (string | null)[] = [];
      for (let i = 0; i < n; i++) paths.push(yield* nstr(c));
      return { type: 'paths', value: paths };
    }
    case ResType.COL_IGFS_BLOCK_LOCATION: {
      const n = yield* count(c, 'block location list');
      if (n === -1) return { type: 'block-locations', value: null };
      const locations: BlockLocation[] = [];
      for (let i = 0; i < n; i++) locations.push(yield* blockLocation(c));
      return { type: 'block-locations', value: locations };
    }
    case ResType.HANDSHAKE: {
      if (!(yield* bool(c))) return { type: 'handshake', value: null };
      const igfsName = yield* nstr(c);
      const groupBlockSize = yield* i64(c);
      const sampling = (yield* bool(c)) ? yield* bool(c) : null;
      return { type: 'handshake', value: { igfsName, groupBlockSize, sampling } };
    }
    case ResType.STATUS: {
      if (!(yield* bool(c))) return { type: 'status', value: null };
      const spaceUsed = yield* i64(c);
      const spaceTotal = yield* i64(c);
      return { type: 'status', value: { spaceUsed, spaceTotal } };
    }
    case ResType.IGFS_PATH_SUMMARY: {
      if (!(yield* bool(c))) return { type: 'path-summary', value: null };
      const filesCount = yield* i32(c);
      const directoriesCount = yield* i32(c);
      const totalLength = yield* i64(c);
      const path = yield* nstr(c);
      return { type: 'path-summary', value: { filesCount, directoriesCount, totalLength, path } };
    }
    case ResType.MODE_RESOLVER:
      return { type: 'mode-resolver', value: (yield* bool(c)) ? yield* modeResolver(c) : null };
    default:
      throw new ProtocolError(`unknown resType ${h.resType} in reply to request ${h.reqId}`);
  }
}

/** IgfsFileImpl.writeExternal: path, blockSize, groupBlockSize, length, props, accessTime, modificationTime, flags. */
function* igfsFile(c: ByteCursor): Step<IgfsFileInfo> {
  const path = yield* nstr(c);
  if (path === null) throw new ProtocolError('file entry with a null path');
  const blockSize = yield* i32(c);
  const groupBlockSize = yield* i64(c);
  const length = yield* i64(c);
  const properties = yield* smap(c);
  const accessTimeMs = yield* i64(c);
  const modificationTimeMs = yield* i64(c);
  const flags = yield* i8(c);
  return {
    path,
    blockSize,
    groupBlockSize,
    length,
    properties,
    accessTimeMs,
    modificationTimeMs,
    flags,
    isDirectory: (flags & FILE_FLAG_DIRECTORY) !== 0,
    isFile: (flags & FILE_FLAG_FILE) !== 0,
  };
}

/** IgfsBlockLocationImpl: start, length, [nodeIds], names, hosts (names/hosts are bare jutf, no null flag). */
function* blockLocation(c: ByteCursor): Step<BlockLocation> {
  const start = yield* i64(c);
  const length = yield* i64(c);
  let nodeIds: (string | null)[] | null = null;
  if (yield* bool(c)) {
    const n = yield* count(c, 'node id list');
    nodeIds = [];
    for (let i = 0; i < n; i++) nodeIds.push(yield* uuid(c));
  }
  const names: string[] = [];
  const nNames = yield* count(c, 'block location name list');
  for (let i = 0; i < nNames; i++) names.push(yield* jutf(c));
  const hosts: string[] = [];
  const nHosts = yield* count(c, 'block location host list');
  for (let i = 0; i < nHosts; i++) hosts.push(yield* jutf(c));
  return { start, length, nodeIds, names, hosts };
}

function* mode(c: ByteCursor): Step<IgfsModeName | null> {
  const ordinal = yield* i8(c);
  if (ordinal === -1) return null;
  const name = IGFS_MODE_NAMES[ordinal];
  if (name === undefined) throw new ProtocolError(`unknown IGFS mode ordinal ${ordinal}`);
  return name;
}

/** IgfsModeResolver: enum defaultMode, [n × (path, enum mode)], [m × path]. */
function* modeResolver(c: ByteCursor): Step<ModeResolverInfo> {
  const defaultMode = yield* mode(c);
  let modes: ModeResolverInfo['modes'] = null;
  if (yield* bool(c)) {
    const n = yield* count(c, 'path mode list');
    modes = [];
    for (let i = 0; i < n; i++) {
      const path = yield* nstr(c);
      modes.push({ path, mode: yield* mode(c) });
    }
  }
  let dual: (string | null)[] | null = null;
  if (yield* bool(c)) {
    const m = yield* count(c, 'dual parent list');
    dual = [];
    for (let i = 0; i < m; i++) dual.push(yield* nstr(c));
  }
  return { defaultMode, modes, dualParentsWithPrimaryChildren: dual };
}
