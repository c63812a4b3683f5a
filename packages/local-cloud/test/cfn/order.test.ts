// The order resources are created in: after their DependsOn and everything their properties refer to,
// template order among equals, and dependency cycles named.
import { describe, expect, test } from '@jest/globals';
import { creationOrder, referencedResources, resourceDependencies } from '../../src/cfn/order';
import type { CfnResource, Template } from '../../src/cfn/template';

const template = (resources: Record<string, CfnResource>): Template => ({
  Parameters: { Stage: { Type: 'String', Default: 'dev' } },
  Resources: resources,
});
const queue = (properties: Record<string, unknown> = {}, extra: Partial<CfnResource> = {}): CfnResource => ({
  Type: 'AWS::SQS::Queue',
  Properties: properties,
  ...extra,
});

describe('what a resource depends on', () => {
  test('Ref, Fn::GetAtt in both forms, DependsOn as a string or a list', () => {
    const t = template({
      A: queue(),
      B: queue(),
      C: queue(),
      D: queue(),
      E: queue(
        {
          One: { Ref: 'A' },
          Two: [{ 'Fn::GetAtt': ['B', 'Arn'] }],
          Three: { Nested: { 'Fn::GetAtt': 'C.Arn' } },
        },
        { DependsOn: 'D' },
      ),
      F: queue({}, { DependsOn: ['A', 'B'] }),
    });
    expect([...resourceDependencies(t, 'E')].sort()).toEqual(['A', 'B', 'C', 'D']);
    expect([...resourceDependencies(t, 'F')].sort()).toEqual(['A', 'B']);
  });

  test('Fn::Sub variables count, except ${!Literal}, map variables, parameters and pseudo parameters', () => {
    const t = template({ A: queue(), B: queue(), C: queue(), Literal: queue() });
    const value = {
      'Fn::Sub': [
        '${A}/${B.Arn}/${!Literal}/${Own}/${Stage}/${AWS::Region}',
        { Own: { 'Fn::GetAtt': ['C', 'Arn'] } },
      ],
    };
    expect([...referencedResources(value, t)].sort()).toEqual(['A', 'B', 'C']);
  });

  test('names that are not resources are left for the resolver to report', () => {
    const t = template({
      A: queue({ X: { Ref: 'Stage' }, Y: { Ref: 'AWS::AccountId' }, Z: { Ref: 'Nowhere' } }),
    });
    expect(resourceDependencies(t, 'A').size).toBe(0);
  });

  test('DependsOn an unknown resource is an error naming it', () => {
    const t = template({ A: queue({}, { DependsOn: ['B', 'Ghost'] }), B: queue() });
    expect(() => resourceDependencies(t, 'A')).toThrow(
      'Resources.A.DependsOn[1]: DependsOn names unknown resource Ghost',
    );
    expect(() => creationOrder(template({ A: queue({}, { DependsOn: 'Ghost' }) }))).toThrow(
      'Resources.A.DependsOn: DependsOn names unknown resource Ghost',
    );
  });
});

describe('creation order', () => {
  test('every resource after what it depends on, template order among the ready ones', () => {
    const t = template({
      Rule: queue({ Target: { 'Fn::GetAtt': ['Queue', 'Arn'] }, Dlq: { 'Fn::GetAtt': ['Dlq', 'Arn'] } }),
      Queue: queue({ RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['Dlq', 'Arn'] } } }),
      Alarm: queue({ Dimension: { Ref: 'Dlq' } }, { DependsOn: 'Rule' }),
      Dlq: queue(),
      Standalone: queue(),
    });
    expect(creationOrder(t)).toEqual(['Dlq', 'Queue', 'Rule', 'Alarm', 'Standalone']);
  });

  test('a template without dependencies keeps its order', () => {
    expect(creationOrder(template({ C: queue(), A: queue(), B: queue() }))).toEqual(['C', 'A', 'B']);
  });

  test('a cycle is an error naming the resources in it', () => {
    const t = template({
      Free: queue(),
      A: queue({ X: { Ref: 'B' } }),
      B: queue({ X: { 'Fn::Sub': '${C.Arn}' } }),
      C: queue({}, { DependsOn: 'A' }),
    });
    expect(() => creationOrder(t)).toThrow('Resources: circular dependency: A -> B -> C -> A');
    expect(() => creationOrder(template({ Self: queue({ X: { Ref: 'Self' } }) }))).toThrow(
      'circular dependency: Self -> Self',
    );
  });
});
