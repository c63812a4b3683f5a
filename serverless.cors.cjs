'use strict';
/**
 * The CORS rules of a service's HTTP API (provider.httpApi.cors), from the stage's `allowedOrigins`
 * param: the origins, separated by commas, whose pages may call the API from a browser (the console's).
 * A param rather than a list in serverless.yml so that `--param allowedOrigins=a,b` sets several, as
 * `alarmSubscribers` does. Empty means no browser may call the API (no CORS rules at all). A wildcard is
 * refused: every route takes a bearer token, and any page could then spend a user's.
 */
const ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Correlation-Id'];
// What a browser's script may read of an answer: the retry hints, where a created thing is, whether
// an idempotent request was replayed, why a token was refused, and the id to quote in a report.
const EXPOSED_HEADERS = [
  'Retry-After',
  'Location',
  'Idempotent-Replayed',
  'WWW-Authenticate',
  'X-Correlation-Id',
];
const METHODS = ['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS'];
const PREFLIGHT_CACHE_SECONDS = 3600;

function corsRules(allowedOrigins) {
  const origins = String(allowedOrigins ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  if (origins.length === 0) return false;
  for (const origin of origins) {
    if (origin.includes('*')) throw new Error(`allowedOrigins may not hold a wildcard: ${origin}`);
    const parsed = new URL(origin);
    if (parsed.origin !== origin) {
      throw new Error(
        `allowedOrigins holds ${origin}, which is not an origin (did you mean ${parsed.origin}?)`,
      );
    }
  }
  return {
    allowedOrigins: origins,
    allowedHeaders: ALLOWED_HEADERS,
    allowedMethods: METHODS,
    exposedResponseHeaders: EXPOSED_HEADERS,
    maxAge: PREFLIGHT_CACHE_SECONDS,
  };
}

module.exports = async ({ resolveVariable }) => corsRules(await resolveVariable('param:allowedOrigins'));
module.exports.corsRules = corsRules;
