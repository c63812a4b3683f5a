/**
 * The local cloud's SES endpoint: aws-ses-v2-local (which accepts and keeps every mail) behind a
 * small front that can make SES refuse mail to chosen recipients, the way SES refuses what it will
 * not send (an unverified recipient while the account is in the sandbox, content it rejects, sending
 * paused): SES v2's SendEmail then answers the error SES would, in its own protocol, and keeps
 * nothing. Without a refusal every request passes to aws-ses-v2-local untouched.
 *
 *   PUT    /_refusals/<address>   {"error"?: "MessageRejected", "message"?: "..."}   refuse from now on
 *   DELETE /_refusals/<address>                                                   accept again
 *   GET    /_refusals                                                             what is refused
 *
 * `error` is one of SendEmail's own errors (MESSAGE_ERRORS, with SES's status for each). A mail is
 * refused when any of its recipients (To, Cc, Bcc) is, compared without regard to case. Tests use it
 * to see what a service does with a mail SES refuses; like the webhook receiver's endpoint settings,
 * it is the test's address to set and to clear.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import { errorAnswer } from './iam/gateway-answers';
import { createUpstream, readRequest, sendAnswer, type FrontRequest } from './iam/gateway-upstream';
import { listenOnLoopback, type PortUse } from './ports';

/** SES v2 SendEmail's errors and the status SES answers each with (the SES API v2 reference). */
export const MESSAGE_ERRORS: Readonly<Record<string, number>> = {
  MessageRejected: 400,
  MailFromDomainNotVerifiedException: 400,
  AccountSuspendedException: 400,
  SendingPausedException: 400,
  LimitExceededException: 400,
  BadRequestException: 400,
  NotFoundException: 404,
  TooManyRequestsException: 429,
};

export interface Refusal {
  error: string;
  message: string;
}

export interface SesFront {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

export interface SesFrontOptions {
  port: number | 'auto';
  use: PortUse;
  log?: (line: string) => void;
}

const REFUSALS = '/_refusals';
const SEND_EMAIL = '/v2/email/outbound-emails';

/** Starts aws-ses-v2-local on a port of its own and the front on `port`. */
export async function startSes(options: SesFrontOptions): Promise<SesFront> {
  const log = options.log ?? ((line: string) => console.error(line));
  const emulator = await startAwsSesV2Local();
  const address = emulator.address();
  const target = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const upstream = createUpstream(target, 'SES front', log);
  const refusals = new Map<string, Refusal>();

  const server = createServer((req, res) => {
    void readRequest(req)
      .then(async (request) => {
        const path = request.path.split('?')[0]!;
        if (path === REFUSALS || path.startsWith(`${REFUSALS}/`))
          return control(request, decodeURIComponent(path.slice(REFUSALS.length + 1)), refusals, res);
        const refusal = request.method === 'POST' && path === SEND_EMAIL && refused(request, refusals);
        if (refusal) return sendAnswer(res, errorAnswer('ses', request, refusalShape(refusal)));
        await upstream.pass(request, res);
      })
      .catch((error: unknown) => {
        log(`SES front: ${req.method} ${req.url}: ${String(error)}`);
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
  });
  // SDK clients keep connections alive; without this a stopped front would wait for them to time out.
  server.keepAliveTimeout = 1000;
  const port = await listenOnLoopback(server, options.port, options.use);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    async stop() {
      await closeServer(server);
      upstream.stop();
      await closeServer(emulator);
    },
  };
}

async function startAwsSesV2Local(): Promise<Server> {
  // aws-ses-v2-local is CommonJS; through ESM interop its default export may arrive wrapped once more.
  type Start = (config: { host: string; port: number }) => Promise<Server>;
  const module = (await import('aws-ses-v2-local')) as unknown as { default: Start | { default: Start } };
  const start = typeof module.default === 'function' ? module.default : module.default.default;
  return start({ host: '127.0.0.1', port: 0 });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** The refusal that applies to a SendEmail request, if any of its recipients is refused. */
function refused(request: FrontRequest, refusals: ReadonlyMap<string, Refusal>): Refusal | undefined {
  if (refusals.size === 0) return undefined;
  let body: { Destination?: Record<string, unknown> };
  try {
    body = JSON.parse(request.body.toString('utf8')) as typeof body;
  } catch {
    // Not JSON: aws-ses-v2-local answers it as it would.
    return undefined;
  }
  const destination = body.Destination ?? {};
  const recipients = ['ToAddresses', 'CcAddresses', 'BccAddresses'].flatMap((field) => {
    const list = destination[field];
    return Array.isArray(list) ? list.filter((item): item is string => typeof item === 'string') : [];
  });
  for (const recipient of recipients) {
    const refusal = refusals.get(recipient.toLowerCase());
    if (refusal) return refusal;
  }
  return undefined;
}

function refusalShape(refusal: Refusal) {
  return { status: MESSAGE_ERRORS[refusal.error]!, code: refusal.error, message: refusal.message };
}

function control(
  request: FrontRequest,
  address: string,
  refusals: Map<string, Refusal>,
  res: ServerResponse,
): void {
  const json = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (request.method === 'GET' && address === '') return json(200, Object.fromEntries(refusals));
  if (address === '')
    return json(404, { message: `${REFUSALS} takes GET; refuse an address at ${REFUSALS}/<address>` });
  if (request.method === 'DELETE') {
    refusals.delete(address.toLowerCase());
    return json(200, {});
  }
  if (request.method !== 'PUT') return json(405, { message: 'PUT or DELETE a refusal' });
  let settings: { error?: unknown; message?: unknown };
  try {
    settings = request.body.length ? (JSON.parse(request.body.toString('utf8')) as typeof settings) : {};
  } catch {
    return json(400, { message: 'the body must be JSON: {"error"?, "message"?}' });
  }
  const error = settings.error ?? 'MessageRejected';
  if (typeof error !== 'string' || !(error in MESSAGE_ERRORS))
    return json(400, { message: `error must be one of ${Object.keys(MESSAGE_ERRORS).join(', ')}` });
  if (settings.message !== undefined && typeof settings.message !== 'string')
    return json(400, { message: 'message must be a string' });
  const refusal = { error, message: settings.message ?? defaultMessage(error, address) };
  refusals.set(address.toLowerCase(), refusal);
  json(200, refusal);
}

/** What SES says, for the error a refusal names without a message of its own. */
function defaultMessage(error: string, address: string): string {
  if (error === 'MessageRejected')
    return `Email address is not verified. The following identities failed the check in region US-EAST-1: ${address}`;
  return `${error} (refused by the local cloud's SES emulator for ${address})`;
}
