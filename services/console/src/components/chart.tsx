/** A small line chart of delivery outcomes over time, drawn as SVG (no chart library). */
import { chartGeometry, type SeriesPoint } from '../lib/chart';

const SIZE = { width: 640, height: 220, padding: { top: 12, right: 16, bottom: 28, left: 44 } };
const SERIES = [
  { key: 'succeeded', label: 'Succeeded' },
  { key: 'failed', label: 'Failed' },
] as const;

export function OutcomeChart({ points, title }: { points: SeriesPoint[]; title: string }) {
  const { x, y, ticks, paths } = chartGeometry(
    points,
    SERIES.map((s) => s.key),
    SIZE,
  );
  const totals = SERIES.map(({ key, label }) => ({
    label,
    total: points.reduce((sum, point) => sum + (point.values[key] ?? 0), 0),
  }));
  const first = points[0];
  const last = points[points.length - 1];
  // Over a day, the hour alone is ambiguous: the day is written too.
  const long = first && last ? last.at - first.at > 12 * 3600_000 : false;
  const time = (at: number) =>
    new Date(at).toLocaleString([], {
      ...(long ? { weekday: 'short' } : {}),
      hour: '2-digit',
      minute: '2-digit',
    } as Intl.DateTimeFormatOptions);
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${SIZE.width} ${SIZE.height}`}
        role="img"
        aria-label={`${title}: ${totals.map((t) => `${t.label.toLowerCase()} ${t.total}`).join(', ')}`}
      >
        {ticks.map((tick) => (
          <g key={tick} class="tick">
            <line x1={SIZE.padding.left} x2={SIZE.width - SIZE.padding.right} y1={y(tick)} y2={y(tick)} />
            <text x={SIZE.padding.left - 6} y={y(tick)} dy="0.32em" text-anchor="end">
              {tick}
            </text>
          </g>
        ))}
        {first && last && (
          <g class="tick">
            <text x={x(first.at)} y={SIZE.height - 8} text-anchor="start">
              {time(first.at)}
            </text>
            <text x={x(last.at)} y={SIZE.height - 8} text-anchor="end">
              {time(last.at)}
            </text>
          </g>
        )}
        {SERIES.map(({ key }) => (
          <path key={key} d={paths[key]} class={`line line-${key}`} />
        ))}
      </svg>
      <figcaption>
        {title}.{' '}
        {SERIES.map(({ key, label }) => (
          <span key={key} class={`legend legend-${key}`}>
            {label}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
