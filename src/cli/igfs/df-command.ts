// `igfs df`: IGFS space, cluster-wide (STATUS sums every node's IGFS data region).
import type { Argv, CommandModule } from 'yargs';
import { formatBytes } from '../progress.js';
import { runIgfsAction, type IgfsCommandEnv } from './igfs-action.js';

interface DfArgs {
  human: boolean;
}

export function dfCommand(env: IgfsCommandEnv): CommandModule<object, DfArgs> {
  return {
    command: 'df',
    describe: 'Show IGFS size, used and available bytes (whole cluster)',
    builder: (y: Argv) => y
      .option('human', { alias: 'h', type: 'boolean', default: false, describe: 'Sizes in KiB/MiB/GiB' }) as unknown as Argv<DfArgs>,
    handler: (argv) => runIgfsAction({
      command: 'df',
      argv,
      env,
      subject: () => '/',
      action: async (ctx) => {
        const { spaceTotal, spaceUsed } = await ctx.client.status();
        const available = Math.max(0, spaceTotal - spaceUsed);
        const show = (n: number): string => (argv.human ? formatBytes(n) : String(n));
        const usePct = spaceTotal > 0 ? `${Math.ceil((spaceUsed / spaceTotal) * 100)}%` : '-';
        const header = ['Endpoint', 'Size', 'Used', 'Available', 'Use%'];
        const row = [ctx.endpoint, show(spaceTotal), show(spaceUsed), show(available), usePct];
        const widths = header.map((h, i) => Math.max(h.length, row[i]!.length));
        const fmt = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
        process.stdout.write(`${fmt(header)}\n${fmt(row)}\n`);
      },
    }),
  };
}
