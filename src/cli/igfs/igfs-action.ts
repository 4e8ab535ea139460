// Runs one `igfs` sub-command: loads the configuration, connects, runs the operation, and turns its outcome into
// an exit code and at most one stderr line (design.md "Interfaces": 0 ok, 1 operation error, 2 usage error).
import { loadConfig } from '../../config/load.js';
import { ConfigError } from '../../config/config-error.js';
import { IgfsClient } from '../../igfs/client.js';
import { createLogger, type Logger } from '../../log/logger.js';
import { openLogSink, type LogSink } from '../../log/log-sink.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { UsageError } from './cli-errors.js';
import { describeFailure } from './describe-failure.js';

/** What every sub-command shares with the `igfs` command that registered it. */
export interface IgfsCommandEnv {
  /** Hands the exit code to runCli (only main.ts may call process.exit). */
  setExitCode(code: number): void;
  /**
   * True once yargs reported a usage error for this command line. yargs still calls the handler after a `.fail()`
   * callback that does not throw (runCli's prints and returns 2), so handlers must check and do nothing.
   */
  usageFailed(): boolean;
}

/**
 * A CLI copies one file at a time, so one connection is enough: READ_BLOCKs pipeline on it, and a second idle
 * connection would only cost a handshake.
 */
const CLI_POOL_SIZE = 1;

export interface IgfsActionContext {
  readonly client: IgfsClient;
  readonly log: Logger;
  /** The first configured endpoint, named by connection failures. */
  readonly endpoint: string;
  /** The IGFS path (or local file) the operation is working on now; a failure line names it. */
  subject: string;
}

export interface IgfsActionSpec {
  /** Sub-command name, for the message prefix. */
  command: string;
  argv: Readonly<Record<string, unknown>>;
  /** What a failure names until the action says otherwise (its first path argument). */
  subject: () => string;
  env: IgfsCommandEnv;
  action: (ctx: IgfsActionContext) => Promise<void>;
}

export async function runIgfsAction(spec: IgfsActionSpec): Promise<void> {
  if (spec.env.usageFailed()) return;
  const prefix = `ignite-fuse igfs ${spec.command}`;
  let sink: LogSink | undefined;
  let client: IgfsClient | undefined;
  let ctx: IgfsActionContext | undefined;
  let endpoint = '';
  try {
    const config = loadConfig({ command: 'igfs', argv: spec.argv });
    endpoint = config.igfsEndpoints[0] ?? '';
    sink = openLogSink(config.logFile);
    const log = createLogger({ level: config.logLevel, sink, prefix: `igfs ${spec.command}` });
    const subject = spec.subject(); // validates path arguments before anything touches the network
    client = new IgfsClient({
      endpoints: config.igfsEndpoints,
      igfsName: config.igfsName ?? null,
      connectTimeoutMs: config.connectTimeoutMs,
      requestTimeoutMs: config.requestTimeoutMs,
      poolSize: CLI_POOL_SIZE,
    });
    ctx = { client, log, endpoint, subject };
    const hello = await client.connect();
    log.debug('connected', { endpoint, igfs: hello.igfsName });
    await spec.action(ctx);
    spec.env.setExitCode(EXIT_OK);
  } catch (err) {
    if (err instanceof UsageError || err instanceof ConfigError) {
      process.stderr.write(`${prefix}: ${err.message}\n`);
      spec.env.setExitCode(EXIT_USAGE);
    } else {
      const line = describeFailure(err, ctx?.subject ?? safeSubject(spec), endpoint);
      process.stderr.write(`${prefix}: ${line.subject}: ${line.reason}\n`);
      spec.env.setExitCode(EXIT_FAILURE);
    }
  } finally {
    client?.close();
    sink?.close();
  }
}

function safeSubject(spec: IgfsActionSpec): string {
  try {
    return spec.subject();
  } catch {
    return '?';
  }
}
