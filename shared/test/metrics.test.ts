import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { createMetrics, MetricUnit } from '../src/metrics';
import { captureLogs } from '../src/testing/http';

let logs: ReturnType<typeof captureLogs>;
const savedService = process.env.POWERTOOLS_SERVICE_NAME;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => {
  logs.restore();
  if (savedService === undefined) delete process.env.POWERTOOLS_SERVICE_NAME;
  else process.env.POWERTOOLS_SERVICE_NAME = savedService;
});

/** The one EMF line the flush wrote, as CloudWatch reads it. */
function emitted(): Record<string, unknown> {
  const lines = logs
    .text()
    .split('\n')
    .filter((line) => line.includes('"_aws"'));
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as Record<string, unknown>;
}

describe('createMetrics', () => {
  test("'service': namespace as given, one dimension set holding the service name", () => {
    process.env.POWERTOOLS_SERVICE_NAME = 'processing';
    const metrics = createMetrics({ namespace: 'Herald', dimensions: 'service' });
    metrics.addMetric('EventsStored', MetricUnit.Count, 1);
    metrics.addMetric('EventsStored', MetricUnit.Count, 1);
    metrics.addMetric('DuplicateEvents', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
    expect(emitted()).toEqual({
      _aws: {
        Timestamp: expect.any(Number),
        CloudWatchMetrics: [
          {
            Namespace: 'Herald',
            Dimensions: [['service']],
            Metrics: [
              { Name: 'EventsStored', Unit: 'Count' },
              { Name: 'DuplicateEvents', Unit: 'Count' },
            ],
          },
        ],
      },
      service: 'processing',
      EventsStored: [1, 1],
      DuplicateEvents: 1,
    });
  });

  test("'none': one empty dimension set and no service key, as alarms without dimensions read them", () => {
    process.env.POWERTOOLS_SERVICE_NAME = 'notifications';
    const metrics = createMetrics({ namespace: 'Herald/Notifications', dimensions: 'none' });
    metrics.addMetric('DeliveriesSucceeded', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
    const line = logs
      .text()
      .split('\n')
      .find((text) => text.includes('"_aws"'))!;
    // The exact text CloudWatch parses, not only its parsed form.
    expect(line).toContain('"Dimensions":[[]]');
    expect(emitted()).toEqual({
      _aws: {
        Timestamp: expect.any(Number),
        CloudWatchMetrics: [
          {
            Namespace: 'Herald/Notifications',
            Dimensions: [[]],
            Metrics: [{ Name: 'DeliveriesSucceeded', Unit: 'Count' }],
          },
        ],
      },
      DeliveriesSucceeded: 1,
    });
  });

  test('each flush writes only what was counted since the last one', () => {
    const metrics = createMetrics({ namespace: 'Herald/Notifications', dimensions: 'none' });
    metrics.addMetric('DeliveriesFailed', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
    metrics.addMetric('DeliveriesSucceeded', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
    const lines = logs
      .text()
      .split('\n')
      .filter((line) => line.includes('"_aws"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map(({ _aws: _, ...values }) => values)).toEqual([
      { DeliveriesFailed: 1 },
      { DeliveriesSucceeded: 1 },
    ]);
    expect(
      lines.map(
        (line) =>
          (line._aws as { CloudWatchMetrics: Array<{ Dimensions: unknown }> }).CloudWatchMetrics[0]!
            .Dimensions,
      ),
    ).toEqual([[[]], [[]]]);
  });

  test('without a service name in the environment the dimension is the logger’s fallback', () => {
    delete process.env.POWERTOOLS_SERVICE_NAME;
    const metrics = createMetrics({ namespace: 'Herald', dimensions: 'service' });
    metrics.addMetric('EventsPublished', MetricUnit.Count, 3);
    metrics.publishStoredMetrics();
    expect(emitted()).toMatchObject({ service: 'herald', EventsPublished: 3 });
  });

  test("CloudWatch's limits: a hundred values of one metric are written at once, a second unit is refused", () => {
    const metrics = createMetrics({ namespace: 'Herald/Notifications', dimensions: 'none' });
    for (let i = 0; i < 100; i++) metrics.addMetric('DeliveryLatency', MetricUnit.Milliseconds, i);
    expect(metrics.hasStoredMetrics()).toBe(false);
    expect(emitted()).toMatchObject({ DeliveryLatency: Array.from({ length: 100 }, (_, i) => i) });
    metrics.addMetric('DeliveryLatency', MetricUnit.Milliseconds, 1);
    expect(() => metrics.addMetric('DeliveryLatency', MetricUnit.Count, 1)).toThrow(/unit/);
  });
});
