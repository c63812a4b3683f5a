// EventBridge over HTTP (AWS JSON 1.1, target prefix AWSEvents): maps each API call onto the EventBus and
// back, and gives the bus its transport: SQS targets through the fauxqs endpoint, Lambda targets through the
// local cloud's FunctionInvoker.
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
import { ACCOUNT_ID, clientConfig, functionNameFromArn, queueNameFromArn, queueUrl, REGION } from '../aws';
import type { JsonObject } from '../aws-json-protocol';
import { portUse } from '../config';
import {
  AwsError,
  epochSeconds,
  isJsonObject,
  jsonServiceHandler,
  listen,
  missing,
  optionalArray,
  optionalBoolean,
  optionalNumber,
  optionalObject,
  optionalString,
  optionalStringList,
  page,
  requiredString,
} from '../aws-json-protocol';
import type { FunctionInvoker } from '../types';
import type { CreateEventBusInput, EventBusInfo, EventBusRule, TargetFailure } from './bus';
import { EventBus } from './bus';
import type { DeliveryTransport, EventBusTarget, RetrySettings } from './delivery';
import { DeliveryError } from './delivery';
import type { PutEventsRequest } from './put-events';

export interface EventBridgeOptions {
  /** A fixed port, or `auto` (the default) for one the OS picks. */
  port?: number | 'auto';
  /**
   * The SQS endpoint that queue targets and dead-letter queues live on: fauxqs itself will do. The
   * bus sends a group id only to a FIFO queue (SqsParameters, as EventBridge), which fauxqs keeps, so
   * it needs nothing the SQS front adds.
   */
  sqsEndpoint: string;
  /** Runs Lambda targets; without it, events for function targets fail delivery (and are dead-lettered). */
  invoker?: FunctionInvoker;
  log?: (line: string) => void;
  retry?: RetrySettings;
}

export interface EventBridgeServer {
  readonly endpoint: string;
  readonly port: number;
  readonly bus: EventBus;
  /** Stops accepting calls, ends pending retries and waits for deliveries under way. */
  stop(): Promise<void>;
}

export async function startEventBridge(options: EventBridgeOptions): Promise<EventBridgeServer> {
  const log = options.log ?? ((line: string) => console.log(`[eventbridge] ${line}`));
  // One attempt per SDK call: the bus's own retry policy decides what happens after a failure.
  const sqs = new SQSClient({
    ...clientConfig(options.sqsEndpoint),
    useQueueUrlAsEndpoint: false,
    maxAttempts: 1,
  });
  const bus = new EventBus({
    transport: transport(sqs, options.invoker),
    account: ACCOUNT_ID,
    region: REGION,
    log,
    retry: options.retry,
  });
  const server = await listen(
    jsonServiceHandler({ targetPrefix: 'AWSEvents', operations: operations(bus), log }),
    options.port ?? 'auto',
    portUse('eventbridge'),
  ).catch((error: unknown) => {
    sqs.destroy();
    throw error;
  });
  return {
    endpoint: server.endpoint,
    port: server.port,
    bus,
    stop: async () => {
      await server.close();
      await bus.close();
      sqs.destroy();
    },
  };
}

/**
 * SQS takes characters above U+FFFF; the SQS emulator (fauxqs 2.4) checks UTF-16 code units and
 * refuses them. A JSON body is sent with each such character as the JSON escape of its surrogate
 * pair, which a consumer reads back as the same value; other text (an input transformer's) as is.
 */
