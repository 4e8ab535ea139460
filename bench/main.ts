// `npm run bench [-- SUITE...] [--json FILE] [--size 1GiB] [--repeat N] [--sweep] [--markdown]`
//
// Runs benchmark suites (bench/suites/<name>.ts, loaded by name so suites are added without touching this file),
// prints one table of every (suite, workload, path) with its number, unit and ratio to the workload's baseline,
// and writes the same as JSON records. Suites start what they need themselves. Benchmarks are not tests: nothing
// here asserts on time.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { cpus, totalmem } from 'node:os';
import { parseSize } from '../src/config/parse-size.js';
import type { BenchOptions, BenchRecord, BenchSuite } from './bench-types.js';
import { formatMarkdownTable, formatTable, toRecords } from './support/report.js';

/** Every suite the interface promises (design.md); those without a module yet are reported as missing. */
const KNOWN_SUITES = ['igfs', 'mount', 'caches'] as const;

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const suitesDir = new URL('./suites/', import.meta.url);

const USAGE = `Usage: npm run bench [-- SUITE...] [options]
Suites: ${KNOWN_SUITES.join(', ')} (default: every suite that exists)
Options:
  --json FILE     also write one JSON record per (suite, workload, path)
  --size SIZE     bytes per file for throughput workloads (default 1GiB; e.g. 64MiB for a quick run)
  --repeat N      repetitions of each measurement; the median is reported (default 3)
  --sweep         also measure the tuning alternatives (request sizes, depths) a suite knows
  --paths A,B     measure only these paths (names as in the table), e.g. to profile one with node --cpu-prof
  --markdown      print the table as Markdown too`;

class UsageError extends Error {}

async function loadSuite(name: string): Promise<BenchSuite | null> {
  const url = new URL(`${name}.js`, suitesDir);
  if (!existsSync(fileURLToPath(url))) return null;
  const mod = (await import(url.href)) as { suite?: BenchSuite };
  if (mod.suite === undefined) throw new Error(`bench/suites/${name}.ts exports no "suite"`);
  return mod.suite;
}

function parseCommandLine(argv: string[]): { suites: string[]; options: BenchOptions; json?: string; markdown: boolean } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'string' },
      size: { type: 'string', default: '1GiB' },
      repeat: { type: 'string', default: '3' },
      sweep: { type: 'boolean', default: false },
      paths: { type: 'string' },
      markdown: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  for (const s of positionals) {
    if (!(KNOWN_SUITES as readonly string[]).includes(s)) throw new UsageError(`unknown suite "${s}"; suites: ${KNOWN_SUITES.join(', ')}`);
  }
  const repeat = Number(values.repeat);
  if (!Number.isInteger(repeat) || repeat < 1) throw new UsageError(`--repeat must be a positive integer, not "${values.repeat}"`);
  let sizeBytes: number;
  try {
    sizeBytes = parseSize(values.size!);
  } catch (err) {
    throw new UsageError(`--size: ${(err as Error).message}`);
  }
  if (sizeBytes < 1) throw new UsageError('--size must be at least 1 byte');
  return { suites: positionals, options: { sizeBytes, repeat, sweep: values.sweep!, paths: values.paths?.split(',').filter((p) => p !== '') }, json: values.json, markdown: values.markdown! };
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`bench: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const explicit = parsed.suites.length > 0;
  const names = explicit ? parsed.suites : [...KNOWN_SUITES];
  const note = (message: string): void => {
    process.stderr.write(`bench: ${message}\n`);
  };
  note(`machine: ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}; size ${parsed.options.sizeBytes} bytes, repeat ${parsed.options.repeat}`);
  const records: BenchRecord[] = [];
  let failed = false;
  for (const name of names) {
    const suite = await loadSuite(name);
    if (suite === null) {
      note(`suite "${name}" is not implemented yet (no bench/suites/${name}.ts)`);
      if (explicit) failed = true;
      continue;
    }
    note(`suite ${name}: ${suite.description}`);
    try {
      const results = await suite.run({ options: parsed.options, repoRoot, note: (m) => note(`${name}: ${m}`) });
      records.push(...toRecords(name, results));
    } catch (err) {
      failed = true;
      note(`suite ${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  }
  if (records.length > 0) process.stdout.write(`${formatTable(records)}\n`);
  if (parsed.markdown && records.length > 0) process.stdout.write(`\n${formatMarkdownTable(records)}\n`);
  if (parsed.json !== undefined) {
    await writeFile(parsed.json, `${JSON.stringify(records, null, 2)}\n`);
    note(`wrote ${records.length} records to ${parsed.json}`);
  }
  return failed ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then((code) => process.exit(code), (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
