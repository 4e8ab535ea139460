// Process entry point: the only place that calls process.exit.
import { runCli } from './cli/cli.js';

runCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`ignite-fuse: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