function escapeAboveBmp(body: string): string {
  const pairs = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;
  if (!pairs.test(body) || !isJson(body)) return body;
  return body.replace(pairs, (pair) =>
    pair
      .split('')
      .map((unit) => `\\u${unit.charCodeAt(0).toString(16)}`)
      .join(''),
  );
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function transport(sqs: SQSClient, invoker: FunctionInvoker | undefined): DeliveryTransport {
  return {
    async sendMessage(queueArn, body, { messageGroupId, messageDeduplicationId, attributes }) {
      const name = queueNameFromArn(queueArn);
      const messageAttributes: Record<string, MessageAttributeValue> | undefined = attributes
        ? Object.fromEntries(
            Object.entries(attributes).map(([key, value]) => [
              key,
              { DataType: 'String', StringValue: value },
            ]),
          )
        : undefined;
      try {
        await sqs.send(
          new SendMessageCommand({
            QueueUrl: queueUrl(name),
            MessageBody: escapeAboveBmp(body),
            MessageGroupId: messageGroupId,
            MessageDeduplicationId: messageDeduplicationId,
            MessageAttributes: messageAttributes,
          }),
        );
      } catch (error) {
        // A queue that does not exist will not appear by retrying: straight to the dead-letter queue.
        const errorName = (error as Error).name;
        if (errorName === 'QueueDoesNotExist' || errorName === 'AWS.SimpleQueueService.NonExistentQueue') {
          throw new DeliveryError('NO_RESOURCE', `Queue ${name} does not exist.`, false);
        }
        throw error;
      }
    },
    ...(invoker && {
      async invokeFunction(functionArn: string, payload: unknown) {
        try {
          await invoker.invokeAsync(functionNameFromArn(functionArn), payload);
        } catch (error) {
          if ((error as Error).name === 'ResourceNotFoundException') {
            throw new DeliveryError('NO_RESOURCE', (error as Error).message, false);
          }
          throw error;
        }
      },
    }),
  };
}

function operations(bus: EventBus) {
  return {
    CreateEventBus: (input: JsonObject) => {
      const info = bus.createEventBus(eventBusInput(input));
      return {
        EventBusArn: info.arn,
        Description: info.description,
        KmsKeyIdentifier: info.kmsKeyIdentifier,
        DeadLetterConfig: deadLetterConfig(info.deadLetterArn),
      };
    },
    DescribeEventBus: (input: JsonObject) => busOutput(bus.describeEventBus(optionalString(input, 'Name'))),
    DeleteEventBus: (input: JsonObject) => bus.deleteEventBus(requiredString(input, 'Name')),
    ListEventBuses: (input: JsonObject) => {
      const { items, nextToken } = page(bus.listEventBuses(optionalString(input, 'NamePrefix')), input);
      return { EventBuses: items.map(busOutput), NextToken: nextToken };
    },

    PutRule: (input: JsonObject) => {
      const { ruleArn } = bus.putRule({
        name: requiredString(input, 'Name'),
        eventBusName: optionalString(input, 'EventBusName'),
        eventPattern: optionalString(input, 'EventPattern'),
        scheduleExpression: optionalString(input, 'ScheduleExpression'),
        state: optionalString(input, 'State'),
        description: optionalString(input, 'Description'),
        roleArn: optionalString(input, 'RoleArn'),
      });
      return { RuleArn: ruleArn };
    },
    DescribeRule: (input: JsonObject) => ({
      ...ruleOutput(bus.describeRule(requiredString(input, 'Name'), optionalString(input, 'EventBusName'))),
      CreatedBy: ACCOUNT_ID,
    }),
    ListRules: (input: JsonObject) => {
      const rules = bus.listRules(optionalString(input, 'EventBusName'), optionalString(input, 'NamePrefix'));
      const { items, nextToken } = page(rules, input);
      return { Rules: items.map(ruleOutput), NextToken: nextToken };
    },
    DeleteRule: (input: JsonObject) =>
      bus.deleteRule(
        requiredString(input, 'Name'),
        optionalString(input, 'EventBusName'),
        optionalBoolean(input, 'Force') ?? false,
      ),

    PutTargets: (input: JsonObject) => {
      const targets = optionalArray(input, 'Targets');
      if (targets === undefined) throw missing('Targets');
      const failures = bus.putTargets(
        requiredString(input, 'Rule'),
        optionalString(input, 'EventBusName'),
        targets.map(targetInput),
      );
      return failedEntries(failures);
    },
    ListTargetsByRule: (input: JsonObject) => {
      const targets = bus.listTargetsByRule(
        requiredString(input, 'Rule'),
        optionalString(input, 'EventBusName'),
      );
      const { items, nextToken } = page(targets, input);
      return { Targets: items.map(targetOutput), NextToken: nextToken };
    },
    RemoveTargets: (input: JsonObject) => {
      const ids = optionalStringList(input, 'Ids');
      if (ids === undefined) throw missing('Ids');
      return failedEntries(
        bus.removeTargets(requiredString(input, 'Rule'), optionalString(input, 'EventBusName'), ids),
      );
    },

    // The pure putEvents checks the request's shape itself, with PutEvents' own error wording.
    PutEvents: (input: JsonObject) => bus.putEvents(input as PutEventsRequest),
  };
}

function eventBusInput(input: JsonObject): CreateEventBusInput {
  return {
    name: requiredString(input, 'Name'),
    description: optionalString(input, 'Description'),
    kmsKeyIdentifier: optionalString(input, 'KmsKeyIdentifier'),
    deadLetterArn: deadLetterArn(input),
  };
}

function deadLetterArn(input: JsonObject): string | undefined {
  const config = optionalObject(input, 'DeadLetterConfig');
  return config ? optionalString(config, 'Arn') : undefined;
}

function deadLetterConfig(arn: string | undefined): { Arn: string } | undefined {
  return arn ? { Arn: arn } : undefined;
}

/** What DescribeEventBus and DescribeRule both start with. */
function nameAndArn(resource: { name: string; arn: string }) {
  return { Name: resource.name, Arn: resource.arn };
}

function busOutput(info: EventBusInfo) {
  return {
    ...nameAndArn(info),
    Description: info.description,
    KmsKeyIdentifier: info.kmsKeyIdentifier,
    DeadLetterConfig: deadLetterConfig(info.deadLetterArn),
    CreationTime: epochSeconds(info.creationTime),
    LastModifiedTime: epochSeconds(info.lastModifiedTime),
  };
}

function ruleOutput(rule: EventBusRule) {
  return {
    ...nameAndArn(rule),
    EventPattern: rule.eventPatternText,
    ScheduleExpression: rule.scheduleExpression,
    State: rule.state,
    Description: rule.description,
    RoleArn: rule.roleArn,
    EventBusName: rule.eventBusName,
  };
}

function targetInput(raw: unknown): EventBusTarget {
  if (!isJsonObject(raw)) throw new AwsError('SerializationException', 'Each of Targets must be an object.');
  const transformer = optionalObject(raw, 'InputTransformer');
  const retry = optionalObject(raw, 'RetryPolicy');
  const sqs = optionalObject(raw, 'SqsParameters');
  const pathsMap = transformer ? optionalObject(transformer, 'InputPathsMap') : undefined;
  return {
    id: requiredString(raw, 'Id'),
    arn: requiredString(raw, 'Arn'),
    roleArn: optionalString(raw, 'RoleArn'),
    input: optionalString(raw, 'Input'),
    inputPath: optionalString(raw, 'InputPath'),
    inputTransformer: transformer && {
      InputTemplate: requiredString(transformer, 'InputTemplate'),
      ...(pathsMap && { InputPathsMap: stringMap(pathsMap, 'InputPathsMap') }),
    },
    deadLetterArn: deadLetterArn(raw),
    maximumRetryAttempts: retry && optionalNumber(retry, 'MaximumRetryAttempts'),
    maximumEventAgeInSeconds: retry && optionalNumber(retry, 'MaximumEventAgeInSeconds'),
    sqsMessageGroupId: sqs && optionalString(sqs, 'MessageGroupId'),
  };
}

function stringMap(map: JsonObject, member: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(map).map(([key, value]) => {
      if (typeof value !== 'string')
        throw new AwsError('SerializationException', `${member}.${key} must be a string.`);
      return [key, value];
    }),
  );
}

function targetOutput(target: EventBusTarget) {
  const retrySet = target.maximumRetryAttempts !== undefined || target.maximumEventAgeInSeconds !== undefined;
  return {
    Id: target.id,
    Arn: target.arn,
    RoleArn: target.roleArn,
    Input: target.input,
    InputPath: target.inputPath,
    InputTransformer: target.inputTransformer,
    DeadLetterConfig: deadLetterConfig(target.deadLetterArn),
    RetryPolicy: retrySet
      ? {
          MaximumRetryAttempts: target.maximumRetryAttempts,
          MaximumEventAgeInSeconds: target.maximumEventAgeInSeconds,
        }
      : undefined,
    SqsParameters: target.sqsMessageGroupId ? { MessageGroupId: target.sqsMessageGroupId } : undefined,
  };
}

function failedEntries(failures: readonly TargetFailure[]) {
  return {
    FailedEntryCount: failures.length,
    FailedEntries: failures.map((failure) => ({
      TargetId: failure.targetId,
      ErrorCode: failure.errorCode,
      ErrorMessage: failure.errorMessage,
    })),
  };
}
