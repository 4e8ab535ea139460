// Turns any error an `igfs` sub-command can meet into the subject and reason of its one stderr line. Remote errors
// are mapped by their typed kind (never by message text: igfs/errors.ts classifies once), local ones by errno code.
import { ConnectError, ConnectionClosedError, ProtocolError, ServerError, TimeoutError } from '../../igfs/errors.js';
import { OperationError, Reason } from './cli-errors.js';

export interface FailureLine {
  subject: string;
  reason: string;
}

/** strerror texts for the errno codes local file and pipe I/O produce. */
const ERRNO_REASONS: Readonly<Record<string, string>> = {
  ENOENT: Reason.notFound,
  EEXIST: Reason.exists,
  EISDIR: Reason.isDirectory,
  ENOTDIR: Reason.notDirectory,
  ENOTEMPTY: Reason.notEmpty,
  EACCES: Reason.permission,
  EPERM: 'Operation not permitted',
  ENOSPC: Reason.noSpace,
  EPIPE: Reason.brokenPipe,
  EROFS: 'Read-only file system',
  EIO: Reason.io,
  EMFILE: 'Too many open files',
  ECONNREFUSED: 'Connection refused',
  ECONNRESET: 'Connection reset by peer',
  EHOSTUNREACH: 'No route to host',
  ENETUNREACH: 'Network is unreachable',
  ETIMEDOUT: 'Connection timed out',
};

function serverReason(err: ServerError): string {
  switch (err.kind) {
    case 'not-found': return Reason.notFound;
    case 'already-exists': return Reason.exists;
    case 'directory-not-empty': return Reason.notEmpty;
    case 'parent-not-directory': return Reason.notDirectory;
    case 'is-directory': return Reason.isDirectory;
    case 'already-open-for-write': return `${Reason.busy} (the file is open for writing by another client)`;
    case 'out-of-space': return `${Reason.noSpace} (IGFS data region is full)`;
    case 'corrupted': return `${Reason.io} (IGFS reports the file corrupted)`;
    default: return `IGFS error${err.code === null ? '' : ` ${err.code}`}: ${err.serverMessage ?? 'no message'}`;
  }
}

function errnoCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The innermost errno code along the `cause` chain (a ConnectError wraps the socket's ECONNREFUSED). */
function causeErrno(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 8; depth++) {
    const code = errnoCode(e);
    if (code !== undefined && code in ERRNO_REASONS) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * `subject` is what the line names when the error carries no better subject of its own (the IGFS path the
 * command was working on). Connection failures name the endpoint instead; local file errors their local path.
 */
export function describeFailure(err: unknown, subject: string, endpoint: string): FailureLine {
  if (err instanceof OperationError) return { subject: err.subject, reason: err.reason };
  if (err instanceof ServerError) return { subject, reason: serverReason(err) };
  if (err instanceof ConnectError) {
    const code = causeErrno(err);
    const name = err.endpoints.join(', ') || endpoint;
    return { subject: name, reason: code !== undefined ? `cannot connect to IGFS: ${ERRNO_REASONS[code]}` : err.message };
  }
  if (err instanceof TimeoutError) return { subject: endpoint, reason: `no reply from IGFS within ${err.timeoutMs} ms` };
  if (err instanceof ConnectionClosedError) return { subject: endpoint, reason: `connection to IGFS lost: ${err.message}` };
  if (err instanceof ProtocolError) return { subject: endpoint, reason: `IGFS protocol error: ${err.message}` };
  const code = errnoCode(err);
  if (code !== undefined && code in ERRNO_REASONS) {
    const path = (err as { path?: unknown }).path;
    return { subject: typeof path === 'string' ? path : subject, reason: ERRNO_REASONS[code]! };
  }
  return { subject, reason: err instanceof Error ? err.message : String(err) };
}
