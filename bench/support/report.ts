// Turns suite results into JSON records (one per suite, workload and path) and a plain-text table.
import type { BenchRecord, WorkloadResult } from '../bench-types.js';
import { median } from './stats.js';

export function toRecords(suite: string, results: readonly WorkloadResult[]): BenchRecord[] {
  const records: BenchRecord[] = [];
  for (const w of results) {
    const base = w.measurements.find((m) => m.path === w.baseline);
    const baseValue = base === undefined ? undefined : median(base.samples);
    for (const m of w.measurements) {
      const value = median(m.samples);
      const comparable = base !== undefined && m !== base && base.unit === m.unit && baseValue !== undefined && baseValue > 0;
      records.push({
        suite,
        workload: w.workload,
        path: m.path,
        description: m.description,
        value,
        unit: m.unit,
        samples: m.samples,
        baseline: base === undefined ? null : base.path,
        ratio: comparable ? value / baseValue! : null,
        details: m.details ?? {},
      });
    }
  }
  return records;
}

function formatValue(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/** A fixed-width table: suite, workload, path, value, unit, ratio vs the workload's baseline, samples. */
export function formatTable(records: readonly BenchRecord[]): string {
  const header = ['suite', 'workload', 'path', 'value', 'unit', 'vs baseline', 'samples'];
  const rows = records.map((r) => [
    r.suite,
    r.workload,
    r.path,
    formatValue(r.value),
    r.unit,
    r.ratio !== null ? `${r.ratio.toFixed(2)}x ${r.baseline}` : r.baseline === r.path ? 'baseline' : '',
    r.samples.map(formatValue).join(' '),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const numeric = new Set([3]);
  const line = (cells: string[]): string =>
    cells.map((c, i) => (numeric.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The same table as Markdown, for docs/BENCHMARKS.md. */
export function formatMarkdownTable(records: readonly BenchRecord[]): string {
  const out = ['| suite | workload | path | value | unit | vs baseline | samples |', '| --- | --- | --- | ---: | --- | --- | --- |'];
  for (const r of records) {
    const ratio = r.ratio !== null ? `${r.ratio.toFixed(2)}× ${r.baseline}` : r.baseline === r.path ? 'baseline' : '';
    out.push(`| ${r.suite} | ${r.workload} | ${r.path} | ${formatValue(r.value)} | ${r.unit} | ${ratio} | ${r.samples.map(formatValue).join(', ')} |`);
  }
  return out.join('\n');
}
