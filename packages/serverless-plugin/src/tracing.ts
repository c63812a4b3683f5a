/**
 * A traced function sends its segments to X-Ray, so every traced function's role needs the same
 * statement. The plugin adds it to each rather than each function listing it.
 */

export const writeTracesStatement = {
  Sid: 'WriteTraces',
  Effect: 'Allow',
  Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
  Resource: '*', // X-Ray supports no resource-level permissions
};

/** Lambda's active tracing is on for a function: its own `tracing`, else the provider's `tracing.lambda`. */
export function isTraced(functionTracing: unknown, providerTracing: unknown): boolean {
  const tracing = functionTracing ?? providerTracing;
  return tracing === true || tracing === 'Active';
}

/** The statements, with the X-Ray one last (once). */
export function withWriteTraces(statements: readonly unknown[]): unknown[] {
  const has = statements.some((s) => (s as { Sid?: unknown } | null)?.Sid === writeTracesStatement.Sid);
  return has ? [...statements] : [...statements, writeTracesStatement];
}
