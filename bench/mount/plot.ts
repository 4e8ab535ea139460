// Renders the `mount` suite's JSON records as an SVG bar chart for docs/BENCHMARKS.md:
//
//   node build/bench/mount/plot.js RESULTS.json OUT.svg
//
// One group per workload, one bar per path, bar length relative to the fastest path of that workload (so
// MB/s and ops/s workloads share one chart), each labelled with its number and unit.
import { readFile, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type { BenchRecord } from '../bench-types.js';

const PATH_COLORS: Record<string, string> = {
  mount: '#d62728',
  direct: '#1f77b4',
  'java-igfs': '#ff7f0e',
  null: '#2ca02c',
  tmpfs: '#7f7f7f',
};
const ROW_PX = 16;
const GROUP_GAP_PX = 14;
const LABEL_PX = 170;
const BAR_MAX_PX = 420;
const WIDTH_PX = LABEL_PX + BAR_MAX_PX + 150;

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/gu, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}

function formatValue(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

export function renderSvg(records: readonly BenchRecord[], title: string): string {
  const workloads = [...new Set(records.map((r) => r.workload))];
  const parts: string[] = [];
  let y = 40;
  for (const w of workloads) {
    const rows = records.filter((r) => r.workload === w);
    const max = Math.max(...rows.map((r) => r.value));
    parts.push(`<text x="8" y="${y + 12}" font-weight="bold">${escapeXml(w)}</text>`);
    for (const r of rows) {
      const len = max > 0 ? Math.max(1, Math.round((r.value / max) * BAR_MAX_PX)) : 1;
      const color = PATH_COLORS[r.path] ?? '#9467bd';
      parts.push(`<text x="${LABEL_PX - 6}" y="${y + 12}" text-anchor="end">${escapeXml(r.path)}</text>`);
      parts.push(`<rect x="${LABEL_PX}" y="${y + 2}" width="${len}" height="${ROW_PX - 4}" fill="${color}"/>`);
      parts.push(`<text x="${LABEL_PX + len + 6}" y="${y + 12}">${escapeXml(`${formatValue(r.value)} ${r.unit}`)}</text>`);
      y += ROW_PX;
    }
    y += GROUP_GAP_PX;
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH_PX}" height="${y + 10}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="8" y="20" font-size="13" font-weight="bold">${escapeXml(title)}</text>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const [input, output] = process.argv.slice(2);
  if (input === undefined || output === undefined) {
    process.stderr.write('usage: plot RESULTS.json OUT.svg\n');
    process.exitCode = 2;
    return;
  }
  const records = (JSON.parse(await readFile(input, 'utf8')) as BenchRecord[]).filter((r) => r.suite === 'mount');
  await writeFile(output, renderSvg(records, 'ignite-fuse mount suite (bar length relative to the fastest path per workload)'));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err: unknown) => {
    process.stderr.write(`plot: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
