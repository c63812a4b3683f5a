type HeaderMap = Record<string, string | number | boolean | undefined>;

/** Case-insensitive lookup: some middlewares run before header normalisation. */
export function getHeader(headers: HeaderMap | null | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted && value !== undefined) return String(value);
  }
  return undefined;
}

/** Sets a header under its lower-case name, dropping other spellings so it is never sent twice. */
export function setHeader(headers: HeaderMap, name: string, value: string): void {
  const lower = name.toLowerCase();
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() === lower && key !== lower) delete headers[key];
  }
  headers[lower] = value;
}

export interface HttpResponseLike {
  statusCode?: number;
  headers?: HeaderMap;
  body?: unknown;
}

/** The response as an object with a headers map, whatever shape the inner layers left it in. */
export function responseWithHeaders(
  response: unknown,
): HttpResponseLike & { headers: HeaderMap; statusCode: number } {
  const shaped: HttpResponseLike =
    typeof response === 'object' && response !== null && ('statusCode' in response || 'headers' in response)
      ? (response as HttpResponseLike)
      : { statusCode: 200, body: response };
  shaped.statusCode ??= 200;
  shaped.headers ??= {};
  return shaped as HttpResponseLike & { headers: HeaderMap; statusCode: number };
}
