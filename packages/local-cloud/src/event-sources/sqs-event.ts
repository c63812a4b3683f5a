// The event Lambda hands a function for a batch of SQS messages ("Using Lambda with Amazon SQS"): the
// ReceiveMessage fields in camelCase, system attributes as SQS returned them, message attributes in Lambda's
// lower-camel form with binary values base64-encoded.
import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSMessageAttribute, SQSRecord, SQSRecordAttributes } from 'aws-lambda';

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

export function toLambdaMessageAttribute(value: MessageAttributeValue): SQSMessageAttribute {
  return {
    ...(value.StringValue !== undefined && { stringValue: value.StringValue }),
    ...(value.BinaryValue !== undefined && { binaryValue: base64(value.BinaryValue) }),
    // Lambda always sends both lists, empty when unused (SQS reserves them).
    stringListValues: value.StringListValues ?? [],
    binaryListValues: (value.BinaryListValues ?? []).map(base64),
    dataType: value.DataType ?? 'String',
  };
}

/** The four attributes every Lambda SQS record carries come first, then whatever else SQS returned. */
function recordAttributes(attributes: Partial<Record<string, string>> = {}): SQSRecordAttributes {
  const { ApproximateReceiveCount, SentTimestamp, SenderId, ApproximateFirstReceiveTimestamp, ...rest } =
    attributes;
  return {
    ApproximateReceiveCount: ApproximateReceiveCount ?? '1',
    SentTimestamp: SentTimestamp ?? '',
    SenderId: SenderId ?? '',
    ApproximateFirstReceiveTimestamp: ApproximateFirstReceiveTimestamp ?? '',
    ...rest,
  };
}

export function toSqsRecord(message: Message, queueArn: string, awsRegion: string): SQSRecord {
  const messageAttributes: SQSRecord['messageAttributes'] = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {}))
    messageAttributes[name] = toLambdaMessageAttribute(value);
  return {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body: message.Body ?? '',
    attributes: recordAttributes(message.Attributes),
    messageAttributes,
    md5OfBody: message.MD5OfBody ?? '',
    ...(message.MD5OfMessageAttributes !== undefined && {
      md5OfMessageAttributes: message.MD5OfMessageAttributes,
    }),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion,
  };
}

export function toSqsEvent(messages: readonly Message[], queueArn: string, awsRegion: string): SQSEvent {
  return { Records: messages.map((message) => toSqsRecord(message, queueArn, awsRegion)) };
}
