/**
 * The one way a benchmark reports a figure for `npm run bench`'s table: it prints the figure as it
 * likes for a reader, and calls figure() for each number the table should carry. run-all collects
 * the machine-readable lines (prefixed FIGURE_LINE) from every bench it ran and prints one table:
 * figure, value, baseline or floor, ratio.
 */

export const FIGURE_LINE = 'BENCH-FIGURE ';

export interface Figure {
  /** What was measured, e.g. "ingest 202 → webhook p99 at 50 POST/s". */
  figure: string;
  value: number;
  /** e.g. 'ms', 'events/s', 'calls/event', 'MiB', 'KB', 'x'. */
  unit: string;
  /** What the value is compared with: a floor measured in the same run, or the target. */
  baseline?: { value: number; label: string };
  /** Lower is better (latency, size, calls) unless said otherwise. */
  higherIsBetter?: boolean;
}

/** Prints one figure as a machine-readable line for run-all (and keeps the bench's own output as it is). */
export function figure(f: Figure): void {
  console.log(FIGURE_LINE + JSON.stringify(f));
}

/** value / baseline, when both are finite and the baseline is not zero. */
export function ratio(f: Figure): number | undefined {
  if (!f.baseline || !Number.isFinite(f.value) || !Number.isFinite(f.baseline.value)) return undefined;
  if (f.baseline.value === 0) return undefined;
  return f.value / f.baseline.value;
}

export function parseFigureLine(line: string): Figure | undefined {
  if (!line.startsWith(FIGURE_LINE)) return undefined;
  try {
    return JSON.parse(line.slice(FIGURE_LINE.length)) as Figure;
  } catch {
    return undefined;
  }
}
