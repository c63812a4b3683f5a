// The local event bus: event buses, rules and targets as EventBridge keeps them, and the routing of every
// accepted event to the targets of the enabled rules it matches. Delivery happens after PutEvents has answered,
// at least once, with a few quick retries and then the target's dead-letter queue (or a logged drop).
// The transport (queue sends, function invocations) is injected, so none of this needs a network.
import { compilePattern, InvalidEventPatternError } from '@herald/event-pattern';
import { AwsError } from '../aws-json-protocol';
import type { BusRule, BusTarget } from '../types';
import type { EventBridgeEvent, PutEventsRequest, PutEventsResponse } from './put-events';
import { putEvents, PutEventsValidationError } from './put-events';
import type { TargetInput } from './targets';
import { shapeTargetInput, TargetInputValidationError, validateTargetInput } from './targets';

export const DEFAULT_BUS = 'default';

/** A target as PutTargets stores it: the routing fields of BusTarget plus what ListTargetsByRule echoes. */
export interface EventBusTarget extends BusTarget {
  roleArn?: string;
  maximumEventAgeInSeconds?: number;
  /** SqsParameters.MessageGroupId, required for a FIFO queue. */
  sqsMessageGroupId?: string;
}

export interface EventBusRule extends BusRule {
  targets: EventBusTarget[];
  /** EventPattern as PutRule received it (AWS echoes the text, not a re-serialisation). */
  eventPatternText?: string;
  /** Kept and echoed; the local bus never runs schedules. */
  scheduleExpression?: string;
  description?: string;
  roleArn?: string;
}

export interface EventBusInfo {
  name: string;
  arn: string;
  description?: string;
  kmsKeyIdentifier?: string;
  deadLetterArn?: string;
  creationTime: Date;
  lastModifiedTime: Date;
}

export interface PutRuleInput {
  name: string;
  /** A bus name or ARN; the default bus when absent. */
  eventBusName?: string;
  /** JSON text as the API takes it, or an already parsed pattern (from a template). */
  eventPattern?: string | object;
  scheduleExpression?: string;
  state?: string;
  description?: string;
  roleArn?: string;
}

export interface CreateEventBusInput {
  name: string;
  description?: string;
  kmsKeyIdentifier?: string;
  deadLetterArn?: string;
}

/** A PutTargets / RemoveTargets per-target failure. */
export interface TargetFailure {
  targetId: string;
  errorCode: string;
  errorMessage: string;
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

export interface EventBusOptions {
  transport: DeliveryTransport;
  account: string;
  region: string;
  log?: (line: string) => void;
  retry?: RetrySettings;
  now?: () => Date;
  newEventId?: () => string;
}

interface BusRecord {
  info: EventBusInfo;
  rules: Map<string, StoredRule>;
}

interface StoredRule {
  rule: EventBusRule;
  /** Compiled once per PutRule; every event on the bus is tested against it. */
  matches: (event: unknown) => boolean;
}

interface Delivery {
  rule: EventBusRule;
  target: EventBusTarget;
  event: EventBridgeEvent;
  receivedAt: Date;
}

interface NamePattern {
  readonly regex: RegExp;
  /** As AWS quotes it in the ValidationException. */
  readonly text: string;
}
const RULE_NAME: NamePattern = { regex: /^[.\-_A-Za-z0-9]{1,64}$/, text: '[\\.\\-_A-Za-z0-9]+' };
// Custom bus names cannot contain '/', which only partner buses use.
const BUS_NAME: NamePattern = { regex: /^[.\-_A-Za-z0-9]{1,256}$/, text: '[\\.\\-_A-Za-z0-9]+' };
const TARGET_ID: NamePattern = RULE_NAME;
const RULE_STATES = ['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'];
const MAX_TARGETS_PER_RULE = 5;
const MAX_TARGETS_PER_CALL = 10;
/** AWS's own ceiling and default for MaximumRetryAttempts; local retries are capped far lower. */
const AWS_MAX_RETRIES = 185;
const AWS_DEFAULT_EVENT_AGE_SECONDS = 86_400;

function validation(message: string): AwsError {
  return new AwsError('ValidationException', message);
}

function checkName(value: string, pattern: NamePattern, member: string): void {
  if (!pattern.regex.test(value)) {
    throw validation(
      `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ` +
        `Member must satisfy regular expression pattern: ${pattern.text}`,
    );
  }
}

/** "arn:aws:events:us-east-1:123456789012:event-bus/orders" names the bus "orders". */
export function busNameOf(nameOrArn: string | undefined): string {
  if (nameOrArn === undefined || nameOrArn === '') return DEFAULT_BUS;
  return /^arn:[^:]+:events:[^:]*:[^:]*:event-bus\/(.+)$/.exec(nameOrArn)?.[1] ?? nameOrArn;
}

const serviceOf = (arn: string): string | undefined => /^arn:[^:]+:([^:]+):/.exec(arn)?.[1];

export class EventBus {
  private readonly buses = new Map<string, BusRecord>();
  private readonly inFlight = new Set<Promise<void>>();
  /** Pending backoff waits, so close() can cut them short. */
  private readonly waits = new Set<() => void>();
  private closed = false;
  private readonly log: (line: string) => void;
  private readonly now: () => Date;
  private readonly maxRetries: number;
  private readonly baseDelayMs: number;

