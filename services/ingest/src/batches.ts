/**
 * Splits messages into SendMessageBatch calls: at most 10 entries and at most 256 KiB of bodies per
 * call (SQS's limits), in their original order.
 */
export const MAX_BATCH_ENTRIES = 10;
export const MAX_BATCH_BYTES = 256 * 1024;

/**
 * The largest envelope ingest sends. SQS counts a message's attributes towards its 256 KiB, and a
 * batch's total too, so a margin is kept for the correlation id attribute (at most 128 characters).
 */
export const MAX_ENVELOPE_BYTES = MAX_BATCH_BYTES - 1024;

export function toBatches<T>(items: readonly T[], sizeOf: (item: T) => number): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (current.length === MAX_BATCH_ENTRIES || (current.length > 0 && bytes + size > MAX_BATCH_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** Bytes SQS counts for a message: its body plus each attribute's name, type and value. */
export function messageBytes(body: string, attributes: Record<string, string> = {}): number {
  let bytes = Buffer.byteLength(body);
  for (const [name, value] of Object.entries(attributes)) {
    bytes += Buffer.byteLength(name) + 'String'.length + Buffer.byteLength(value);
  }
  return bytes;
}
