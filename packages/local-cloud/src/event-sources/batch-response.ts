// Reading a function's partial batch response (FunctionResponseTypes: ReportBatchItemFailures), by the rules the
// Lambda guide gives for SQS and for streams:
// - complete success: no response, an empty response, or a null or empty `batchItemFailures` list;
// - complete failure: a response that is not a JSON object, a `batchItemFailures` that is not a list, or an
//   entry whose `itemIdentifier` is missing (a bad key name), null, empty, or not an identifier of the batch.

export type BatchResponse =
  | { readonly valid: true; readonly failedIds: readonly string[] }
  | { readonly valid: false; readonly reason: string };

export function readBatchResponse(result: unknown, batchIds: ReadonlySet<string>): BatchResponse {
  if (result === undefined || result === null) return { valid: true, failedIds: [] };
  if (typeof result !== 'object' || Array.isArray(result))
    return { valid: false, reason: 'the response is not a JSON object' };
  const failures = (result as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { valid: true, failedIds: [] };
  if (!Array.isArray(failures)) return { valid: false, reason: 'batchItemFailures is not a list' };
  const failedIds: string[] = [];
  for (const failure of failures as unknown[]) {
    const id =
      typeof failure === 'object' && failure !== null
        ? (failure as { itemIdentifier?: unknown }).itemIdentifier
        : undefined;
    if (typeof id !== 'string' || id === '')
      return {
        valid: false,
        reason: `batchItemFailures entry ${JSON.stringify(failure)} has no itemIdentifier`,
      };
    if (!batchIds.has(id)) return { valid: false, reason: `itemIdentifier ${id} is not in the batch` };
    failedIds.push(id);
  }
  return { valid: true, failedIds };
}
