/**
 * Runs each route's property: fast-check draws the route's cases from a fixed seed, each is sent
 * and its answer judged (oracle.ts); a failure is shrunk to a smallest request that still fails.
 * Routes run at the same time, their requests sharing one capped pool of connections.
 */
import fc from 'fast-check';
import { localCloud } from '../../setup/local-cloud';
import { isAnswer, RawHttp } from './http';
import type { Ledger } from './ledger';
import { rememberIssuedSecrets, violation } from './oracle';
import { bodyBytes } from './raw-text';
import type { RouteCase } from './requests';
import { routeName, type FuzzRoute } from './routes';
import type { FuzzSettings } from './settings';
import type { FuzzWorld } from './world';

/** Requests spent shrinking a route's failure to a smaller one. */
const SHRINK_STEPS = 150;

export interface RouteReport {
  route: string;
  cases: number;
  /** Answers by status (0: no answer). */
  statuses: Record<number, number>;
  /** Cases API Gateway would have answered itself. */
  gateway: number;
  ms: number;
  /** The smallest failing case and what was wrong, when the property failed. */
  failure?: { why: string; request: string; seed: number; path: string | undefined };
}

/** A request as a person would read it: method, path, headers, and the body's first 600 characters. */
export function describeCase(route: FuzzRoute, sent: RouteCase): string {
  const lines = [`${route.method} ${sent.path} (${route.service})`];
  for (const [name, value] of sent.headers)
    lines.push(`${name}: ${value.length > 120 ? `${value.slice(0, 120)}… (${value.length} chars)` : value}`);
  if (sent.body) {
    const bytes = bodyBytes(sent.body);
    const shown =
      'text' in sent.body
        ? JSON.stringify(sent.body.text.slice(0, 600))
        : bytes.subarray(0, 300).toString('hex');
    lines.push('', `${'text' in sent.body ? sent.body.encoding : 'bytes'} (${bytes.length} bytes): ${shown}`);
  }
  return lines.join('\n');
}

export async function runRouteProperties(
  routes: readonly FuzzRoute[],
  world: FuzzWorld,
  ledger: Ledger,
  settings: FuzzSettings,
  log: (line: string) => void = () => undefined,
): Promise<RouteReport[]> {
  const http = new RawHttp(settings.concurrency);
  const services = localCloud().endpoints.services;
  try {
    return await Promise.all(
      routes.map(async (route): Promise<RouteReport> => {
        const statuses: Record<number, number> = {};
        let cases = 0;
        let gateway = 0;
        const started = performance.now();
        let failed = false;
        let shrinkSteps = 0;
        const property = fc.asyncProperty(route.cases(world), async (sent) => {
          // Each step of shrinking is a request: past the budget, the smallest failure so far stands.
          if (failed && ++shrinkSteps > SHRINK_STEPS) return;
          if (!failed) cases += 1;
          const answer = await http.send(
            services[route.service],
            route.method,
            sent.path,
            sent.headers,
            sent.body === undefined ? undefined : bodyBytes(sent.body),
          );
          const status = isAnswer(answer) ? answer.status : 0;
          statuses[status] = (statuses[status] ?? 0) + 1;
          if (sent.expect.gateway) gateway += 1;
          const why = violation(answer, world.secrets, sent.expect);
          rememberIssuedSecrets(answer, world.secrets);
          if (why) {
            failed = true;
            throw new Error(why);
          }
          if (isAnswer(answer)) route.observe?.(sent, answer, ledger);
        });
        const details = await fc.check(property, {
          seed: settings.seed,
          numRuns: settings.runs,
        });
        const report: RouteReport = {
          route: routeName(route),
          cases,
          statuses,
          gateway,
          ms: performance.now() - started,
        };
        if (details.failed && details.counterexample) {
          const [sent] = details.counterexample;
          const message =
            details.errorInstance instanceof Error
              ? details.errorInstance.message
              : String(details.errorInstance);
          report.failure = {
            why: message,
            request: describeCase(route, sent),
            seed: details.seed,
            path: details.counterexamplePath ?? undefined,
          };
        }
        log(
          `${report.route}: ${cases} cases in ${(report.ms / 1000).toFixed(1)} s, ${JSON.stringify(statuses)}${report.failure ? `, FAILED: ${report.failure.why}` : ''}`,
        );
        return report;
      }),
    );
  } finally {
    http.close();
  }
}
