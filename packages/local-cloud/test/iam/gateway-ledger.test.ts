import { describe, expect, test } from '@jest/globals';
import {
  DENIALS_KEPT,
  GatewayLedger,
  OTHER_RESOURCES,
  RESOURCES_KEPT,
  type Denial,
} from '../../src/iam/gateway-ledger';

const own = { policy: 'UploadIamRoleLambdaExecution', index: 0, sid: 'PutUploads' };
const other = { policy: 'UploadIamRoleLambdaExecution', index: 1 };

describe('the gateway ledger', () => {
  test('counts each statement’s uses by action and resource, per function', () => {
    const ledger = new GatewayLedger();
    ledger.use('upload', [
      { action: 's3:PutObject', resource: 'arn:aws:s3:::uploads/a', allowedBy: [own] },
      {
        action: 'kms:GenerateDataKey',
        resource: 'arn:aws:kms:us-east-1:000000000000:key/k',
        allowedBy: [other],
      },
    ]);
    ledger.use('upload', [
      { action: 's3:PutObject', resource: 'arn:aws:s3:::uploads/a', allowedBy: [own, other] },
    ]);
    ledger.use('consume', [{ action: 's3:PutObject', resource: 'arn:aws:s3:::uploads/a', allowedBy: [own] }]);
    expect(ledger.usage()).toEqual({
      upload: [
        { statement: own, uses: [{ action: 's3:PutObject', resource: 'arn:aws:s3:::uploads/a', count: 2 }] },
        {
          statement: other,
          uses: [
            { action: 'kms:GenerateDataKey', resource: 'arn:aws:kms:us-east-1:000000000000:key/k', count: 1 },
            { action: 's3:PutObject', resource: 'arn:aws:s3:::uploads/a', count: 1 },
          ],
        },
      ],
      consume: [
        { statement: own, uses: [{ action: 's3:PutObject', resource: 'arn:aws:s3:::uploads/a', count: 1 }] },
      ],
    });
  });

  test('keeps a bounded number of resources per statement and action, and counts the rest together', () => {
    const ledger = new GatewayLedger();
    for (let i = 0; i < RESOURCES_KEPT + 5; i++)
      ledger.use('upload', [
        { action: 's3:PutObject', resource: `arn:aws:s3:::uploads/${i}`, allowedBy: [own] },
      ]);
    // A resource already kept still counts as itself.
    ledger.use('upload', [{ action: 's3:PutObject', resource: 'arn:aws:s3:::uploads/0', allowedBy: [own] }]);
    // Another action of the same statement has bounds of its own.
    ledger.use('upload', [{ action: 's3:GetObject', resource: 'arn:aws:s3:::uploads/x', allowedBy: [own] }]);
    const uses = ledger.usage().upload![0]!.uses;
    expect(uses).toHaveLength(RESOURCES_KEPT + 2);
    expect(uses.find((u) => u.resource === 'arn:aws:s3:::uploads/0')!.count).toBe(2);
    expect(uses.find((u) => u.resource === OTHER_RESOURCES)).toEqual({
      action: 's3:PutObject',
      resource: OTHER_RESOURCES,
      count: 5,
    });
    expect(uses.find((u) => u.action === 's3:GetObject')!.resource).toBe('arn:aws:s3:::uploads/x');
  });

  test('keeps a bounded number of denials and counts the rest', () => {
    const ledger = new GatewayLedger();
    const denial: Denial = {
      mode: 'report',
      service: 'dynamodb',
      functionName: 'listEvents',
      operation: 'Scan',
      action: 'dynamodb:Scan',
      resource: 'arn:aws:dynamodb:us-east-1:000000000000:table/events',
      message: 'no statement allows it',
    };
    for (let i = 0; i < DENIALS_KEPT + 3; i++) ledger.deny(denial);
    expect(ledger.denials()).toHaveLength(DENIALS_KEPT);
    expect(ledger.denialsNotKept()).toBe(3);
    ledger.reset();
    expect(ledger.denials()).toEqual([]);
    expect(ledger.denialsNotKept()).toBe(0);
  });

  test('unattributed and uninterpreted calls are counted, and their first is told apart', () => {
    const ledger = new GatewayLedger();
    expect(ledger.unattributed('local')).toBe(true);
    expect(ledger.unattributed('local')).toBe(false);
    expect(ledger.unattributed('test')).toBe(true);
    expect(ledger.unattributedCalls()).toEqual({ local: 2, test: 1 });
    expect(ledger.uninterpreted('f sqs ListQueues')).toBe(true);
    expect(ledger.uninterpreted('f sqs ListQueues')).toBe(false);
    expect(ledger.uninterpretedCalls()).toEqual({ 'f sqs ListQueues': 2 });
  });
});
