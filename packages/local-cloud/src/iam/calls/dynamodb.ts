/**
 * DynamoDB (JSON 1.0, `X-Amz-Target: DynamoDB_20120810.<Op>`; streams `DynamoDBStreams_20120810.<Op>`).
 *
 * Actions and resources (Service Authorization Reference, "Actions, resources, and condition keys for
 * Amazon DynamoDB"): an item operation acts on its table's ARN; Query and Scan on an index act on the
 * index's ARN (`table/T/index/I`); BatchGetItem and BatchWriteItem ask for their own action on each
 * table they name; TransactWriteItems and TransactGetItems ask for the per-item action (PutItem,
 * UpdateItem, DeleteItem, ConditionCheckItem, GetItem) on each item's table, with
 * `dynamodb:EnclosingOperation` naming the transaction.
 *
 * Condition keys (DynamoDB Developer Guide, "Using IAM policy conditions for fine-grained access
 * control"):
 * - `dynamodb:Attributes`: the top-level attribute names the request reads, writes, or evaluates:
 *   the key attributes of `Key`/`Keys`, every attribute of a put `Item`, and every name in
 *   UpdateExpression, ConditionExpression, ProjectionExpression, FilterExpression and
 *   KeyConditionExpression (placeholders resolved through ExpressionAttributeNames), plus the legacy
 *   AttributesToGet, AttributeUpdates, Expected, KeyConditions, QueryFilter and ScanFilter names. The
 *   guide's rule that a policy must list every key attribute follows from the key attributes counting.
 * - `dynamodb:LeadingKeys`: the partition key values the request touches (from Key/Item, or a Query's
 *   equality on the partition key, with the table's or index's key schema from the facts).
 * - `dynamodb:ReturnValues`: the request's ReturnValues of PutItem/UpdateItem/DeleteItem, "NONE" when
 *   not given (the guide: "the ReturnValues parameter always has a value (NONE unless otherwise
 *   specified)"); not set for transaction items, which have none.
 * - `dynamodb:Select`: the request's Select, else SPECIFIC_ATTRIBUTES when it projects, else
 *   ALL_PROJECTED_ATTRIBUTES for an index and ALL_ATTRIBUTES for a table (the API Reference's defaults).
 * - `dynamodb:ReturnConsumedCapacity` when the request sets it.
 *
 * KMS: a table under a customer managed key is decrypted by DynamoDB on behalf of the principal
 * accessing it ("How Amazon DynamoDB uses AWS KMS", KMS Developer Guide: DynamoDB calls Decrypt for
 * the table key when the table is accessed, for each principal, caching it five minutes; GenerateDataKey
 * happens when the table key is created, by DynamoDB itself). So each data-plane call on such a table
 * asks for kms:Decrypt via DynamoDB, with its encryption context (`aws:dynamodb:tableName`,
 * `aws:dynamodb:subscriberId`). The local cloud asks on every call, not once in five minutes.
 */
import type { AuthorizationRequest } from '../types';
import { actionHasConditionKey, resourceArn } from './catalogue';
import {
  type Context,
  type HttpCall,
  type Interpretation,
  UnknownCall,
  headerOf,
  jsonBody,
  targetOperation,
  kmsViaService,
  request,
  str,
} from './common';
import { expressionAttributes, partitionKeyValues, scalar } from './dynamodb-expressions';

type Json = Record<string, unknown>;

const obj = (value: unknown): Json | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const names = (params: Json) => obj(params.ExpressionAttributeNames) as Record<string, string> | undefined;

/** The attribute names of `dynamodb:Attributes` for one item's (or one table's) part of a request. */
function attributesOf(params: Json): string[] {
  const n = names(params);
  const keysOf = (value: unknown) => Object.keys(obj(value) ?? {});
  return [
    ...keysOf(params.Key),
    ...list(params.Keys).flatMap(keysOf),
    ...keysOf(params.Item),
    ...expressionAttributes(str(params.UpdateExpression), n),
    ...expressionAttributes(str(params.ConditionExpression), n),
    ...expressionAttributes(str(params.ProjectionExpression), n),
    ...expressionAttributes(str(params.FilterExpression), n),
    ...expressionAttributes(str(params.KeyConditionExpression), n),
    ...list(params.AttributesToGet).filter((a): a is string => typeof a === 'string'),
    ...keysOf(params.AttributeUpdates),
    ...keysOf(params.Expected),
    ...keysOf(params.KeyConditions),
    ...keysOf(params.QueryFilter),
    ...keysOf(params.ScanFilter),
  ];
}

