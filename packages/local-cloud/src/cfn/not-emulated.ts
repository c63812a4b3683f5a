/** Why a resource type has no local counterpart: the reason provisioning reports for it. */

const IAM = 'IAM is not enforced locally: every function may call every local resource';
const KMS = 'KMS is not emulated: resources that name this key keep their data unencrypted';
const POLICY = 'resource policies are not enforced locally';
const HTTP_API = 'API Gateway is not emulated: serverless-offline serves the routes from serverless.yml';

const BY_TYPE: Record<string, string> = {
  'AWS::IAM::Role': IAM,
  'AWS::IAM::Policy': IAM,
  'AWS::IAM::ManagedPolicy': IAM,
  'AWS::IAM::InstanceProfile': IAM,
  'AWS::KMS::Key': KMS,
  'AWS::KMS::Alias': KMS,
  'AWS::CloudWatch::Alarm': 'CloudWatch metrics and alarms are not emulated: the alarm never fires',
  'AWS::CloudWatch::Dashboard': 'CloudWatch is not emulated',
  'AWS::Logs::LogGroup': 'CloudWatch Logs is not emulated: function logs go to the local process output',
  'AWS::Logs::MetricFilter': 'CloudWatch Logs is not emulated',
  'AWS::Logs::SubscriptionFilter': 'CloudWatch Logs is not emulated',
  'AWS::Lambda::Permission': POLICY,
  'AWS::Lambda::Version': 'the local cloud runs one version of each function',
  'AWS::Lambda::Alias': 'the local cloud runs one version of each function',
  'AWS::SQS::QueuePolicy': `${POLICY} (fauxqs does not check them)`,
  'AWS::S3::BucketPolicy': `${POLICY} (fauxqs does not check them)`,
  'AWS::Events::EventBusPolicy': POLICY,
  'AWS::SNS::TopicPolicy': `${POLICY} (fauxqs does not check them)`,
};

export function notEmulatedReason(type: string): string {
  const known = BY_TYPE[type];
  if (known) return known;
  if (type.startsWith('AWS::ApiGatewayV2::') || type.startsWith('AWS::ApiGateway::')) return HTTP_API;
  if (type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource')
    return 'custom resources are not run locally';
  return `${type} is not known to the local cloud: nothing was created for it`;
}
