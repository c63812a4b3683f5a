/** The rollback's port on AWS: CloudFormation for the stack, Lambda for the aliases and versions. */
import {
  CancelUpdateStackCommand,
  CloudFormationClient,
  DescribeStacksCommand,
  paginateListStackResources,
} from '@aws-sdk/client-cloudformation';
import {
  GetAliasCommand,
  LambdaClient,
  paginateListVersionsByFunction,
  ResourceNotFoundException,
  UpdateAliasCommand,
} from '@aws-sdk/client-lambda';
import type { AliasState, RollbackPort } from './rollback';

export function awsRollbackPort(region: string): RollbackPort {
  const cloudFormation = new CloudFormationClient({ region });
  const lambda = new LambdaClient({ region });
  return {
    async stackStatus(stackName) {
      try {
        const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
        return Stacks?.[0]?.StackStatus;
      } catch (error) {
        // CloudFormation answers a missing stack with a ValidationError naming it.
        if ((error as Error).name === 'ValidationError' && /does not exist/.test((error as Error).message))
          return undefined;
        throw error;
      }
    },
    async cancelUpdate(stackName) {
      await cloudFormation.send(new CancelUpdateStackCommand({ StackName: stackName }));
    },
    async stackFunctions(stackName) {
      const names: string[] = [];
      for await (const page of paginateListStackResources(
        { client: cloudFormation },
        { StackName: stackName },
      ))
        for (const resource of page.StackResourceSummaries ?? [])
          if (resource.ResourceType === 'AWS::Lambda::Function' && resource.PhysicalResourceId)
            names.push(resource.PhysicalResourceId);
      return names;
    },
    async getAlias(functionName, alias): Promise<AliasState | undefined> {
      try {
        const answer = await lambda.send(new GetAliasCommand({ FunctionName: functionName, Name: alias }));
        return {
          version: answer.FunctionVersion!,
          additionalWeights: answer.RoutingConfig?.AdditionalVersionWeights ?? {},
        };
      } catch (error) {
        if (error instanceof ResourceNotFoundException) return undefined;
        throw error;
      }
    },
    async listVersions(functionName) {
      const versions: string[] = [];
      for await (const page of paginateListVersionsByFunction(
        { client: lambda },
        { FunctionName: functionName },
      ))
        for (const version of page.Versions ?? [])
          if (version.Version && version.Version !== '$LATEST') versions.push(version.Version);
      return versions;
    },
    async updateAlias(functionName, alias, version) {
      await lambda.send(
        new UpdateAliasCommand({
          FunctionName: functionName,
          Name: alias,
          FunctionVersion: version,
          // An empty map removes a traffic split left by a deployment.
          RoutingConfig: { AdditionalVersionWeights: {} },
        }),
      );
    },
  };
}