const unique = (values: string[]) => [...new Set(values)].sort();

function leadingKeys(params: Json, table: string, index: string | undefined, i: Interpretation): string[] {
  const schema = i.facts.keySchema(table, index);
  if (!schema) return [];
  const pk = schema.partitionKey;
  const fromItems = [obj(params.Key), obj(params.Item), ...list(params.Keys).map(obj)]
    .map((item) => scalar(item?.[pk]))
    .filter((v): v is string => v !== undefined);
  const fromQuery = partitionKeyValues(
    str(params.KeyConditionExpression),
    pk,
    names(params),
    obj(params.ExpressionAttributeValues),
  );
  const legacy = obj(obj(params.KeyConditions)?.[pk]);
  const fromLegacy =
    legacy?.ComparisonOperator === 'EQ'
      ? list(legacy.AttributeValueList)
          .map(scalar)
          .filter((v): v is string => v !== undefined)
      : [];
  return unique([...fromItems, ...fromQuery, ...fromLegacy]);
}

function select(params: Json, index: string | undefined): string {
  const given = str(params.Select);
  if (given) return given;
  if (params.ProjectionExpression || params.AttributesToGet) return 'SPECIFIC_ATTRIBUTES';
  return index ? 'ALL_PROJECTED_ATTRIBUTES' : 'ALL_ATTRIBUTES';
}

const RETURNS_VALUES = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);
const SELECTS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem']);

/** The requests for one action on one table (or index) with the part of the request that concerns it. */
function tableRequests(
  action: string,
  table: string,
  params: Json,
  i: Interpretation,
  options: { index?: string; enclosing?: string } = {},
): AuthorizationRequest[] {
  const { index, enclosing } = options;
  const context: Context = { ...i.base };
  const attributes = unique(attributesOf(params));
  if (attributes.length) context['dynamodb:Attributes'] = attributes;
  const leading = leadingKeys(params, table, index, i);
  if (leading.length) context['dynamodb:LeadingKeys'] = leading;
  if (RETURNS_VALUES.has(action) && !enclosing)
    context['dynamodb:ReturnValues'] = str(params.ReturnValues) ?? 'NONE';
  if (SELECTS.has(action)) context['dynamodb:Select'] = select(params, index);
  const consumed = str(params.ReturnConsumedCapacity);
  if (consumed) context['dynamodb:ReturnConsumedCapacity'] = consumed;
  if (enclosing && actionHasConditionKey('dynamodb', action, 'dynamodb:EnclosingOperation'))
    context['dynamodb:EnclosingOperation'] = enclosing;
  const main = index
    ? request('dynamodb', action, 'index', { TableName: table, IndexName: index }, context, i.facts)
    : request('dynamodb', action, 'table', { TableName: table }, context, i.facts);
  return [main, ...tableKms(table, i)];
}

function tableKms(table: string, i: Interpretation): AuthorizationRequest[] {
  const tableArn = resourceArn('dynamodb', 'GetItem', 'table', { TableName: table }, i.facts);
  return kmsViaService(
    'dynamodb',
    i.facts.encryptionKey(tableArn),
    ['Decrypt'],
    { 'aws:dynamodb:tableName': table, 'aws:dynamodb:subscriberId': i.facts.accountId },
    i,
  );
}

const tableNameOf = (value: unknown, operation: string): string => {
  const name = str(value);
  if (!name) throw new UnknownCall('dynamodb', operation, 'it names no table');
  // A table may be named by its ARN.
  return name.startsWith('arn:') ? name.slice(name.indexOf(':table/') + ':table/'.length) : name;
};

const ITEM_OPERATIONS = new Set(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem']);

const TRANSACT_WRITE_ACTIONS: Record<string, string> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'ConditionCheckItem',
};

/**
 * The stream a shard iterator was made for. Iterators are opaque; AWS's start with the stream ARN
 * (`arn:...:table/T/stream/LABEL|1|...`), and DynamoDB Local's name the stream before `|001|` and again
 * inside their base64 part: look in the iterator and in each base64-decoded part.
 */
