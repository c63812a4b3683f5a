/**
 * Counts the AWS calls a function makes, by service and operation, so each batch's summary log says
 * what it cost (the benchmark adds them up per delivered webhook).
 */
interface MiddlewareClient {
  middlewareStack: {
    add(
      middleware: (
        next: (args: unknown) => Promise<unknown>,
        context: { commandName?: string },
      ) => (args: unknown) => Promise<unknown>,
      options: { step: 'initialize'; name: string },
    ): void;
  };
}

const counts = new Map<string, number>();
const counted = new WeakSet<object>();

export function countCalls<T>(client: T, service: string): T {
  const target = client as unknown as MiddlewareClient;
  if (counted.has(target)) return client;
  counted.add(target);
  target.middlewareStack.add(
    (next, context) => async (args) => {
      const name = `${service}.${context.commandName?.replace(/Command$/, '') ?? 'unknown'}`;
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'heraldCallCounter' },
  );
  return client;
}

/** The calls counted since the last take, and the count reset. */
export function takeCallCounts(): Record<string, number> {
  const taken = Object.fromEntries(counts);
  counts.clear();
  return taken;
}
