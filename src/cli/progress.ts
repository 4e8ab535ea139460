// A one-line transfer progress bar for `igfs put`/`get`, drawn on stderr only when stderr is a terminal, so pipes
// and log files stay clean. Redraws are throttled: a 1 GiB copy in 64 KiB chunks would otherwise repaint 16,384 times.

export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): boolean;
}

export interface ProgressOptions {
  label: string;
  /** Bytes expected, when known (a pipe has no size). */
  totalBytes?: number;
  stream?: ProgressStream;
  /** Least time between redraws. */
  redrawIntervalMs?: number;
  now?: () => number;
}

export interface Progress {
  /** Adds `bytes` transferred. */
  advance(bytes: number): void;
  /** Erases the bar (call on success and on failure, before any error line). */
  finish(): void;
}

const DEFAULT_REDRAW_INTERVAL_MS = 100;
const DEFAULT_COLUMNS = 80;
const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 1536 -> "1.5 KiB": 1024-based, three significant digits. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ${UNITS[unit]}`;
}

const noProgress: Progress = { advance: () => undefined, finish: () => undefined };

export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  if (stream.isTTY !== true) return noProgress;
  const now = options.now ?? Date.now;
  const interval = options.redrawIntervalMs ?? DEFAULT_REDRAW_INTERVAL_MS;
  const started = now();
  let done = 0;
  let lastDraw = -Infinity;
  let drawn = false;

  const render = (): string => {
    const elapsedS = Math.max((now() - started) / 1000, 1e-3);
    const rate = `${formatBytes(done / elapsedS)}/s`;
    const total = options.totalBytes;
    // A pseudo-terminal without a size reports 0 columns.
    const columns = stream.columns !== undefined && stream.columns > 0 ? stream.columns : DEFAULT_COLUMNS;
    const width = Math.max(20, columns - 1);
    if (total === undefined || total <= 0) {
      return `${options.label} ${formatBytes(done)} ${rate}`.slice(0, width);
    }
    const fraction = Math.min(1, done / total);
    const tail = ` ${Math.floor(fraction * 100).toString().padStart(3)}% ${formatBytes(done)}/${formatBytes(total)} ${rate}`;
    const barWidth = Math.max(0, width - options.label.length - tail.length - 3);
    const filled = Math.round(fraction * barWidth);
    const bar = barWidth > 0 ? ` [${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}]` : '';
    return `${options.label}${bar}${tail}`.slice(0, width);
  };

  return {
    advance(bytes: number): void {
      done += bytes;
      const t = now();
      if (t - lastDraw < interval) return;
      lastDraw = t;
      // \r + erase-line keeps it on one line whatever the previous text's length.
      stream.write(`\r\x1b[2K${render()}`);
      drawn = true;
    },
    finish(): void {
      if (drawn) stream.write('\r\x1b[2K');
      drawn = false;
    },
  };
}