function streamArnInIterator(iterator: string): string | undefined {
  const find = (text: string) => /arn:[^|\s]+?:table\/[^/|]+\/stream\/[^|\s]+/.exec(text)?.[0];
  return (
    find(iterator) ??
    iterator
      .split('|')
      .map((part) => find(Buffer.from(part, 'base64').toString('utf8')))
      .find((arn) => arn !== undefined)
  );
}

/** Stream ARN → its table and label (`arn:...:table/T/stream/LABEL`). */
function streamParts(arn: string | undefined, operation: string) {
  const match = arn && /:table\/([^/]+)\/stream\/(.+)$/.exec(arn);
  if (!match) throw new UnknownCall('dynamodb', operation, 'it names no stream ARN');
  return { TableName: match[1]!, StreamLabel: match[2]! };
}

export function interpretDynamoDb(call: HttpCall, i: Interpretation) {
  const target = headerOf(call.headers, 'x-amz-target') ?? '';
  const operation = targetOperation(call);
  const params = jsonBody('dynamodb', operation, call);
  const requests = ((): AuthorizationRequest[] => {
    if (target.startsWith('DynamoDBStreams_')) {
      if (operation === 'ListStreams')
        return [request('dynamodb', operation, undefined, {}, i.base, i.facts)];
      if (operation === 'GetRecords') {
        const arn = streamArnInIterator(str(params.ShardIterator) ?? '');
        return [request('dynamodb', operation, 'stream', streamParts(arn, operation), i.base, i.facts)];
      }
      if (operation === 'DescribeStream' || operation === 'GetShardIterator')
        return [
          request(
            'dynamodb',
            operation,
            'stream',
            streamParts(str(params.StreamArn), operation),
            i.base,
            i.facts,
          ),
        ];
      throw new UnknownCall('dynamodb', operation);
    }
    if (ITEM_OPERATIONS.has(operation))
      return tableRequests(operation, tableNameOf(params.TableName, operation), params, i);
    if (operation === 'Query' || operation === 'Scan') {
      const index = str(params.IndexName);
      return tableRequests(
        operation,
        tableNameOf(params.TableName, operation),
        params,
        i,
        index ? { index } : {},
      );
    }
    if (operation === 'BatchGetItem' || operation === 'BatchWriteItem') {
      const perTable = Object.entries(obj(params.RequestItems) ?? {});
      return perTable.flatMap(([table, value]) => {
        const part = operation === 'BatchGetItem' ? (obj(value) ?? {}) : batchWritePart(value);
        return tableRequests(operation, tableNameOf(table, operation), part, i);
      });
    }
    if (operation === 'TransactWriteItems' || operation === 'TransactGetItems') {
      return list(params.TransactItems).flatMap((entry) => {
        const [kind, value] = Object.entries(obj(entry) ?? {})[0] ?? [];
        const action =
          operation === 'TransactGetItems'
            ? kind === 'Get'
              ? 'GetItem'
              : undefined
            : TRANSACT_WRITE_ACTIONS[kind ?? ''];
        const item = obj(value);
        if (!action || !item) throw new UnknownCall('dynamodb', operation, `it has an item of kind ${kind}`);
        return tableRequests(action, tableNameOf(item.TableName, operation), item, i, {
          enclosing: operation,
        });
      });
    }
    throw new UnknownCall('dynamodb', operation);
  })();
  return { operation, requests: dedupe(requests) };
}

/**
 * A BatchWriteItem table's puts and deletes as one part, in the shape attributesOf and leadingKeys read:
 * the attributes of every item put and every key deleted.
 */
function batchWritePart(writes: unknown): Json {
  const keys = list(writes).flatMap((write) => {
    const put = obj(obj(obj(write)?.PutRequest)?.Item);
    const remove = obj(obj(obj(write)?.DeleteRequest)?.Key);
    return [put, remove].filter((x): x is Json => x !== undefined);
  });
  return { Keys: keys };
}

/** The same request twice (a table's KMS key for two of its items) is one request. */
function dedupe(requests: AuthorizationRequest[]): AuthorizationRequest[] {
  const seen = new Set<string>();
  return requests.filter((r) => {
    const id = JSON.stringify(r);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
