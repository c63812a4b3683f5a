// The local event bus: event buses, rules and targets as EventBridge keeps them, and the routing of every
// accepted event to the targets of the enabled rules it matches; delivery.ts takes each event to its target.
import { compilePattern, InvalidEventPatternError } from '@herald/event-pattern';
import { AwsError } from '../aws-json-protocol';
import type { BusRule } from '../types';
import type { DeliveryTransport, EventBusTarget, RetrySettings } from './delivery';
import { AWS_MAX_RETRIES, Deliveries } from './delivery';
import {
  BUS_NAME,
  checkName,
  checkRange,
  parsePattern,
  RULE_NAME,
  TARGET_ID,
  targetProblem,
  validation,
} from './bus-validation';
import type { PutEventsRequest, PutEventsResponse } from './put-events';
import { putEvents, PutEventsValidationError } from './put-events';

export const DEFAULT_BUS = 'default';

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

const RULE_STATES = ['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'];
const MAX_TARGETS_PER_RULE = 5;
const MAX_TARGETS_PER_CALL = 10;

/** "arn:aws:events:us-east-1:123456789012:event-bus/orders" names the bus "orders". */
export function busNameOf(nameOrArn: string | undefined): string {
  if (nameOrArn === undefined || nameOrArn === '') return DEFAULT_BUS;
  return /^arn:[^:]+:events:[^:]*:[^:]*:event-bus\/(.+)$/.exec(nameOrArn)?.[1] ?? nameOrArn;
}

export class EventBus {
  private readonly buses = new Map<string, BusRecord>();
  private readonly deliveries: Deliveries;
  private readonly log: (line: string) => void;
  private readonly now: () => Date;

  constructor(private readonly options: EventBusOptions) {
    this.log = options.log ?? ((line) => console.log(`[eventbridge] ${line}`));
    this.now = options.now ?? (() => new Date());
    this.deliveries = new Deliveries(options.transport, this.log, this.now, options.retry);
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
        for (const target of rule.targets) this.deliveries.schedule({ rule, target, event, receivedAt });
      }
    }
    return outcome.response;
  }

  /** Resolves once no delivery (including retries and dead-lettering) is in flight. */
  drained(): Promise<void> {
    return this.deliveries.drained();
  }

  /** Stops retrying (pending retries become logged drops) and waits for deliveries under way. */
  close(): Promise<void> {
    return this.deliveries.close();
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

function copyRule(rule: EventBusRule): EventBusRule {
  return structuredClone(rule);
}
