/**
 * The service's CloudWatch dashboard: what the plugin knows of the service (its HTTP API, queues,
 * dead-letter queues, functions and alarms), then the graphs the service declares. CloudWatch takes
 * the body as JSON text, so names and ARNs known only at deploy time are joined into it.
 */
import { getAtt, ref } from './cloudformation';
import type { Resource, Resources } from './cloudformation';
import type { WidgetDeclaration } from './declarations';

export const DASHBOARD_ID = 'Dashboard';

export interface DashboardFacts {
  /** Logical id of the AWS::ApiGatewayV2::Api, when the service has one. */
  httpApi?: string | undefined;
  /** Queues that hold work, and dead-letter queues, by logical id. */
  queues: string[];
  deadLetterQueues: string[];
  /** AWS::Lambda::Function logical ids. */
  functions: string[];
  alarms: string[];
}

type Widget = Record<string, unknown>;
const WIDTH = 12;
const HEIGHT = 6;
/** CloudWatch's alarm status widget takes at most this many alarms. */
const MAX_ALARMS = 100;

function graph(title: string, metrics: unknown[][], stat = 'Sum', period = 60, view = 'timeSeries'): Widget {
  return {
    type: 'metric',
    properties: { title, view, stacked: false, region: ref('AWS::Region'), stat, period, metrics },
  };
}

const perQueue = (queues: string[], metric: string) =>
  queues.map((id) => ['AWS/SQS', metric, 'QueueName', getAtt(id, 'QueueName')]);
const perFunction = (functions: string[], metric: string) =>
  functions.map((id) => ['AWS/Lambda', metric, 'FunctionName', ref(id)]);

export function dashboardWidgets(facts: DashboardFacts, declared: readonly WidgetDeclaration[]): Widget[] {
  const widgets: Widget[] = [];
  if (facts.httpApi) {
    const api = ref(facts.httpApi);
    widgets.push(
      graph('HTTP requests (per minute)', [['AWS/ApiGateway', 'Count', 'ApiId', api]]),
      graph('HTTP 4xx and 5xx (per minute)', [
        ['AWS/ApiGateway', '4xx', 'ApiId', api],
        ['AWS/ApiGateway', '5xx', 'ApiId', api],
      ]),
    );
  }
  if (facts.queues.length > 0) {
    widgets.push(
      graph(
        'Queue depth (visible messages)',
        perQueue(facts.queues, 'ApproximateNumberOfMessagesVisible'),
        'Maximum',
      ),
      graph(
        'Age of the oldest message (s)',
        perQueue(facts.queues, 'ApproximateAgeOfOldestMessage'),
        'Maximum',
      ),
    );
  }
  if (facts.deadLetterQueues.length > 0) {
    widgets.push(
      graph(
        'Dead-letter queue depth',
        perQueue(facts.deadLetterQueues, 'ApproximateNumberOfMessagesVisible'),
        'Maximum',
      ),
    );
  }
  for (const declaredWidget of declared) {
    const { title, metrics, stat, period, view } = declaredWidget;
    widgets.push(graph(title, metrics, stat, period, view));
  }
  if (facts.functions.length > 0) {
    widgets.push(
      graph('Function errors', perFunction(facts.functions, 'Errors')),
      graph('Function throttles', perFunction(facts.functions, 'Throttles')),
    );
  }
  const laidOut: Widget[] = widgets.map((widget, index) => ({
    ...widget,
    x: (index % 2) * WIDTH,
    y: Math.floor(index / 2) * HEIGHT,
    width: WIDTH,
    height: HEIGHT,
  }));
  if (facts.alarms.length > 0) {
    laidOut.push({
      type: 'alarm',
      x: 0,
      y: Math.ceil(widgets.length / 2) * HEIGHT,
      width: 2 * WIDTH,
      height: HEIGHT,
      properties: {
        title: 'Alarms',
        alarms: facts.alarms.slice(0, MAX_ALARMS).map((id) => getAtt(id, 'Arn')),
      },
    });
  }
  return laidOut;
}

export function dashboardResource(name: string, widgets: Widget[]): Resource {
  return {
    Type: 'AWS::CloudWatch::Dashboard',
    Properties: { DashboardName: name, DashboardBody: jsonWithIntrinsics({ widgets }) },
  };
}

const isIntrinsic = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.keys(value).length === 1 &&
  /^(Ref|Fn::.+)$/.test(Object.keys(value)[0]!);

/**
 * JSON text of `value`, as a string when it holds no intrinsic function, else an `Fn::Join` that
 * puts each intrinsic's value (a string) where it stands.
 */
export function jsonWithIntrinsics(value: unknown): string | { 'Fn::Join': [string, unknown[]] } {
  const intrinsics: unknown[] = [];
  const marker = (index: number) => `\u0000intrinsic:${index}\u0000`;
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (!isIntrinsic(v)) return v;
    intrinsics.push(v);
    return marker(intrinsics.length - 1);
  });
  if (intrinsics.length === 0) return text;
  // JSON.stringify writes the marker's NULs as \u0000; each marker sits inside its own quotes.
  const parts = text.split(/\\u0000intrinsic:(\d+)\\u0000/);
  const joined = parts.map((part, index) => (index % 2 === 1 ? intrinsics[Number(part)] : part));
  return { 'Fn::Join': ['', joined.filter((part) => part !== '')] };
}

/** The dashboard's facts from the finished template and what the service declared. */
export function dashboardFacts(resources: Resources, deadLetterQueues: ReadonlySet<string>): DashboardFacts {
  const ofType = (type: string) =>
    Object.entries(resources)
      .filter(([, resource]) => resource.Type === type)
      .map(([id]) => id);
  const queues = ofType('AWS::SQS::Queue');
  return {
    httpApi: ofType('AWS::ApiGatewayV2::Api')[0],
    queues: queues.filter((id) => !deadLetterQueues.has(id)),
    deadLetterQueues: queues.filter((id) => deadLetterQueues.has(id)),
    functions: ofType('AWS::Lambda::Function'),
    alarms: ofType('AWS::CloudWatch::Alarm'),
  };
}
