// The event S3 sends a function for a bucket notification ("Event message structure", version 2.1), and which
// notification configurations an event matches.
import { randomBytes } from 'node:crypto';
import type { S3EventRecord } from 'aws-lambda';
import { ACCOUNT_ID } from '../aws';
import type { S3Notification } from '../types';

/**
 * S3 writes the key URL-encoded the way HTML forms are: a space becomes `+`, and everything but letters, digits,
 * `.`, `-`, `_`, `*` and the `/` between "folders" is percent-encoded as UTF-8 (so a literal `+` is `%2B`).
 */
export function encodeEventKey(key: string): string {
  return Array.from(new TextEncoder().encode(key), (byte) => {
    const char = String.fromCharCode(byte);
    if (/[A-Za-z0-9.\-_*/]/.test(char)) return char;
    if (char === ' ') return '+';
    return `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
}

/** `s3:ObjectCreated:*` covers every `ObjectCreated:…` event; anything else names one event. */
export function eventTypeMatches(configured: string, eventName: string): boolean {
  const type = configured.replace(/^s3:/, '');
  return type.endsWith(':*') ? eventName.startsWith(type.slice(0, -1)) : type === eventName;
}

/**
 * Prefix and suffix filters are compared with the key as the event carries it: the S3 guide has filter values
 * written URL-encoded (a space as `+`), which for plain keys is the key itself.
 */
export function notificationMatches(
  notification: S3Notification,
  bucket: string,
  encodedKey: string,
  eventName: string,
): boolean {
  return (
    notification.bucket === bucket &&
    notification.events.some((configured) => eventTypeMatches(configured, eventName)) &&
    encodedKey.startsWith(notification.prefix ?? '') &&
    encodedKey.endsWith(notification.suffix ?? '')
  );
}

let lastSequencer = 0n;
/** S3's sequencer: hexadecimal, greater for a later event on the same key. */
export function nextSequencer(): string {
  const now = BigInt(Date.now()) << 16n;
  lastSequencer = now > lastSequencer ? now : lastSequencer + 1n;
  return lastSequencer.toString(16).toUpperCase().padStart(18, '0');
}

export interface S3ObjectChange {
  bucket: string;
  key: string;
  /** e.g. `ObjectCreated:Put`, `ObjectRemoved:Delete` */
  eventName: string;
  time: Date;
  /** Creations carry the object's size and ETag (unquoted); removals do not. */
  size?: number;
  eTag?: string;
  versionId?: string;
  sequencer: string;
}

export function toS3EventRecord(
  change: S3ObjectChange,
  configurationId: string,
  awsRegion: string,
): S3EventRecord {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion,
    eventTime: change.time.toISOString(),
    eventName: change.eventName,
    // The emulator does not say who made the request; the local cloud's account did.
    userIdentity: { principalId: `AWS:${ACCOUNT_ID}` },
    requestParameters: { sourceIPAddress: '127.0.0.1' },
    responseElements: {
      'x-amz-request-id': randomBytes(8).toString('hex').toUpperCase(),
      'x-amz-id-2': randomBytes(48).toString('base64'),
    },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId,
      bucket: {
        name: change.bucket,
        ownerIdentity: { principalId: ACCOUNT_ID },
        arn: `arn:aws:s3:::${change.bucket}`,
      },
      object: {
        key: encodeEventKey(change.key),
        ...(change.size !== undefined && { size: change.size }),
        ...(change.eTag !== undefined && { eTag: change.eTag }),
        ...(change.versionId !== undefined && { versionId: change.versionId }),
        sequencer: change.sequencer,
      } as S3EventRecord['s3']['object'],
    },
  };
}
