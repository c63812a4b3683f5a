/**
 * How the IAM gateway reaches SQS: each call straight to fauxqs, except the operations the SQS front
 * answers itself (message moves, ListDeadLetterSourceQueues), which go to the front. A send's group
 * ids are handed to the fair queues first, as the front does for its own clients.
 *
 * The gateway has read and judged the whole request already; through the front it would cross one
 * more HTTP server on the local cloud's thread, which at a few SQS calls an event was a measurable
 * part of that thread's work.
 */
import type { ServerResponse } from 'node:http';
import { createUpstream, type FrontRequest, type Upstream } from '../iam/gateway-upstream';
import { expectGroupsOfSend, FRONT_TARGETS } from './index';

export function sqsGatewayUpstream(options: {
  /** The SQS front's endpoint. */
  front: string;
  /** fauxqs's own endpoint. */
  fauxqs: string;
  log: (line: string) => void;
}): Upstream {
  const front = createUpstream(options.front, 'IAM gateway (sqs) to the SQS front', options.log);
  const fauxqs = createUpstream(options.fauxqs, 'IAM gateway (sqs)', options.log);
  const route = (request: FrontRequest) =>
    FRONT_TARGETS.has(String(request.headers['x-amz-target'])) ? front : fauxqs;
  return {
    async pass(request: FrontRequest, res: ServerResponse, body = request.body) {
      res.once('close', expectGroupsOfSend(request.headers['x-amz-target'], body));
      await route(request).pass(request, res, body);
    },
    async forwardBuffered(request: FrontRequest, body = request.body) {
      const forget = expectGroupsOfSend(request.headers['x-amz-target'], body);
      try {
        return await route(request).forwardBuffered(request, body);
      } finally {
        forget();
      }
    },
    stop() {
      front.stop();
      fauxqs.stop();
    },
  };
}
