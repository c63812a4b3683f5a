// Delivery of one matched event to one target, as EventBridge does it: after PutEvents has answered, at least
// once, with a few quick retries and then the target's dead-letter queue (or a logged drop). The transport
// (queue sends, function invocations) is injected, so none of this needs a network.
import { serviceOfArn } from '../aws';
import type { BusTarget } from '../types';
import type { EventBridgeEvent } from './put-events';
import type { TargetInput } from './targets';
import { shapeTargetInput, TargetInputValidationError } from './targets';

/** A target as PutTargets stores it: the routing fields of BusTarget plus what ListTargetsByRule echoes. */
export interface EventBusTarget extends BusTarget {
  roleArn?: string;
  maximumEventAgeInSeconds?: number;
  /** SqsParameters.MessageGroupId, required for a FIFO queue. */
  sqsMessageGroupId?: string;
}

export interface SendMessageOptions {
  messageGroupId?: string;
  messageDeduplicationId?: string;
  /** String message attributes (the dead-letter attributes EventBridge adds). */
  attributes?: Readonly<Record<string, string>>;
}

/** How the bus reaches targets. Throw DeliveryError to say whether a failure is worth retrying. */
export interface DeliveryTransport {
  sendMessage(queueArn: string, body: string, options: SendMessageOptions): Promise<void>;
  /** Asynchronous (Event) invocation; absent when the local cloud runs no functions. */
  invokeFunction?(functionArn: string, payload: unknown): Promise<void>;
}

/**
 * A failed delivery attempt. `code` is one of the ERROR_CODE values EventBridge writes on dead-lettered
 * messages (NO_RESOURCE, INVALID_JSON, ...). Non-retriable failures (the target does not exist) go straight
 * to the dead-letter queue, as on AWS.
 */
export class DeliveryError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retriable: boolean,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export interface RetrySettings {
  /** Upper bound on retries after the first attempt; a target's smaller MaximumRetryAttempts wins. */
  maxRetries?: number;
  /** Delay before the first retry, doubled for each further one. */
  baseDelayMs?: number;
}

/** One matched event on its way to one target of one rule. */
export interface Delivery {
  rule: { readonly name: string; readonly arn: string };
  target: EventBusTarget;
  event: EventBridgeEvent;
  receivedAt: Date;
}

/** AWS's own ceiling and default for MaximumRetryAttempts; local retries are capped far lower. */
export const AWS_MAX_RETRIES = 185;
const AWS_DEFAULT_EVENT_AGE_SECONDS = 86_400;

export class Deliveries {
  private readonly inFlight = new Set<Promise<void>>();
  /** Pending backoff waits, so close() can cut them short. */
  private readonly waits = new Set<() => void>();
  private closed = false;
  private readonly maxRetries: number;
  private readonly baseDelayMs: number;

  constructor(
    private readonly transport: DeliveryTransport,
    private readonly log: (line: string) => void,
    private readonly now: () => Date,
    retry: RetrySettings = {},
  ) {
    this.maxRetries = retry.maxRetries ?? 3;
    this.baseDelayMs = retry.baseDelayMs ?? 100;
  }

