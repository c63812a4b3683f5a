/**
 * Counts the AWS calls a function makes, by service and operation (`DynamoDB.UpdateItem`), so each
 * invocation's summary log line says what its work cost in AWS requests; `npm run bench -- cost`
 * adds them up per stored event and per delivered webhook. Every service's wiring module counts the
 * clients it builds; the handler whose work is per event takes the counts into its summary line.
 *
 * One command is one count, whatever the SDK retries underneath: what Herald's code asks for.
 * The counts are per container, and a container runs one invocation at a time, so what a take
 * returns is what the invocation since the previous take called (cold-start reads included).
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

/** A set of counts of its own: one client counted by two counters counts in both. */
export interface CallCounter {
  /** `client`, each command it sends counted under `<service>.<operation>`; counting twice is a no-op. */
  count<T extends object>(client: T, service: string): T;
  /** Every call counted so far (a copy: diff two to measure a span). */
  snapshot(): Record<string, number>;
  /** The calls counted since the last take, and the counts reset. */
  take(): Record<string, number>;
}

let counters = 0;

export function createCallCounter(): CallCounter {
  const counts = new Map<string, number>();
  const counted = new WeakSet<object>();
  // Each counter's middleware needs a name of its own on a client's stack.
  const middlewareName = `heraldCallCounter${++counters}`;
  return {
    count(client, service) {
      const target = client as unknown as MiddlewareClient;
      if (counted.has(target)) return client;
      counted.add(target);
      // Commands are named `<Operation>Command`: the name is built once per operation, not per call.
      const names = new Map<string | undefined, string>();
      target.middlewareStack.add(
        (next, context) => (args) => {
          let name = names.get(context.commandName);
          if (name === undefined) {
            name = `${service}.${context.commandName?.replace(/Command$/, '') ?? 'unknown'}`;
            names.set(context.commandName, name);
          }
          counts.set(name, (counts.get(name) ?? 0) + 1);
          return next(args);
        },
        { step: 'initialize', name: middlewareName },
      );
      return client;
    },
    snapshot: () => Object.fromEntries(counts),
    take() {
      const taken = Object.fromEntries(counts);
      counts.clear();
      return taken;
    },
  };
}

/** The counter of this container's functions: the wiring module counts, the handler takes. */
const functionCalls = /* @__PURE__ */ createCallCounter();

/** `client`, counting each command it sends under `<service>.<operation>`; counting twice is a no-op. */
export function countCalls<T extends object>(client: T, service: string): T {
  return functionCalls.count(client, service);
}

/** The calls counted since the last take, by `<service>.<operation>`, and the counts reset. */
export function takeCallCounts(): Record<string, number> {
  return functionCalls.take();
}
