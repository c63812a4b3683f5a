import { describe, expect, test } from '@jest/globals';
import {
  checkSettings,
  publishedName,
  stageParams,
  type Origin,
  type PublishedOutcome,
  type SettingsFacts,
} from '../src/stage-settings';

const KEY = { kty: 'OKP', crv: 'Ed25519', x: 'IIJoWDf9FptaCai9KcVjuphXV8MXgCiCS_8FQhQ1abQ', kid: 'k1' };
const JWKS = JSON.stringify({ keys: [KEY] });

/** Ingest's params.default as written: published values as ${heraldPublished:...}. */
const ingestDefaults = {
  authIssuer: '',
  authJwksUrl: '',
  authAudience: 'herald',
  logRetentionDays: 30,
  deletionProtection: false,
  alarmSubscribers: '',
  throttleRate: 200,
  inboundQueueUrl: '${heraldPublished:processing/inboundQueueUrl}',
  inboundQueueArn: '${heraldPublished:processing/inboundQueueArn}',
  processingKeyArn: '${heraldPublished:processing/keyArn}',
  uploadsBucketName: { 'Fn::Sub': 'herald-${sls:stage}-ingest-uploads' },
};

const sample = {
  authIssuer: 'https://auth.example.com',
  authJwksUrl: 'https://auth.example.com/.well-known/jwks.json',
  logRetentionDays: 365,
  ingest: { throttleRate: 500 },
  processing: { eventRetentionDays: 90 },
  offline: {
    'processing/inboundQueueUrl':
      'https://sqs.us-east-1.amazonaws.com/123456789012/herald-prod-processing-inbound',
    'processing/inboundQueueArn': 'arn:aws:sqs:us-east-1:123456789012:herald-prod-processing-inbound',
    'processing/keyArn': 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-4333-8444-555555555555',
  },
};
const file = (content: unknown) => ({ path: 'stages/prod.yml', content });