  /** Resolves once no delivery (including retries and dead-lettering) is in flight. */
  async drained(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** Stops retrying (pending retries become logged drops) and waits for deliveries under way. */
  async close(): Promise<void> {
    this.closed = true;
    for (const wake of [...this.waits]) wake();
    await this.drained();
  }

  /** Delivers in the background; drained() waits for it. */
  schedule(delivery: Delivery): void {
    const run = (async () => {
      // After the PutEvents answer, as on AWS: a target never sees an event before its sender has the id.
      await new Promise((resolve) => setImmediate(resolve));
      await this.deliver(delivery);
    })().catch((error: unknown) => this.log(`delivery crashed: ${(error as Error)?.stack ?? error}`));
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
  }

  private async deliver(delivery: Delivery): Promise<void> {
    const { rule, target, event } = delivery;
    let input: string;
    try {
      input = shapeTargetInput(targetInput(target), event, {
        ruleName: rule.name,
        ruleArn: rule.arn,
        ingestionTime: delivery.receivedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      });
    } catch (error) {
      if (!(error instanceof TargetInputValidationError)) throw error;
      return this.deadLetter(delivery, new DeliveryError('INVALID_PARAMETER', error.message, false), 0);
    }
    const maxRetries = Math.min(target.maximumRetryAttempts ?? AWS_MAX_RETRIES, this.maxRetries);
    const maxAgeMs = (target.maximumEventAgeInSeconds ?? AWS_DEFAULT_EVENT_AGE_SECONDS) * 1000;
    for (let retries = 0; ; retries++) {
      let failure: DeliveryError;
      try {
        await this.send(target, input, event);
        return;
      } catch (error) {
        failure = asDeliveryError(error);
      }
      if (!failure.retriable) return this.deadLetter(delivery, failure, retries);
      if (retries >= maxRetries) return this.deadLetter(delivery, failure, retries, 'MaximumRetryAttempts');
      const delay = this.baseDelayMs * 2 ** retries;
      if (this.now().getTime() + delay - delivery.receivedAt.getTime() > maxAgeMs) {
        return this.deadLetter(delivery, failure, retries, 'MaximumEventAgeInSeconds');
      }
      if (this.closed || !(await this.wait(delay))) {
        return this.drop(delivery, failure, retries, 'the local event bus stopped');
      }
    }
  }

  private async send(target: EventBusTarget, input: string, event: EventBridgeEvent): Promise<void> {
    const { transport } = this;
    if (serviceOfArn(target.arn) === 'lambda') {
      if (!transport.invokeFunction) {
        throw new DeliveryError(
          'NO_RESOURCE',
          'The local event bus was started without a function invoker.',
          false,
        );
      }
      let payload: unknown;
      try {
        payload = JSON.parse(input);
      } catch {
        throw new DeliveryError(
          'INVALID_JSON',
          'The target input is not JSON, which a function needs.',
          false,
        );
      }
      return transport.invokeFunction(target.arn, payload);
    }
    // FIFO targets get the event id as deduplication id, as EventBridge does.
    const fifo = target.arn.endsWith('.fifo');
    return transport.sendMessage(
      target.arn,
      input,
      fifo ? { messageGroupId: target.sqsMessageGroupId, messageDeduplicationId: event.id } : {},
    );
  }

  /** The dead-letter message is the event itself, with the attributes EventBridge documents. */
  private async deadLetter(
    delivery: Delivery,
    failure: DeliveryError,
    retries: number,
    exhausted?: 'MaximumRetryAttempts' | 'MaximumEventAgeInSeconds',
  ): Promise<void> {
    const { rule, target, event } = delivery;
    if (!target.deadLetterArn)
      return this.drop(delivery, failure, retries, 'no dead-letter queue is configured');
    const attributes: Record<string, string> = {
      RULE_ARN: rule.arn,
      TARGET_ARN: target.arn,
      ERROR_CODE: failure.code,
      ERROR_MESSAGE: failure.message,
      RETRY_ATTEMPTS: String(retries),
      ...(exhausted ? { EXHAUSTED_RETRY_CONDITION: exhausted } : {}),
    };
    try {
      await this.transport.sendMessage(target.deadLetterArn, JSON.stringify(event), { attributes });
      this.log(
        `event ${event.id} for rule ${rule.arn} target ${target.id} (${target.arn}) sent to dead-letter queue ` +
          `${target.deadLetterArn}: ${failure.code}: ${failure.message}`,
      );
    } catch (error) {
      const dlqFailure = asDeliveryError(error);
      this.drop(delivery, failure, retries, `its dead-letter queue failed too: ${dlqFailure.message}`);
    }
  }

  private drop(delivery: Delivery, failure: DeliveryError, retries: number, why: string): void {
    const { rule, target, event } = delivery;
    this.log(
      `DROPPED event ${event.id} for rule ${rule.arn} target ${target.id} (${target.arn}) after ` +
        `${retries + 1} attempt(s), ${why}: ${failure.code}: ${failure.message}`,
    );
  }

  /** Resolves true after `ms`, or false at once when the bus closes meanwhile. */
  private wait(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waits.delete(wake);
        resolve(false);
      };
      const timer = setTimeout(() => {
        this.waits.delete(wake);
        resolve(true);
      }, ms);
      this.waits.add(wake);
    });
  }
}

export function targetInput(target: EventBusTarget): TargetInput {
  return { Input: target.input, InputPath: target.inputPath, InputTransformer: target.inputTransformer };
}

function asDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new DeliveryError('SDK_CLIENT_ERROR', message, true);
}
