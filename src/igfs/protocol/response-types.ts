// What a decoded reply looks like (§2.3, §4). Every reply carries its resType, so a reply decodes without knowing
// which request it answers.

export const ResType = {
  ERROR: -1,
  BOOLEAN: 0,
  LONG: 1,
  IGFS_FILE: 2,
  IGFS_STREAM_DESCRIPTOR: 3,
  IGFS_PATH: 4,
  COL_IGFS_FILE: 5,
  COL_IGFS_PATH: 6,
  COL_IGFS_BLOCK_LOCATION: 7,
  BYTE_ARRAY: 8,
  ERR_STREAM_ID: 9,
  HANDSHAKE: 10,
  STATUS: 11,
  IGFS_PATH_SUMMARY: 12,
  MODE_RESOLVER: 13,
} as const;

/** IgfsFile flags byte (IgfsUtils.FLAG_DIR / FLAG_FILE). */
export const FILE_FLAG_DIRECTORY = 0x01;
export const FILE_FLAG_FILE = 0x02;

export interface IgfsFileInfo {
  path: string;
  /** Data block size of a file (0 for directories). */
  blockSize: number;
  /** blockSize × affinity group size, or the length for colocated files (0 for directories). */
  groupBlockSize: number;
  /** Bytes; for a file being written, the length at its last close. */
  length: number;
  /** null only for secondary-file-system entries. */
  properties: Map<string, string> | null;
  accessTimeMs: number;
  modificationTimeMs: number;
  flags: number;
  isDirectory: boolean;
  isFile: boolean;
}

export interface StreamDescriptor {
  streamId: number;
  /** File length captured at OPEN_READ; reads never see past it. */
  length: number;
}

export interface BlockLocation {
  start: number;
  length: number;
  /** Node ids as UUID strings (8-4-4-4-12 hex; a null id stays null); null when the server sent none. */
  nodeIds: (string | null)[] | null;
  names: string[];
  hosts: string[];
}

export interface HandshakeInfo {
  igfsName: string | null;
  /** The GROUP block size (block size × affinity group size), not a file's block size. */
  groupBlockSize: number;
  /** Cluster-wide client-logging flag; null when the server did not send one. */
  sampling: boolean | null;
}

export interface IgfsStatus {
  spaceUsed: number;
  spaceTotal: number;
}

export interface PathSummary {
  filesCount: number;
  directoriesCount: number;
  totalLength: number;
  path: string | null;
}

export const IgfsMode = { PRIMARY: 0, PROXY: 1, DUAL_SYNC: 2, DUAL_ASYNC: 3 } as const;
export const IGFS_MODE_NAMES = ['PRIMARY', 'PROXY', 'DUAL_SYNC', 'DUAL_ASYNC'] as const;
export type IgfsModeName = (typeof IGFS_MODE_NAMES)[number];

export interface ModeResolverInfo {
  /** null when the server sent a null enum (-1). */
  defaultMode: IgfsModeName | null;
  /** Most specific first; null when absent. */
  modes: { path: string | null; mode: IgfsModeName | null }[] | null;
  dualParentsWithPrimaryChildren: (string | null)[] | null;
}

export type ResponseBody =
  | {
      type: 'error';
      /** -1 for an ordinary error, 9 for a write-error notice. */
      resType: number;
      /** null when the server sent no message (and therefore no code). */
      code: number | null;
      message: string | null;
      /** The failed output stream of a write-error notice (resType 9 with a message). */
      streamId: number | null;
    }
  | { type: 'boolean'; value: boolean }
  | { type: 'long'; value: number }
  | { type: 'file'; value: IgfsFileInfo | null }
  | { type: 'stream-descriptor'; value: StreamDescriptor | null }
  | { type: 'path'; value: string | null }
  | { type: 'files'; value: IgfsFileInfo[] | null }
  | { type: 'paths'; value: (string | null)[] | null }
  | { type: 'block-locations'; value: BlockLocation[] | null }
  | { type: 'bytes'; value: Buffer }
  | { type: 'handshake'; value: HandshakeInfo | null }
  | { type: 'status'; value: IgfsStatus | null }
  | { type: 'path-summary'; value: PathSummary | null }
  | { type: 'mode-resolver'; value: ModeResolverInfo | null };

export interface IgfsResponse {
  reqId: number;
  body: ResponseBody;
}
