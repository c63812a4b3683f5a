// Every intrinsic function against the behaviour the AWS CloudFormation intrinsic function reference
// documents (its own examples where it gives them), and every way a reference can fail, each error
// naming its place in the template.
import { describe, expect, test } from '@jest/globals';
import { createResolver, defaultAvailabilityZones } from '../../src/cfn/intrinsics';
import type { IntrinsicContext, ResolvedResource } from '../../src/cfn/intrinsics';
import { TemplateError } from '../../src/cfn/template';
import type { Template } from '../../src/cfn/template';

const QUEUE: ResolvedResource = {
  ref: 'https://sqs.us-east-1.amazonaws.com/123456789012/orders',
  attributes: { Arn: 'arn:aws:sqs:us-east-1:123456789012:orders', QueueName: 'orders' },
};
const DB: ResolvedResource = {
  ref: 'mydb',
  attributes: { 'Endpoint.Address': 'mydb.local', 'Endpoint.Port': '5432' },
};

function setup(extra: Partial<Template> = {}, context: Partial<IntrinsicContext> = {}) {
  const template: Template = {
    Parameters: {
      Stage: { Type: 'String', Default: 'dev', AllowedValues: ['dev', 'prod'] },
      Subnets: { Type: 'CommaDelimitedList', Default: 'subnet-a,subnet-b,subnet-c' },
      Attribute: { Type: 'String', Default: 'Arn' },
      RootDomainName: { Type: 'String', Default: 'example.com' },
    },
    Mappings: {
      RegionMap: {
        'us-east-1': { AMI: 'ami-0ff8a91507f77f867', Zones: ['a', 'b'] },
        'eu-west-1': { AMI: 'ami-047bb4163c506cd98' },
      },
    },
    Conditions: {
      IsProd: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] },
      IsDev: { 'Fn::Not': [{ Condition: 'IsProd' }] },
      IsUsEast: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] },
      DevInUsEast: { 'Fn::And': [{ Condition: 'IsDev' }, { Condition: 'IsUsEast' }] },
      ProdOrUsEast: {
        'Fn::Or': [{ Condition: 'IsProd' }, { 'Fn::Equals': ['us-east-1', { Ref: 'AWS::Region' }] }],
      },
    },
    Resources: {
      Queue: { Type: 'AWS::SQS::Queue' },
      Db: { Type: 'AWS::RDS::DBInstance' },
      Later: { Type: 'AWS::SQS::Queue' },
      ProdOnly: { Type: 'AWS::SQS::Queue', Condition: 'IsProd' },
    },
    ...extra,
  };
  const resolver = createResolver(template, {
    accountId: '123456789012',
    region: 'us-east-1',
    partition: 'aws',
    urlSuffix: 'amazonaws.com',
    stackName: 'my-stack',
    resources: { Queue: QUEUE, Db: DB },
    exports: {
      'network-VpcId': 'vpc-123',
      'shared-BusArn': 'arn:aws:events:us-east-1:123456789012:event-bus/b',
    },
    ...context,
  });
  return {
    template,
    resolver,
    resolve: (value: unknown) => resolver.resolve(value, 'Resources.X.Properties.Y'),
  };
}

const { resolve } = setup();

