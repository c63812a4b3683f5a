/**
 * Calls made together go to AWS as one request. dispatch and deliver run a batch's records side by
 * side, so the records reach the same step at about the same moment: each asks for its stored event
 * to be kept, its tenant's subscriptions read, its tasks queued, its subscription read, its delivery
 * slot reserved. A coalesced port gathers the calls made until the event loop is next idle (and,
 * with `windowMs`, up to that long after the first), makes one request for all of them
 * (BatchWriteItem, one Query per tenant, SendMessageBatch, one GetItem per subscription, one slot
 * update per subscription, one BatchGetItem for deliver's subscriptions and deliveries), and settles each caller with its own part: its value, or its error
 * alone. What a caller sees is what the port would have answered it alone; only the number of
 * requests changes (dispatch and deliver log them in `awsCalls`).
 */

export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

interface Waiting<I, O> {
  input: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

/**
 * `flush` gets every input gathered (in call order) and answers one settlement per input, in the same
 * order; if it throws, every caller of that flush gets its error.
 */
export function coalesce<I, O>(
  flush: (inputs: readonly I[]) => Promise<ReadonlyArray<Settled<O>>>,
  options: { windowMs?: number } = {},
): (input: I) => Promise<O> {
  let waiting: Array<Waiting<I, O>> = [];
  const run = () => {
    const taken = waiting;
    waiting = [];
    flush(taken.map((call) => call.input)).then(
      (results) =>
        taken.forEach((call, i) => {
          const result = results[i];
          if (result === undefined) call.reject(new Error('coalesce: no result for a call'));
          else if (result.ok) call.resolve(result.value);
          else call.reject(result.error);
        }),
      (error: unknown) => taken.forEach((call) => call.reject(error)),
    );
  };
  return (input) =>
    new Promise<O>((resolve, reject) => {
      waiting.push({ input, resolve, reject });
      if (waiting.length > 1) return;
      if (options.windowMs) setTimeout(run, options.windowMs);
      else setImmediate(run);
    });
}

/**
 * Calls with the same key gathered together share one call of `load` (each caller gets its own copy
 * of the value, so none sees another's changes); different keys run side by side.
 */
export function coalesceByKey<I, O>(
  keyOf: (input: I) => string,
  load: (input: I) => Promise<O>,
  options: { windowMs?: number } = {},
): (input: I) => Promise<O> {
  return coalesce<I, O>(async (inputs) => {
    const byKey = new Map<string, Promise<O>>();
    for (const input of inputs) {
      const key = keyOf(input);
      if (!byKey.has(key)) byKey.set(key, load(input));
    }
    const given = new Set<string>();
    return Promise.all(
      inputs.map((input) => {
        const key = keyOf(input);
        return byKey.get(key)!.then(
          (value): Settled<O> => {
            const first = !given.has(key);
            given.add(key);
            return { ok: true, value: first ? value : structuredClone(value) };
          },
          (error: unknown): Settled<O> => ({ ok: false, error }),
        );
      }),
    );
  }, options);
}
