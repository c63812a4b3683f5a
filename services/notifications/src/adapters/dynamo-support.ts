/** What the DynamoDB adapters share: telling a failed condition apart, and reading one page of a query. */
import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';

export const isConditionFailure = (error: unknown): boolean =>
  (error as { name?: string }).name === 'ConditionalCheckFailedException';

/** One page of a query: its items, and the key to continue after when there is more. */
export async function queryPage<Key>(
  db: DynamoDBDocumentClient,
  input: QueryCommandInput,
): Promise<{ items: Array<Record<string, unknown>>; next?: Key }> {
  const out = await db.send(new QueryCommand(input));
  const next = out.LastEvaluatedKey as Key | undefined;
  return { items: out.Items ?? [], ...(next ? { next } : {}) };
}
