/**
 * AWS::SSM::Parameter as data for the local Parameter Store: what a service publishes for the others'
 * deploys (/herald/<stage>/<service>/<name>). CloudFormation creates String and StringList parameters only
 * (its resource reference: SecureString is not supported), which the local cloud puts in its SSM emulator
 * once every stack is provisioned.
 */
import { checkProperties, type Ignore, type PropertyRules } from './report';
import { TemplateError } from './template';

export interface ParameterDefinition {
  name: string;
  type: 'String' | 'StringList';
  value: string;
  description?: string;
  allowedPattern?: string;
  dataType?: string;
  tier?: string;
}

export const PARAMETER_PROPERTIES: PropertyRules = {
  used: ['Name', 'Type', 'Value', 'Description', 'AllowedPattern', 'DataType', 'Tier'],
  ignored: {
    Tags: 'parameters are not tagged locally',
    Policies: 'parameter policies (expiration, notifications) are not emulated',
  },
};

export function parameterDefinition(
  parameter: { name: string; properties: Record<string, unknown>; path: string },
  ignore: Ignore,
): ParameterDefinition {
  const { name, properties, path } = parameter;
  checkProperties(properties, PARAMETER_PROPERTIES, ignore);
  const type = properties.Type;
  if (type !== 'String' && type !== 'StringList')
    throw new TemplateError(`${path}.Type`, 'must be String or StringList (CloudFormation makes no other)');
  const value = properties.Value;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
    throw new TemplateError(`${path}.Value`, 'must resolve to a string');
  const definition: ParameterDefinition = { name, type, value: String(value) };
  if (properties.Description !== undefined) definition.description = String(properties.Description);
  if (properties.AllowedPattern !== undefined) definition.allowedPattern = String(properties.AllowedPattern);
  if (properties.DataType !== undefined) definition.dataType = String(properties.DataType);
  if (properties.Tier !== undefined) definition.tier = String(properties.Tier);
  return definition;
}
