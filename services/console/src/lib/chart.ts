/** The arithmetic of the console's small SVG charts: scales, round ticks and paths. */

export interface Scale {
  (value: number): number;
  domain: readonly [number, number];
  range: readonly [number, number];
}

/** Maps [d0, d1] onto [r0, r1] linearly; an empty domain maps everything to r0. */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  const scale = ((value: number) => (span === 0 ? r0 : r0 + ((value - d0) / span) * (r1 - r0))) as Scale;
  return Object.assign(scale, { domain, range });
}

/**
 * Ticks from 0 to at least max on a 1-2-5 step, about `count` of them: 0, 5, 10, 15 for a max
 * of 13. A max of 0 gives [0, 1] so an empty chart still has an axis.
 */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((candidate) => candidate >= rough) ?? 10 * power;
  const ticks: number[] = [];
  for (let tick = 0; tick < max + step; tick += step) {
    ticks.push(Number(tick.toPrecision(12)));
    if (tick >= max) break;
  }
  return ticks;
}

/** An SVG path through the points (`M x y L x y ...`), coordinates rounded to tenths. */
export function linePath(points: readonly { x: number; y: number }[]): string {
  return points
    .map(
      ({ x, y }, index) => `${index === 0 ? 'M' : 'L'}${Math.round(x * 10) / 10} ${Math.round(y * 10) / 10}`,
    )
    .join(' ');
}

export interface SeriesPoint {
  /** Epoch milliseconds of the bucket's start. */
  at: number;
  values: Record<string, number>;
}

export interface ChartGeometry {
  x: Scale;
  y: Scale;
  ticks: number[];
  paths: Record<string, string>;
}

/** Scales and one path per series key, for a chart of `width` × `height` inside `padding`. */
export function chartGeometry(
  points: readonly SeriesPoint[],
  keys: readonly string[],
  size: {
    width: number;
    height: number;
    padding: { top: number; right: number; bottom: number; left: number };
  },
): ChartGeometry {
  const { width, height, padding } = size;
  const times = points.map((point) => point.at);
  const first = times.length > 0 ? Math.min(...times) : 0;
  const last = times.length > 0 ? Math.max(...times) : 1;
  const max = Math.max(0, ...points.flatMap((point) => keys.map((key) => point.values[key] ?? 0)));
  const ticks = niceTicks(max);
  const x = linearScale([first, last], [padding.left, width - padding.right]);
  const y = linearScale([0, ticks[ticks.length - 1] ?? 1], [height - padding.bottom, padding.top]);
  const paths: Record<string, string> = {};
  for (const key of keys) {
    paths[key] = linePath(points.map((point) => ({ x: x(point.at), y: y(point.values[key] ?? 0) })));
  }
  return { x, y, ticks, paths };
}
