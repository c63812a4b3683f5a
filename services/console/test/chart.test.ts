import { describe, expect, test } from '@jest/globals';
import { chartGeometry, linearScale, linePath, niceTicks } from '../src/lib/chart';

describe('chart scaling', () => {
  test('a linear scale maps the domain onto the range, inverted ranges included', () => {
    const y = linearScale([0, 10], [200, 0]);
    expect(y(0)).toBe(200);
    expect(y(10)).toBe(0);
    expect(y(2.5)).toBe(150);
    expect(linearScale([5, 5], [10, 20])(5)).toBe(10);
  });

  test.each([
    [13, 4, [0, 5, 10, 15]],
    [100, 4, [0, 25, 50, 75, 100].filter((t) => t % 50 === 0)],
    [1, 4, [0, 0.5, 1]],
    [7, 4, [0, 2, 4, 6, 8]],
    [0, 4, [0, 1]],
  ])('ticks for max %d', (max, count, ticks) => {
    expect(niceTicks(max, count)).toEqual(ticks);
  });

  test('ticks always reach the max', () => {
    for (const max of [1, 3, 9, 11, 99, 101, 999, 12345]) {
      const ticks = niceTicks(max);
      expect(ticks[ticks.length - 1]!).toBeGreaterThanOrEqual(max);
      expect(ticks[0]).toBe(0);
    }
  });

  test('a path moves to the first point and draws lines to the others', () => {
    expect(
      linePath([
        { x: 0, y: 1.234 },
        { x: 10.06, y: 5 },
      ]),
    ).toBe('M0 1.2 L10.1 5');
    expect(linePath([])).toBe('');
  });

  test('geometry: time on x, counts on y from 0 to the top tick', () => {
    const size = { width: 100, height: 50, padding: { top: 0, right: 0, bottom: 0, left: 0 } };
    const { x, y, ticks, paths } = chartGeometry(
      [
        { at: 0, values: { ok: 0, ko: 2 } },
        { at: 60_000, values: { ok: 10, ko: 0 } },
      ],
      ['ok', 'ko'],
      size,
    );
    expect(ticks).toEqual([0, 5, 10]);
    expect(x(0)).toBe(0);
    expect(x(60_000)).toBe(100);
    expect(y(10)).toBe(0);
    expect(paths).toEqual({ ok: 'M0 50 L100 0', ko: 'M0 40 L100 50' });
  });

  test('geometry of no points is an empty chart with an axis', () => {
    const size = { width: 100, height: 50, padding: { top: 0, right: 0, bottom: 0, left: 0 } };
    expect(chartGeometry([], ['ok'], size)).toMatchObject({ ticks: [0, 1], paths: { ok: '' } });
  });
});
