/** The one region and account every emulator and every ARN of the local cloud uses. */
export const REGION = 'us-east-1';
export const ACCOUNT_ID = '000000000000';

/** SDK client settings for talking to an emulator: fixed region, dummy credentials. */
export function clientConfig(endpoint: string) {
  return {
    endpoint,
    region: REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
}

export const queueArn = (name: string) => `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:${name}`;
/** AWS-style queue URL; fauxqs matches it by name when the client sends calls to its endpoint. */
export const queueUrl = (name: string) => `https://sqs.${REGION}.amazonaws.com/${ACCOUNT_ID}/${name}`;
export const queueNameFromArn = (arn: string) => arn.split(':').at(-1)!;
export const functionArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:${name}`;
export const functionNameFromArn = (arn: string) => arn.split(':')[6]!;
/** The service part of an ARN (`arn:aws:sqs:...` is `sqs`). */
export const serviceOfArn = (arn: string): string | undefined => /^arn:[^:]+:([^:]+):/.exec(arn)?.[1];