  constructor(private readonly options: EventBusOptions) {
    this.log = options.log ?? ((line) => console.log(`[eventbridge] ${line}`));
    this.now = options.now ?? (() => new Date());
    this.maxRetries = options.retry?.maxRetries ?? 3;
    this.baseDelayMs = options.retry?.baseDelayMs ?? 100;
    const created = this.now();
    this.buses.set(DEFAULT_BUS, {
      info: {
        name: DEFAULT_BUS,
        arn: this.busArn(DEFAULT_BUS),
        creationTime: created,
        lastModifiedTime: created,
      },
      rules: new Map(),
    });
  }

  // Event buses

  createEventBus(input: CreateEventBusInput): EventBusInfo {
    checkName(input.name, BUS_NAME, 'name');
    if (this.buses.has(input.name)) {
      throw new AwsError('ResourceAlreadyExistsException', `Event bus ${input.name} already exists.`);
    }
    const created = this.now();
    const info: EventBusInfo = {
      name: input.name,
      arn: this.busArn(input.name),
      description: input.description,
      kmsKeyIdentifier: input.kmsKeyIdentifier,
      deadLetterArn: input.deadLetterArn,
      creationTime: created,
      lastModifiedTime: created,
    };
    this.buses.set(input.name, { info, rules: new Map() });
    return { ...info };
  }

  describeEventBus(nameOrArn?: string): EventBusInfo {
    return { ...this.bus(nameOrArn).info };
  }

  /** Deleting a bus deletes its rules; deleting one that does not exist succeeds, as on AWS. */
  deleteEventBus(nameOrArn: string): void {
    const name = busNameOf(nameOrArn);
    if (name === DEFAULT_BUS) throw validation('Cannot delete event bus default.');
    this.buses.delete(name);
  }

