/**
 * The bootstrap's ports (bootstrap.ts) on AWS: SSM Parameter Store and Secrets Manager through the
 * SDK, with whatever credentials and endpoint the clients were given.
 */
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import {
  DeleteParameterCommand,
  GetParameterCommand,
  PutParameterCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import type { BootstrapPorts } from './bootstrap';

const named = (error: unknown, name: string) => (error as Error).name === name;

export function ssmPorts(
  ssm: SSMClient,
): Pick<BootstrapPorts, 'getParameter' | 'putParameter' | 'deleteParameter'> {
  return {
    async getParameter(name) {
      try {
        const { Parameter } = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
        return Parameter?.Value;
      } catch (error) {
        if (named(error, 'ParameterNotFound')) return undefined;
        throw error;
      }
    },
    async putParameter(name, value, type) {
      // SecureString with the account's aws/ssm key: only the pending private key, deleted once moved.
      await ssm.send(new PutParameterCommand({ Name: name, Value: value, Type: type, Overwrite: true }));
    },
    async deleteParameter(name) {
      await ssm.send(new DeleteParameterCommand({ Name: name }));
    },
  };
}

export function secretsPorts(
  secrets: SecretsManagerClient,
): Pick<BootstrapPorts, 'getSecret' | 'putSecretValue'> {
  return {
    async getSecret(name) {
      try {
        await secrets.send(new DescribeSecretCommand({ SecretId: name }));
      } catch (error) {
        if (named(error, 'ResourceNotFoundException')) return { exists: false };
        throw error;
      }
      try {
        const { SecretString } = await secrets.send(new GetSecretValueCommand({ SecretId: name }));
        return { exists: true, value: SecretString };
      } catch (error) {
        // A secret CloudFormation created without a value has no AWSCURRENT version yet.
        if (named(error, 'ResourceNotFoundException')) return { exists: true };
        throw error;
      }
    },
    async putSecretValue(name, value) {
      await secrets.send(new PutSecretValueCommand({ SecretId: name, SecretString: value }));
    },
  };
}