describe('stageParams', () => {
  test('a service takes the shared settings it has, its own section and, packaging, the offline values', () => {
    const { params, offline, problems } = stageParams('ingest', 'prod', file(sample), ingestDefaults, true);
    expect(problems).toEqual([]);
    expect(params).toEqual({
      authIssuer: 'https://auth.example.com',
      authJwksUrl: 'https://auth.example.com/.well-known/jwks.json',
      logRetentionDays: 365,
      throttleRate: 500,
      inboundQueueUrl: sample.offline['processing/inboundQueueUrl'],
      inboundQueueArn: sample.offline['processing/inboundQueueArn'],
      processingKeyArn: sample.offline['processing/keyArn'],
    });
    expect(offline).toEqual(['inboundQueueUrl', 'inboundQueueArn', 'processingKeyArn']);
  });

  test('a deploy ignores the offline section: the published values come from SSM', () => {
    const { params } = stageParams('ingest', 'prod', file(sample), ingestDefaults, false);
    expect(params).not.toHaveProperty('inboundQueueArn');
  });

  test('a shared setting the service does not have is left out', () => {
    const { params } = stageParams(
      'ingest',
      'prod',
      file({ ...sample, deletionProtection: true }),
      { authIssuer: '' },
      true,
    );
    expect(params).toEqual({ authIssuer: 'https://auth.example.com' });
  });

  test('no stage file names the file to create', () => {
    expect(
      stageParams('ingest', 'dev', { path: 'stages/dev.yml', content: undefined }, ingestDefaults, true)
        .problems,
    ).toEqual([
      "No settings for stage 'dev': create stages/dev.yml (stages/prod.yml is a sample; stages/README.md lists every setting)",
    ]);
  });

  test.each([
    [
      { authIsuer: 'https://auth.example.com' },
      /^Unknown setting 'authIsuer' in stages\/prod.yml: the top level takes authIssuer, /,
    ],
    [
      { ingest: { throtleRate: 5 } },
      /^Unknown setting 'ingest.throtleRate' in stages\/prod.yml: ingest has no such param/,
    ],
    [
      { ingest: { throttleRate: 'fast' } },
      /^Setting 'ingest.throttleRate' for stage 'prod' is a string \("fast"\), where a number is expected: fix it in stages\/prod.yml$/,
    ],
    [
      { deletionProtection: 'yes' },
      /^Setting 'deletionProtection' for stage 'prod' is a string \("yes"\), where a boolean is expected/,
    ],
    [
      { ingest: { authIssuer: null } },
      /^Setting 'ingest.authIssuer' for stage 'prod' is empty: fix it in stages\/prod.yml$/,
    ],
    [{ ingest: { uploadsBucketName: { a: 1 } } }, /is a map, where a single value is expected/],
    [{ ingest: ['throttleRate'] }, /^'ingest' in stages\/prod.yml is not a map of settings$/],
  ])('%j: %s', (content, message) => {
    const { problems } = stageParams('ingest', 'prod', file(content), ingestDefaults, true);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  test('another service’s section is that service’s to check', () => {
    expect(
      stageParams('ingest', 'prod', file({ processing: { anything: 1 } }), ingestDefaults, true).problems,
    ).toEqual([]);
  });
});

describe('publishedName', () => {
  test('reads <owner>/<name> from ${heraldPublished:...}, and nothing from other values', () => {
    expect(publishedName('${heraldPublished:processing/inboundQueueArn}')).toBe('processing/inboundQueueArn');
    expect(publishedName('${ssm:/herald/prod/processing/inboundQueueArn}')).toBeUndefined();
    expect(publishedName(42)).toBeUndefined();
  });
});

describe('checkSettings', () => {
  const complete: Record<string, { value: unknown; origin: Origin }> = {
    authIssuer: { value: 'https://auth.example.com', origin: 'stage file' },
    authJwksUrl: { value: 'https://auth.example.com/.well-known/jwks.json', origin: 'stage file' },
    alarmSubscribers: { value: 'ops@example.com, https://hooks.example.com/sns', origin: 'stage file' },
    inboundQueueUrl: { value: sample.offline['processing/inboundQueueUrl'], origin: 'published' },
    inboundQueueArn: { value: sample.offline['processing/inboundQueueArn'], origin: 'published' },
    processingKeyArn: { value: sample.offline['processing/keyArn'], origin: 'published' },
    throttleRate: { value: 200, origin: 'default' },
    ingestPublicKeys: { value: JWKS, origin: 'published' },
  };
  const facts = (
    values: Record<string, { value: unknown; origin: Origin }>,
    outcomes: Record<string, PublishedOutcome> = {},
    command: SettingsFacts['command'] = 'deploy',
  ): SettingsFacts => ({
    service: 'ingest',
    stage: 'prod',
    file: 'stages/prod.yml',
    command,
    values: { ...complete, ...values },
    published: {
      inboundQueueUrl: 'processing/inboundQueueUrl',
      inboundQueueArn: 'processing/inboundQueueArn',
      processingKeyArn: 'processing/keyArn',
      ingestPublicKeys: 'ingest/publicKeys',
    },
    outcomes,
  });

  test('complete settings pass', () => {
    expect(checkSettings(facts({}))).toEqual([]);
  });

  test.each([
    ['authIssuer', "Missing setting 'authIssuer' for stage 'prod': set it in stages/prod.yml"],
    ['authJwksUrl', "Missing setting 'authJwksUrl' for stage 'prod': set it in stages/prod.yml"],
    ['emailFrom', "Missing setting 'emailFrom' for stage 'prod': set it in stages/prod.yml"],
    ['domainName', "Missing setting 'domainName' for stage 'prod': set it in stages/prod.yml"],
    ['certificateArn', "Missing setting 'certificateArn' for stage 'prod': set it in stages/prod.yml"],
  ])('a required setting left empty: %s', (name, message) => {
    expect(checkSettings(facts({ [name]: { value: '', origin: 'default' } }))).toEqual([message]);
  });

  test('a required setting left at its default (a stand-in) is missing too', () => {
    expect(
      checkSettings(facts({ emailFrom: { value: 'notifications@herald.example', origin: 'default' } })),
    ).toEqual(["Missing setting 'emailFrom' for stage 'prod': set it in stages/prod.yml"]);
  });

  test('an empty setting that is not required passes', () => {
    expect(checkSettings(facts({ alarmSubscribers: { value: '', origin: 'default' } }))).toEqual([]);
  });

  test.each([
    ['authIssuer', 'http://auth.example.com', 'is not an https URL'],
    ['authJwksUrl', 'auth.example.com/jwks', 'is not an https URL'],
    [
      'alarmSubscribers',
      'ops@example.com,http://hooks.example.com',
      "holds 'http://hooks.example.com', neither an e-mail address nor an https URL",
    ],
    ['inboundQueueUrl', 'https://example.com/queue', 'is not an SQS queue URL'],
    ['inboundQueueArn', 'arn:aws:sqs:us-east-1:1234:q', 'is not an SQS queue ARN'],
    ['processingKeyArn', 'alias/herald-prod-processing', 'is not a KMS key ARN'],
    ['eventBusArn', 'herald-prod', 'is not an EventBridge event bus ARN'],
    ['eventBusName', 'a bus', 'is not an event bus name'],
    ['ingestPublicKeys', '{"keys":[]}', 'has no key: every envelope would be refused'],
    ['ingestPublicKeys', 'keys', 'is not JSON (a JWKS: {"keys":[...]})'],
    [
      'ingestPublicKeys',
      JSON.stringify({ keys: [{ ...KEY, d: 'secret' }] }),
      'holds a private key (d): publish public keys only',
    ],
    [
      'ingestPublicKeys',
      JSON.stringify({ keys: [{ kty: 'RSA', kid: 'r' }] }),
      'holds a key that is not an Ed25519 public key with a kid',
    ],
    [
      'ingestUrl',
      'https://ingest.example.com/',
      'is not an https origin (https://host, no path or trailing slash)',
    ],
    ['emailFrom', 'notifications', 'is not an e-mail address'],
    ['emailIdentity', 'example', 'is neither a domain nor an e-mail address'],
    ['domainName', 'https://console.example.com', 'is not a host name'],
    [
      'certificateArn',
      'arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-4333-8444-555555555555',
      'is not an ACM certificate ARN in us-east-1 (CloudFront takes no other region)',
    ],
  ])('%s = %s is refused', (name, value, problem) => {
    expect(checkSettings(facts({ [name]: { value, origin: 'stage file' } }))).toEqual([
      `Setting '${name}' for stage 'prod' ${problem} ('${value.length > 80 ? `${value.slice(0, 77)}...` : value}'): fix it in stages/prod.yml`,
    ]);
  });

  test('a malformed value names where it came from', () => {
    const bad = { value: 'http://auth.example.com', origin: 'cli' as const };
    expect(checkSettings(facts({ authIssuer: bad }))[0]).toMatch(
      /: it was given with --param authIssuer=\.\.\.$/,
    );
    const stale = { value: 'arn:aws:sqs:us-east-1:1:q', origin: 'published' as const };
    expect(checkSettings(facts({ inboundQueueArn: stale }))[0]).toMatch(
      /: SSM parameter \/herald\/prod\/processing\/inboundQueueArn holds it \(its owner, processing, publishes it\)$/,
    );
    const offline = { value: 'arn:aws:sqs:us-east-1:1:q', origin: 'offline' as const };
    expect(checkSettings(facts({ inboundQueueArn: offline }))[0]).toMatch(
      /: fix processing\/inboundQueueArn under offline: in stages\/prod.yml$/,
    );
  });

  describe('a published value that is missing names its SSM parameter and the offline route', () => {
    const empty = { inboundQueueArn: { value: '', origin: 'default' as const } };
    const head =
      "Missing 'inboundQueueArn' for stage 'prod', which processing publishes as SSM parameter /herald/prod/processing/inboundQueueArn";
    const offlineRoute =
      'to package without AWS, give processing/inboundQueueArn under offline: in stages/prod.yml';

    test('not found: deploy its owner first', () => {
      expect(checkSettings(facts(empty, { inboundQueueArn: { read: 'not found' } }))).toEqual([
        `${head}: not found; deploy processing to stage 'prod' first (or ${offlineRoute})`,
      ]);
    });

    test('the public keys: the bootstrap writes them', () => {
      const keys = { ingestPublicKeys: { value: '', origin: 'default' as const } };
      expect(checkSettings(facts(keys, { ingestPublicKeys: { read: 'not found' } }))[0]).toMatch(
        /: not found; run `npm run bootstrap -- --stage prod`, which writes it \(or to package without AWS, give ingest\/publicKeys under offline: in stages\/prod.yml\)$/,
      );
    });

    test('unreadable (no AWS credentials): why, and the offline route', () => {
      const failed: PublishedOutcome = { read: 'failed', error: 'AWS provider credentials not found.' };
      expect(checkSettings(facts(empty, { inboundQueueArn: failed }))).toEqual([
        `${head}: it could not be read (AWS provider credentials not found.); ${offlineRoute}`,
      ]);
    });

    test('packaging, not read', () => {
      expect(checkSettings(facts(empty, {}, 'package'))).toEqual([
        `${head}: ${offlineRoute}, or package with AWS credentials to read it`,
      ]);
    });
  });

  test('every problem at once', () => {
    const problems = checkSettings(
      facts({
        authIssuer: { value: '', origin: 'default' },
        authJwksUrl: { value: 'http://x', origin: 'stage file' },
        inboundQueueUrl: { value: '', origin: 'default' },
      }),
    );
    expect(problems).toHaveLength(3);
  });
});