  listEventBuses(namePrefix?: string): EventBusInfo[] {
    return [...this.buses.values()]
      .map((bus) => ({ ...bus.info }))
      .filter((info) => namePrefix === undefined || info.name.startsWith(namePrefix))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  // Rules

  putRule(input: PutRuleInput): { ruleArn: string } {
    checkName(input.name, RULE_NAME, 'name');
    const bus = this.bus(input.eventBusName);
    const state = input.state ?? 'ENABLED';
    if (!RULE_STATES.includes(state)) {
      throw validation(
        `1 validation error detected: Value '${state}' at 'state' failed to satisfy constraint: ` +
          `Member must satisfy enum value set: [${RULE_STATES.join(', ')}]`,
      );
    }
    if (input.eventPattern === undefined && input.scheduleExpression === undefined) {
      throw validation('Parameter(s) EventPattern or ScheduleExpression must be specified.');
    }
    if (input.scheduleExpression !== undefined && bus.info.name !== DEFAULT_BUS) {
      throw validation('ScheduleExpression is supported only on the default event bus.');
    }
    const { pattern, text } = parsePattern(input.eventPattern);
    let matches: (event: unknown) => boolean = () => false;
    if (pattern !== undefined) {
      try {
        matches = compilePattern(pattern);
      } catch (error) {
        if (error instanceof InvalidEventPatternError) throw new AwsError(error.name, error.message);
        throw error;
      }
    }
    if (input.scheduleExpression !== undefined) {
      this.log(
        `rule ${input.name} has ScheduleExpression ${input.scheduleExpression}; the local bus never runs it`,
      );
    }
    const existing = bus.rules.get(input.name);
    // PutRule replaces the rule (omitted settings are not kept) but never touches its targets.
    const rule: EventBusRule = {
      name: input.name,
      arn: this.ruleArn(bus.info.name, input.name),
      eventBusName: bus.info.name,
      eventPattern: pattern,
      eventPatternText: text,
      scheduleExpression: input.scheduleExpression,
      // The CloudTrail variant only widens which AWS management events match; locally it is plain ENABLED.
      state: state === 'DISABLED' ? 'DISABLED' : 'ENABLED',
      description: input.description,
      roleArn: input.roleArn,
      targets: existing?.rule.targets ?? [],
    };
    bus.rules.set(input.name, { rule, matches });
    return { ruleArn: rule.arn };
  }

  describeRule(name: string, eventBusName?: string): EventBusRule {
    return copyRule(this.rule(name, eventBusName).rule);
  }

  listRules(eventBusName?: string, namePrefix?: string): EventBusRule[] {
    return [...this.bus(eventBusName).rules.values()]
      .map((stored) => copyRule(stored.rule))
      .filter((rule) => namePrefix === undefined || rule.name.startsWith(namePrefix))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** A rule that does not exist is already deleted; one with targets needs `force`, as on AWS. */
  deleteRule(name: string, eventBusName?: string, force = false): void {
    const bus = this.bus(eventBusName);
    const stored = bus.rules.get(name);
    if (!stored) return;
    if (stored.rule.targets.length > 0 && !force)
      throw validation("Rule can't be deleted since it has targets.");
    bus.rules.delete(name);
  }

  // Targets

  /**
   * Adds or replaces targets by Id. A malformed call (no targets, too many, an Id or Arn missing or
   * malformed) fails as a whole; a target that is well-formed but unusable (input shaping, an ARN the local
   * bus cannot deliver to, a FIFO queue without a message group) is reported in the failures and the rest are
   * still added.
   */
  putTargets(
    ruleName: string,
    eventBusName: string | undefined,
    targets: readonly EventBusTarget[],
  ): TargetFailure[] {
    const stored = this.rule(ruleName, eventBusName);
    if (targets.length < 1 || targets.length > MAX_TARGETS_PER_CALL) {
      throw validation(
        `1 validation error detected: Value at 'targets' failed to satisfy constraint: ` +
          `Member must have length between 1 and ${MAX_TARGETS_PER_CALL}`,
      );
    }
    for (const target of targets) {
      checkName(target.id, TARGET_ID, 'targets.member.id');
      if (!target.arn) throw validation(`Target ${target.id} has no Arn.`);
      checkRange(target.maximumRetryAttempts, 0, AWS_MAX_RETRIES, 'retryPolicy.maximumRetryAttempts');
      checkRange(target.maximumEventAgeInSeconds, 60, 86_400, 'retryPolicy.maximumEventAgeInSeconds');
    }
    const failures: TargetFailure[] = [];
    const accepted: EventBusTarget[] = [];
    for (const target of targets) {
      const problem = targetProblem(target);
      if (problem)
        failures.push({ targetId: target.id, errorCode: 'ValidationException', errorMessage: problem });
      else accepted.push({ ...target });
    }
    const kept = stored.rule.targets.filter((old) => !accepted.some((target) => target.id === old.id));
    if (kept.length + accepted.length > MAX_TARGETS_PER_RULE) {
      throw new AwsError(
        'LimitExceededException',
        `The requested resource exceeds the maximum number allowed (${MAX_TARGETS_PER_RULE} targets per rule).`,
      );
    }
    // A new array, never mutated: deliveries already under way keep the targets they matched.
    stored.rule = { ...stored.rule, targets: [...kept, ...accepted] };
    return failures;
  }

  listTargetsByRule(ruleName: string, eventBusName?: string): EventBusTarget[] {
    return this.rule(ruleName, eventBusName).rule.targets.map((target) => structuredClone(target));
  }

  /** Ids that are not targets of the rule are ignored, as AWS does. */
  removeTargets(ruleName: string, eventBusName: string | undefined, ids: readonly string[]): TargetFailure[] {
    const stored = this.rule(ruleName, eventBusName);
    stored.rule = {
      ...stored.rule,
      targets: stored.rule.targets.filter((target) => !ids.includes(target.id)),
    };
    return [];
  }

  // Events

  /** Answers like PutEvents; matching targets are delivered to afterwards (see drained()). */
  putEvents(request: PutEventsRequest): PutEventsResponse {
    let outcome;
    try {
      outcome = putEvents(request, {
        account: this.options.account,
        region: this.options.region,
        eventBusNames: this.buses.keys(),
        now: this.now,
        newEventId: this.options.newEventId,
      });
    } catch (error) {
      if (error instanceof PutEventsValidationError) throw validation(error.message);
      throw error;
    }
    const receivedAt = this.now();
    for (const { eventBusName, event } of outcome.accepted) {
      // Matching happens now, against the rules as they are when the event arrives.
      for (const { rule, matches } of this.buses.get(eventBusName)?.rules.values() ?? []) {
        if (rule.state !== 'ENABLED' || !matches(event)) continue;
        for (const target of rule.targets) this.schedule({ rule, target, event, receivedAt });
      }
    }
    return outcome.response;
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

  // Delivery

  private schedule(delivery: Delivery): void {
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
    const { transport } = this.options;
    if (serviceOf(target.arn) === 'lambda') {
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
      await this.options.transport.sendMessage(target.deadLetterArn, JSON.stringify(event), { attributes });
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

  // Lookups

  private bus(nameOrArn: string | undefined): BusRecord {
    const name = busNameOf(nameOrArn);
    const bus = this.buses.get(name);
    if (!bus) throw new AwsError('ResourceNotFoundException', `Event bus ${name} does not exist.`);
    return bus;
  }

  private rule(name: string, eventBusName: string | undefined): StoredRule {
    const bus = this.bus(eventBusName);
    const stored = bus.rules.get(name);
    if (!stored) {
      throw new AwsError(
        'ResourceNotFoundException',
        `Rule ${name} does not exist on EventBus ${bus.info.name}.`,
      );
    }
    return stored;
  }

  private busArn(name: string): string {
    return `arn:aws:events:${this.options.region}:${this.options.account}:event-bus/${name}`;
  }

  private ruleArn(busName: string, ruleName: string): string {
    const path = busName === DEFAULT_BUS ? ruleName : `${busName}/${ruleName}`;
    return `arn:aws:events:${this.options.region}:${this.options.account}:rule/${path}`;
  }
}

function parsePattern(pattern: string | object | undefined): { pattern?: unknown; text?: string } {
  if (pattern === undefined) return {};
  if (typeof pattern !== 'string') return { pattern, text: JSON.stringify(pattern) };
  try {
    return { pattern: JSON.parse(pattern), text: pattern };
  } catch (error) {
    throw new AwsError(
      'InvalidEventPatternException',
      `Event pattern is not valid. Reason: ${(error as Error).message}`,
    );
  }
}

function checkRange(value: number | undefined, min: number, max: number, member: string): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw validation(
      `1 validation error detected: Value '${value}' at 'targets.member.${member}' failed to satisfy ` +
        `constraint: Member must have value between ${min} and ${max}`,
    );
  }
}

/** Why the local bus cannot take this target, or undefined when it can. */
function targetProblem(target: EventBusTarget): string | undefined {
  const service = serviceOf(target.arn);
  if (service !== 'sqs' && service !== 'lambda') {
    return `Target ${target.id}: the local event bus delivers to SQS queues and Lambda functions only, not ${target.arn}.`;
  }
  if (target.deadLetterArn !== undefined && serviceOf(target.deadLetterArn) !== 'sqs') {
    return `Target ${target.id}: DeadLetterConfig.Arn must be an SQS queue ARN.`;
  }
  if (service === 'sqs' && target.arn.endsWith('.fifo') && !target.sqsMessageGroupId) {
    return `Target ${target.id}: SqsParameters.MessageGroupId is required for a FIFO queue.`;
  }
  try {
    validateTargetInput(targetInput(target));
  } catch (error) {
    if (error instanceof TargetInputValidationError) return `Target ${target.id}: ${error.message}`;
    throw error;
  }
  return undefined;
}

function targetInput(target: EventBusTarget): TargetInput {
  return { Input: target.input, InputPath: target.inputPath, InputTransformer: target.inputTransformer };
}

function copyRule(rule: EventBusRule): EventBusRule {
  return structuredClone(rule);
}

function asDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new DeliveryError('SDK_CLIENT_ERROR', message, true);
}