/** The TemplateError `run` throws, to check both its path and its words. */
function failure(run: () => unknown): TemplateError {
  try {
    run();
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error('expected a TemplateError');
}

describe('Ref', () => {
  test('a resource gives its Ref value', () => {
    expect(resolve({ Ref: 'Queue' })).toBe(QUEUE.ref);
  });

  test('pseudo parameters', () => {
    expect(
      resolve({
        account: { Ref: 'AWS::AccountId' },
        region: { Ref: 'AWS::Region' },
        partition: { Ref: 'AWS::Partition' },
        suffix: { Ref: 'AWS::URLSuffix' },
        stack: { Ref: 'AWS::StackName' },
        notifications: { Ref: 'AWS::NotificationARNs' },
      }),
    ).toEqual({
      account: '123456789012',
      region: 'us-east-1',
      partition: 'aws',
      suffix: 'amazonaws.com',
      stack: 'my-stack',
      notifications: [],
    });
    expect(resolve({ Ref: 'AWS::StackId' })).toMatch(
      /^arn:aws:cloudformation:us-east-1:123456789012:stack\/my-stack\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  test('AWS::NoValue removes the property, or the list item, it stands in', () => {
    expect(
      resolve({ Keep: 'yes', Drop: { Ref: 'AWS::NoValue' }, List: ['a', { Ref: 'AWS::NoValue' }, 'b'] }),
    ).toEqual({
      Keep: 'yes',
      List: ['a', 'b'],
    });
    expect(resolve({ Ref: 'AWS::NoValue' })).toBeUndefined();
  });

  test('parameters take their Default, or the value given; list types become lists', () => {
    expect(resolve({ Ref: 'Stage' })).toBe('dev');
    expect(resolve({ Ref: 'Subnets' })).toEqual(['subnet-a', 'subnet-b', 'subnet-c']);
    const given = setup({}, { parameters: { Stage: 'prod', Subnets: 'x,y' } });
    expect(given.resolve({ Ref: 'Stage' })).toBe('prod');
    expect(given.resolve({ Ref: 'Subnets' })).toEqual(['x', 'y']);
  });

  test('parameter problems are errors naming the parameter', () => {
    expect(() => setup({}, { parameters: { Nope: 'x' } })).toThrow(
      'Parameters: Nope is not declared in the template',
    );
    expect(() => setup({}, { parameters: { Stage: 'qa' } })).toThrow(
      'Parameters.Stage: qa is not one of its AllowedValues',
    );
    expect(() => setup({ Parameters: { Bare: { Type: 'String' } } })).toThrow(
      'Parameters.Bare: no value was given and it has no Default',
    );
  });

  test('an unknown name is an error naming the place in the template', () => {
    const error = failure(() => resolve({ Ref: 'Missing' }));
    expect(error.path).toBe('Resources.X.Properties.Y.Ref');
    expect(error.message).toMatch(/^Resources\.X\.Properties\.Y\.Ref: Ref to unknown resource Missing\b/);
    expect(() => resolve({ Ref: 'AWS::Nope' })).toThrow('Ref to unknown pseudo parameter AWS::Nope');
    expect(() => resolve({ Ref: { 'Fn::Sub': 'Queue' } })).toThrow('Ref takes the literal name');
  });

  test('a resource not created yet, or not created at all because of its condition, is an error', () => {
    expect(() => resolve({ Ref: 'Later' })).toThrow('Ref to resource Later, which has not been created yet');
    expect(() => resolve({ Ref: 'ProdOnly' })).toThrow(
      'Ref to resource ProdOnly, which is not created because its condition IsProd is false',
    );
  });
});

describe('Fn::GetAtt', () => {
  test('array and dotted forms', () => {
    expect(resolve({ 'Fn::GetAtt': ['Queue', 'Arn'] })).toBe(QUEUE.attributes.Arn);
    expect(resolve({ 'Fn::GetAtt': 'Queue.QueueName' })).toBe('orders');
  });

  test('an attribute name with a dot in it splits at the first dot', () => {
    expect(resolve({ 'Fn::GetAtt': 'Db.Endpoint.Address' })).toBe('mydb.local');
    expect(resolve({ 'Fn::GetAtt': ['Db', 'Endpoint.Port'] })).toBe('5432');
  });

  test('the attribute name may be a Ref to a parameter', () => {
    expect(resolve({ 'Fn::GetAtt': ['Queue', { Ref: 'Attribute' }] })).toBe(QUEUE.attributes.Arn);
  });

  test('errors: unknown resource, unknown attribute (listing the known ones), bad shape', () => {
    expect(() => resolve({ 'Fn::GetAtt': ['Nope', 'Arn'] })).toThrow(
      'Resources.X.Properties.Y.Fn::GetAtt: Fn::GetAtt to unknown resource Nope',
    );
    expect(() => resolve({ 'Fn::GetAtt': ['Queue', 'Colour'] })).toThrow(
      'resource Queue (AWS::SQS::Queue) has no attribute Colour in the local cloud (it has Arn, QueueName)',
    );
    expect(() => resolve({ 'Fn::GetAtt': 'Queue' })).toThrow('Fn::GetAtt takes');
    expect(() => resolve({ 'Fn::GetAtt': ['Queue'] })).toThrow('Fn::GetAtt takes [LogicalId, AttributeName]');
  });
});

describe('Fn::Sub', () => {
  test('the reference example: pseudo parameters and a logical id', () => {
    expect(resolve({ 'Fn::Sub': 'arn:aws:ec2:${AWS::Region}:${AWS::AccountId}:queue/${Queue}' })).toBe(
      `arn:aws:ec2:us-east-1:123456789012:queue/${QUEUE.ref}`,
    );
  });

  test('${Resource.Attribute} is Fn::GetAtt; a parameter is Ref', () => {
    expect(resolve({ 'Fn::Sub': '${Queue.Arn}/* in ${Stage}' })).toBe(`${QUEUE.attributes.Arn}/* in dev`);
  });

  test('the reference example with a variable map; map values may be intrinsics and shadow other names', () => {
    expect(resolve({ 'Fn::Sub': ['www.${Domain}', { Domain: { Ref: 'RootDomainName' } }] })).toBe(
      'www.example.com',
    );
    expect(resolve({ 'Fn::Sub': ['${Queue}-${n}', { Queue: 'shadowed', n: 3 }] })).toBe('shadowed-3');
  });

  test('${!Literal} writes ${Literal}; a lone $ or unmatched brace stays as it is', () => {
    expect(resolve({ 'Fn::Sub': '${!Literal} and ${!AWS::Region} cost $5 {x}' })).toBe(
      '${Literal} and ${AWS::Region} cost $5 {x}',
    );
  });

  test('errors', () => {
    expect(() => resolve({ 'Fn::Sub': '${Nope}' })).toThrow('Ref to unknown resource Nope');
    expect(() => resolve({ 'Fn::Sub': '${Subnets}' })).toThrow(
      '${Subnets} is a list, which Fn::Sub cannot put in a string',
    );
    expect(() => resolve({ 'Fn::Sub': '${}' })).toThrow('Fn::Sub has an empty ${} variable');
    expect(() => resolve({ 'Fn::Sub': { 'Fn::Join': ['', ['a']] } })).toThrow('must be a literal string');
    expect(() => resolve({ 'Fn::Sub': ['${a}', { a: ['x'] }] })).toThrow(
      'Resources.X.Properties.Y.Fn::Sub[1].a: expected a string but this is a list',
    );
  });
});

describe('Fn::Join', () => {
  test('the reference examples', () => {
    expect(resolve({ 'Fn::Join': [':', ['a', 'b', 'c']] })).toBe('a:b:c');
    expect(
      resolve({
        'Fn::Join': [
          '',
          ['arn:', { Ref: 'AWS::Partition' }, ':s3:::elasticbeanstalk-*-', { Ref: 'AWS::AccountId' }],
        ],
      }),
    ).toBe('arn:aws:s3:::elasticbeanstalk-*-123456789012');
  });

  test('the list may come from a function; AWS::NoValue items are left out; numbers become text', () => {
    expect(resolve({ 'Fn::Join': [',', { Ref: 'Subnets' }] })).toBe('subnet-a,subnet-b,subnet-c');
    expect(resolve({ 'Fn::Join': ['-', ['a', { Ref: 'AWS::NoValue' }, 7]] })).toBe('a-7');
  });

  test('errors', () => {
    expect(() => resolve({ 'Fn::Join': [':', 'abc'] })).toThrow(
      'Fn::Join[1]: expected a list but this is abc',
    );
    expect(() => resolve({ 'Fn::Join': [':', [['nested']]] })).toThrow(
      'Fn::Join[1][0]: expected a string but this is a list',
    );
    expect(() => resolve({ 'Fn::Join': [{ Ref: 'Stage' }, ['a']] })).toThrow(
      'the delimiter must be a literal string',
    );
    expect(() => resolve({ 'Fn::Join': ['a'] })).toThrow('Fn::Join takes [delimiter, [values...]]');
  });
});

describe('Fn::Select and Fn::Split', () => {
  test('the reference examples', () => {
    expect(resolve({ 'Fn::Select': ['1', ['apples', 'grapes', 'oranges', 'mangoes']] })).toBe('grapes');
    expect(resolve({ 'Fn::Split': ['|', 'a|b|c'] })).toEqual(['a', 'b', 'c']);
    expect(resolve({ 'Fn::Split': ['|', 'a||c|'] })).toEqual(['a', '', 'c', '']);
  });

  test('nested: select from a split, and from a list parameter', () => {
    expect(resolve({ 'Fn::Select': [2, { 'Fn::Split': [':', { 'Fn::GetAtt': ['Queue', 'Arn'] }] }] })).toBe(
      'sqs',
    );
    expect(resolve({ 'Fn::Select': [0, { Ref: 'Subnets' }] })).toBe('subnet-a');
    expect(resolve({ 'Fn::Select': [1, { 'Fn::GetAZs': '' }] })).toBe('us-east-1b');
  });

  test('errors', () => {
    expect(() => resolve({ 'Fn::Select': [4, ['a', 'b']] })).toThrow(
      'index 4 is out of range for a list of 2',
    );
    expect(() => resolve({ 'Fn::Select': ['-1', ['a']] })).toThrow(
      'the index must be a whole number, not -1',
    );
    expect(() => resolve({ 'Fn::Split': ['', 'abc'] })).toThrow(
      'the delimiter must be a non-empty literal string',
    );
    expect(() => resolve({ 'Fn::Split': [',', ['a']] })).toThrow(
      'Fn::Split[1]: expected a string but this is a list',
    );
  });
});

describe('conditions and Fn::If', () => {
  test('Fn::Equals, Fn::Not, Fn::And, Fn::Or and {Condition}', () => {
    const { resolver } = setup();
    expect(resolver.condition('IsProd', 'x')).toBe(false);
    expect(resolver.condition('IsDev', 'x')).toBe(true);
    expect(resolver.condition('DevInUsEast', 'x')).toBe(true);
    expect(resolver.condition('ProdOrUsEast', 'x')).toBe(true);
    const prod = setup({}, { parameters: { Stage: 'prod' }, region: 'eu-west-1' });
    expect(prod.resolver.condition('DevInUsEast', 'x')).toBe(false);
    expect(prod.resolver.condition('ProdOrUsEast', 'x')).toBe(true);
  });

  test('Fn::If picks a branch; AWS::NoValue in the branch removes the property', () => {
    expect(resolve({ Size: { 'Fn::If': ['IsProd', 100, 1] } })).toEqual({ Size: 1 });
    expect(
      resolve({ Name: 'x', Extra: { 'Fn::If': ['IsDev', { Ref: 'AWS::NoValue' }, 'prod-only'] } }),
    ).toEqual({ Name: 'x' });
  });

  test('a resource whose condition is false is not included', () => {
    const { resolver } = setup();
    expect(resolver.isIncluded('ProdOnly')).toBe(false);
    expect(resolver.isIncluded('Queue')).toBe(true);
  });

  test('errors: unknown or circular conditions, resources in conditions, bad arity, use outside Conditions', () => {
    expect(() => resolve({ 'Fn::If': ['Nope', 1, 2] })).toThrow(
      'Resources.X.Properties.Y.Fn::If[0]: unknown condition Nope',
    );
    const bad = setup({
      Conditions: {
        A: { Condition: 'B' },
        B: { 'Fn::Not': [{ Condition: 'A' }] },
        OnResource: { 'Fn::Equals': [{ Ref: 'Queue' }, 'x'] },
        Lonely: { 'Fn::And': [{ Condition: 'A' }] },
        Word: 'true',
      },
    });
    expect(() => bad.resolver.condition('A', 'x')).toThrow('depends on itself');
    expect(() => bad.resolver.condition('OnResource', 'x')).toThrow(
      'Conditions.OnResource.Fn::Equals[0].Ref: conditions can only refer to parameters, not to resource Queue',
    );
    expect(() => bad.resolver.condition('Lonely', 'x')).toThrow('Fn::And takes a list of 2 to 10 conditions');
    expect(() => bad.resolver.condition('Word', 'x')).toThrow('a condition must be Fn::Equals');
    expect(() => resolve({ 'Fn::Equals': ['a', 'a'] })).toThrow(
      'Fn::Equals can only be used in the Conditions section',
    );
  });
});

describe('Fn::ImportValue, Fn::GetAZs, Fn::Base64, Fn::FindInMap', () => {
  test('Fn::ImportValue takes a name, possibly built with Fn::Sub', () => {
    expect(resolve({ 'Fn::ImportValue': 'network-VpcId' })).toBe('vpc-123');
    expect(resolve({ 'Fn::ImportValue': { 'Fn::Sub': 'shared-BusArn' } })).toContain(':event-bus/b');
    expect(() => resolve({ 'Fn::ImportValue': 'other-Thing' })).toThrow(
      'Fn::ImportValue: no stack exports other-Thing (exports: network-VpcId, shared-BusArn)',
    );
  });

  test("Fn::GetAZs: the stack's region for an empty string, or the region named", () => {
    expect(resolve({ 'Fn::GetAZs': '' })).toEqual(defaultAvailabilityZones('us-east-1'));
    expect(resolve({ 'Fn::GetAZs': '' })).toHaveLength(6);
    expect(resolve({ 'Fn::GetAZs': { Ref: 'AWS::Region' } })).toContain('us-east-1f');
    expect(resolve({ 'Fn::GetAZs': 'eu-west-1' })).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    const custom = setup({}, { availabilityZones: () => ['zone-1'] });
    expect(custom.resolve({ 'Fn::GetAZs': '' })).toEqual(['zone-1']);
  });

  test('Fn::Base64 (the reference example) of a literal and of a function', () => {
    expect(resolve({ 'Fn::Base64': 'AWS CloudFormation' })).toBe('QVdTIENsb3VkRm9ybWF0aW9u');
    expect(resolve({ 'Fn::Base64': { 'Fn::Sub': '${AWS::Region}' } })).toBe(
      Buffer.from('us-east-1').toString('base64'),
    );
  });

  test('Fn::FindInMap with keys from Refs, list values, and the DefaultValue form', () => {
    expect(resolve({ 'Fn::FindInMap': ['RegionMap', { Ref: 'AWS::Region' }, 'AMI'] })).toBe(
      'ami-0ff8a91507f77f867',
    );
    expect(resolve({ 'Fn::FindInMap': ['RegionMap', 'us-east-1', 'Zones'] })).toEqual(['a', 'b']);
    expect(
      resolve({ 'Fn::FindInMap': ['RegionMap', 'ap-south-1', 'AMI', { DefaultValue: 'ami-default' }] }),
    ).toBe('ami-default');
    expect(() => resolve({ 'Fn::FindInMap': ['RegionMap', 'ap-south-1', 'AMI'] })).toThrow(
      'Fn::FindInMap: mapping RegionMap has no ap-south-1 / AMI',
    );
    expect(() => resolve({ 'Fn::FindInMap': ['Nope', 'a', 'b'] })).toThrow(
      'Fn::FindInMap: there is no mapping Nope',
    );
  });
});

describe('what is not an intrinsic function', () => {
  test('plain data (IAM conditions, nested objects) passes through untouched', () => {
    const policy = {
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      Effect: 'Deny',
      Number: 5,
      On: true,
    };
    expect(resolve(policy)).toEqual(policy);
  });

  test('an intrinsic function beside other keys is refused, naming both', () => {
    expect(() => resolve({ Value: { 'Fn::Join': ['', ['a']], 'Fn::Sub': 'a' } })).toThrow(
      'Resources.X.Properties.Y.Value: Fn::Join must be the only key of its object, but Fn::Sub is beside it',
    );
    expect(() => resolve({ Ref: 'Queue', Extra: 1 })).toThrow('Ref must be the only key of its object');
  });

  test('functions the local cloud does not implement are named', () => {
    expect(() => resolve({ 'Fn::Cidr': ['10.0.0.0/16', 6, 5] })).toThrow(
      'Fn::Cidr is not supported by the local cloud',
    );
  });
});
