/** The little of CloudFormation the plugin writes. */

export interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
}

export type Resources = Record<string, Resource>;

export const ref = (logicalId: string) => ({ Ref: logicalId });
export const getAtt = (logicalId: string, attribute: string) => ({ 'Fn::GetAtt': [logicalId, attribute] });
