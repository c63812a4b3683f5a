// One function's container, inside a worker thread (see container.ts, which starts it): imports the
// handler's module once, then runs one invocation at a time, as a Lambda execution environment does.
// Plain JavaScript: it runs on the bare Node runtime, as the function's bundle does in Lambda, with no
// TypeScript loader in the thread.
import { randomUUID } from 'node:crypto';
import { openSync, writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

/** @type {{ modulePath: string, exportName: string, functionName: string, functionArn: string, memorySize: number, logFile?: string }} */
const spec = workerData;

// The function's lines go straight to its service's log, from this thread: a worker's stdout is
// carried to the host's thread a message at a time, and a few JSON lines an event cost the host
// (which runs the emulators and fronts too) a tenth of its work. Whole lines, each in one write to a
// file opened for appending, so lines of containers writing at once never interleave.
if (spec.logFile) {
  const fd = openSync(spec.logFile, 'a');
  for (const stream of [process.stdout, process.stderr]) {
    let rest = '';
    stream.write = (chunk, encoding, callback) => {
      const text = rest + (typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const end = text.lastIndexOf('\n');
      rest = text.slice(end + 1);
      if (end >= 0) writeSync(fd, text.slice(0, end + 1));
      const done = typeof encoding === 'function' ? encoding : callback;
      if (done) queueMicrotask(() => done());
      return true;
    };
    // A last line without its newline (a crash's last words) is written as the thread ends.
    process.on('exit', () => {
      if (rest) writeSync(fd, `${rest}\n`);
      rest = '';
    });
  }
}

// NODE_OPTIONS does not reach a worker thread's runtime (only its process.env): honour the one flag
// the services set, so stack traces point at the TypeScript as they do in Lambda.
if (/--enable-source-maps\b/.test(process.env.NODE_OPTIONS ?? '')) process.setSourceMapsEnabled(true);

/** Lambda's error shape, from whatever was thrown. */
function describe(error, fallbackType) {
  if (error instanceof Error) {
    return {
      errorType: error.name && error.name !== 'Error' ? error.name : (fallbackType ?? 'Error'),
      errorMessage: error.message,
      trace: String(error.stack ?? '').split('\n'),
    };
  }
  return { errorType: fallbackType ?? 'Error', errorMessage: String(error), trace: [] };
}

// A rejection or exception nothing handled ends the runtime, as in Lambda: the invocation fails and
// the container is replaced. The host hears why before the thread exits.
process.on('unhandledRejection', (reason) => {
  parentPort.postMessage({ type: 'crash', ...describe(reason, 'Runtime.UnhandledPromiseRejection') });
  process.exit(128);
});
process.on('uncaughtException', (error) => {
  parentPort.postMessage({ type: 'crash', ...describe(error, 'Runtime.UncaughtException') });
  process.exit(129);
});

let handler;
try {
  const module = await import(pathToFileURL(spec.modulePath).href);
  handler = module[spec.exportName];
  if (typeof handler !== 'function') {
    const error = new Error(`${spec.modulePath} does not export a function named ${spec.exportName}`);
    error.name = 'Runtime.HandlerNotFound';
    throw error;
  }
} catch (error) {
  parentPort.postMessage({
    type: 'init-error',
    ...describe(error, 'Runtime.ImportModuleError'),
  });
  process.exit(1);
}
parentPort.postMessage({ type: 'ready' });

parentPort.on('message', async (message) => {
  const { id, event, deadline, requestId } = message;
  const context = {
    awsRequestId: requestId ?? randomUUID(),
    functionName: spec.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: spec.functionArn,
    memoryLimitInMB: String(spec.memorySize),
    logGroupName: `/aws/lambda/${spec.functionName}`,
    logStreamName: `local/[$LATEST]${spec.functionName}`,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, Math.floor(deadline - Date.now())),
  };
  let outcome;
  try {
    const result = await new Promise((resolve, reject) => {
      // Callback-style handlers answer through the third argument; async ones through their promise.
      const callback = (error, value) => (error ? reject(error) : resolve(value));
      Object.assign(context, {
        done: callback,
        fail: (error) => callback(error ?? new Error('failed')),
        succeed: (value) => callback(null, value),
      });
      const returned = handler(event, context, callback);
      if (returned && typeof returned.then === 'function') returned.then(resolve, reject);
    });
    // The answer crosses as JSON, as Lambda's does (functions, symbols and undefined fields drop out).
    outcome = { type: 'result', id, json: result === undefined ? undefined : JSON.stringify(result) };
  } catch (error) {
    outcome = { type: 'error', id, ...describe(error) };
  }
  parentPort.postMessage(outcome);
});
