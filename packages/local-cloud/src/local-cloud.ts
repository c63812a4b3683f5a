/**
 * The local cloud as a whole: packages the services, starts the emulators, provisions what the
 * templates declare, serves each service's HTTP API from serverless-offline, runs the functions the
 * event bus and event sources invoke in the local runtime and wires those to them; stop() undoes it
 * all in reverse.
 */
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { createCallCounter } from '@herald/shared/aws/call-counter';
import type { Ed25519PrivateJwk } from '@herald/shared/signing';
import { ACCOUNT_ID, clientConfig, REGION } from './aws';
import { loadTemplate, serviceStackName } from './cfn/load';
import type { Template } from './cfn/template';
import { provisionTemplate, type ProvisionResult } from './cfn/provision';
import { DEFAULT_PORTS, resolvePorts, SERVICES, type LocalCloudPorts, type ServiceName } from './config';
import { startEmulators, type Emulators } from './emulators';
import { localConcurrency, startEventSources } from './event-sources';
import { sqsGatewayUpstream } from './sqs-message-moves/gateway-route';
import { startEventBridge } from './eventbridge/server';
import { planFaults, type FaultOptions, type FaultyService, type LocalCloudFaults } from './faults';
import { roleAuthorizer } from './iam/authorizer';
import {
  parseIamMode,
  startIamGateways,
  type GatewayService,
  type IamGateways,
  type IamMode,
} from './iam/gateway';
import { iamModel } from './iam/roles';
import { IAM_USAGE_FILE, iamUsageRecord } from './iam/usage';
import { startHttpFront, type HttpFront } from './http-front';
import { apiAuthorization, authorizerGate } from './http-authorizers';
import { contractChecks, type ContractChecks } from './contract';
import { prepareConsole, startLocalConsole, type ConsoleState } from './console-front';
import { buildReference, serveReference } from './reference';
import { CONTRACT_USAGE_FILE, parseContractMode, type ContractMode } from './contract/coverage';
import { loadOrCreateEnvelopeKey } from './envelope-key';
import { CONSOLE_CLIENT_ID, startIdentityProvider, type IdentityProvider } from './identity';
import { startKms, type KmsServer } from './kms';
import { packageService } from './packaging';
import { startAgainOnTakenPort } from './ports';
import { repositoryRoot, serviceDir, serviceDirsFromEnv, templatePath } from './repository';
import { startRuntime, type RuntimeStats } from './runtime';
import type { FunctionInvoker } from './types';
import { startSecretsManager } from './secrets';
import { startSsm } from './ssm';
import { watchSources } from './source-watcher';
import { superviseOffline, type ServiceStatus, type SupervisedService } from './watchdog';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';

export interface LocalCloudOptions {
  /** 'auto': free ports (tests); 'fixed' (default): the documented defaults and HERALD_PORT_* overrides. */
  ports?: 'auto' | 'fixed';
  /** Where service logs go; default .local-cloud/logs. */
  logDir?: string;
  /** Skip `serverless package` when the templates exist (tests that already packaged). */
  reusePackages?: boolean;
  /**
   * Package a service again when its sources change, and reload it (npm start; see source-watcher.ts).
   */
  watchSources?: boolean;
  /** Faults to inject (default: HERALD_FAULTS), e.g. 'aws=0.05,crash=0.01,stream=0.02,seed=42'. */
  faults?: FaultOptions;
  /**
   * Each function's AWS calls checked against its role as the templates declare it (default:
   * HERALD_IAM, else `enforce`): `report` logs what would be denied and lets it through; `off`.
   */
  iam?: IamMode;
  /**
   * Every response of the services' HTTP APIs checked against their OpenAPI documents (default:
   * HERALD_CONTRACT, else `enforce`: a response that breaks it is answered 500 problem+json saying
   * why); `report` logs it and lets it through; `off` streams responses unread.
   */
  contract?: ContractMode;
  /**
   * Batches each SQS mapping handles at once, and requests each service's serverless-offline runs at
   * once, at most (default: HERALD_LOCAL_CONCURRENCY, else 3).
   */
  localConcurrency?: number;
  /**
   * More ports webhooks may be sent to, beside the receiver's: a benchmark's own receiver, which
   * keeps every arrival rather than the receiver's last 1,000.
   */
  webhookPorts?: readonly number[];
  /**
   * Build the web console when services/console/dist is missing or older than its sources, beside the
   * rest of the start-up (default true); false serves whatever is built.
   */
  buildConsole?: boolean;
  /**
   * A service's folder in another checkout, run in place of this repository's (default: the
   * HERALD_SERVICE_DIR_<SERVICE> variables): a previous release beside the others at this one
   * (test/releases/). It is packaged there, with that checkout's shared code.
   */
  serviceDirs?: Partial<Record<ServiceName, string>>;
  log?: (line: string) => void;
}

export interface LocalCloudEndpoints {
  services: Record<ServiceName, string>;
  lambda: Record<ServiceName, string>;
  aws: {
    sqs: string;
    s3: string;
    dynamodb: string;
    ses: string;
    eventbridge: string;
    secretsmanager: string;
    kms: string;
    /** SSM Parameter Store: what each stack published (`/herald/local/<service>/<name>`); the bootstrap's. */
    ssm: string;
  };
  /**
   * Where functions send their AWS calls: the IAM gateway in front of each service (sqs, dynamodb,
   * events, kms, s3, secretsmanager, ses). A client with `functionClientConfig` acts as a function.
   */
  gateways: Partial<Record<GatewayService, string>>;
  jwksUrl: string;
  issuer: string;
  webhooks: string;
  /** The web console (services/console/dist, served as CloudFront serves it). */
  console: string;
}

export interface LocalCloud {
  ports: LocalCloudPorts;
  endpoints: LocalCloudEndpoints;
  /** Each service's stack outputs, resolved to plain strings. */
  outputs: Record<ServiceName, Record<string, string>>;
  /** Each service's folder it was packaged and runs from: this repository's, or another checkout's. */
  serviceDirs: Record<ServiceName, string>;
  /** Environment for an AWS SDK client (or the AWS CLI) to use the emulators. */
  awsEnv: Record<string, string>;
  identity: IdentityProvider;
  webhooks: WebhookReceiver;
  /** Whether the web console is served, or why not (its build failed, or is missing). */
  console: ConsoleState;
  emulators: Emulators;
  logDir: string;
  /** What the templates declare that the local cloud does not emulate, by resource. */
  report: Record<ServiceName, ProvisionResult['report']>;
  /** Ingest's envelope-signing key for this run, so tests can put correctly signed events on the bus. */
  envelopeSigningKey: Ed25519PrivateJwk;
  /** Fault injection's rates and counts; undefined when no fault was asked for. */
  faults: LocalCloudFaults | undefined;
  /** IAM enforcement: the mode (changeable), denials, which grants the calls used. */
  iam: Omit<IamGateways, 'endpoints' | 'envFor' | 'offlineEnv' | 'judgePollers' | 'stop'>;
  /** Contract checks of the HTTP APIs' responses: the mode (changeable), what was seen so far. */
  contract: Pick<ContractChecks, 'mode' | 'setMode' | 'record'>;
  /** Each service's serverless-offline process as the watchdog sees it (pid, restarts, state); a copy. */
  status(): Record<ServiceName, ServiceStatus>;
  /**
   * The AWS calls the event-source pollers made so far (Lambda's side in AWS, not Herald's code), by
   * `<service>.<operation>`: SQS ReceiveMessage and DeleteMessageBatch, DynamoDB Streams reads, S3
   * reads for notifications. A copy: benchmarks diff two.
   */
  eventSourceCalls(): Record<string, number>;
  /**
   * The local runtime's containers, per function (what is warm, what is busy), and the CPU time
   * they have used so far, in milliseconds per function.
   */
  runtime: { stats(): RuntimeStats; cpuTime(): Promise<Record<string, number>> };
  stop(): Promise<void>;
}

const STAGE = 'local';

export async function startLocalCloud(options: LocalCloudOptions = {}): Promise<LocalCloud> {
  return startAgainOnTakenPort(() => startOnce(options), options.ports ?? 'fixed', options.log);
}

async function startOnce(options: LocalCloudOptions): Promise<LocalCloud> {
  const log = options.log ?? (() => undefined);
  const concurrency = localConcurrency(options.localConcurrency ?? process.env.HERALD_LOCAL_CONCURRENCY);
  const ports = await resolvePorts(options.ports ?? 'fixed');
  const logDir = options.logDir ?? join(repositoryRoot, '.local-cloud', 'logs');
  mkdirSync(logDir, { recursive: true });
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const fn of stops.splice(0).reverse()) await fn().catch((error) => log(`stop: ${String(error)}`));
  };

  const chosenDirs = options.serviceDirs ?? serviceDirsFromEnv();
  const dirs = Object.fromEntries(
    SERVICES.map((service) => [service, serviceDir(service, chosenDirs)]),
  ) as Record<ServiceName, string>;
  for (const service of SERVICES) {
    if (chosenDirs[service]) log(`${service} runs from ${dirs[service]}`);
  }

  // The console's build (when due) runs beside everything below; only the banner waits for it.
  const consolePrepared = prepareConsole({ build: options.buildConsole, log });

  try {
    // Templates first: everything else is read from them.
    if (!options.reusePackages) {
      log('packaging services for stage local');
      await Promise.all(SERVICES.map((service) => packageService(service, STAGE, { dir: dirs[service] })));
    }

    log('starting emulators');
    const emulators = await startEmulators({ fauxqs: ports.sqs, dynamodb: ports.dynamodb, ses: ports.ses });
    stops.push(() => emulators.stop());
    const secrets = await startSecretsManager({ port: ports.secretsmanager });
    stops.push(() => secrets.stop());
    const kms = await startKms({ port: ports.kms });
    stops.push(() => kms.stop());
    // SecureString parameters are encrypted with the local KMS's keys (alias/aws/ssm, or the one named).
    const ssm = await startSsm({ port: ports.ssm, keyring: kms.keyring });
    stops.push(() => ssm.stop());
    // The web console signs in here, under both loopback names: it builds its redirect URI from the
    // address it was opened at.
    const consolePort = ports.console;
    const identity = await startIdentityProvider({
      port: ports.identity,
      clients: {
        [CONSOLE_CLIENT_ID]: {
          redirectUris: [
            `http://localhost:${consolePort}/callback`,
            `http://127.0.0.1:${consolePort}/callback`,
            // The console's Vite dev server (npm run dev -w @herald/console).
            'http://localhost:5173/callback',
          ],
        },
      },
    });
    stops.push(() => identity.stop());
    const webhooks = await startWebhookReceiver({ port: ports.webhooks });
    stops.push(() => webhooks.stop());

    const eventbridgeEndpoint = `http://127.0.0.1:${ports.eventbridge}`;
    const awsEnv: Record<string, string> = {
      AWS_REGION: REGION,
      AWS_DEFAULT_REGION: REGION,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_SQS: emulators.endpoints.sqs,
      // fauxqs serves SNS beside SQS; functions publish to topics (AWS destinations).
      AWS_ENDPOINT_URL_SNS: emulators.endpoints.sqs,
      AWS_ENDPOINT_URL_S3: emulators.endpoints.s3,
      AWS_ENDPOINT_URL_DYNAMODB: emulators.endpoints.dynamodb,
      AWS_ENDPOINT_URL_DYNAMODB_STREAMS: emulators.endpoints.dynamodb,
      AWS_ENDPOINT_URL_SES: emulators.endpoints.ses,
      AWS_ENDPOINT_URL_SESV2: emulators.endpoints.ses,
      AWS_ENDPOINT_URL_EVENTBRIDGE: eventbridgeEndpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
      AWS_ENDPOINT_URL_KMS: kms.endpoint,
      AWS_ENDPOINT_URL_SSM: ssm.endpoint,
      // Emulators answer path-style only; the setting is read by the project's S3 client.
      S3_FORCE_PATH_STYLE: 'true',
    };

    log('provisioning resources from the templates');
    const clients = {
      sqs: new SQSClient({ ...clientConfig(emulators.endpoints.sqs), useQueueUrlAsEndpoint: false }),
      // fauxqs serves SNS beside SQS (topics deliver to SQS queues).
      sns: new SNSClient(clientConfig(emulators.endpoints.sqs)),
      dynamodb: new DynamoDBClient(clientConfig(emulators.endpoints.dynamodb)),
      s3: new S3Client({ ...clientConfig(emulators.endpoints.s3), forcePathStyle: true }),
    };
    const provisioned = {} as Record<ServiceName, ProvisionResult>;
    const templates = {} as Record<ServiceName, Template>;
    const hasHttpApi = {} as Record<ServiceName, boolean>;
    const allowedOrigins = {} as Record<ServiceName, readonly string[] | undefined>;
    for (const service of SERVICES) {
      const template = await loadTemplate(templatePath(service, dirs[service]));
      templates[service] = template;
      const api = Object.values(template.Resources).find((r) => r.Type === 'AWS::ApiGatewayV2::Api');
      hasHttpApi[service] = api !== undefined;
      allowedOrigins[service] = (
        api?.Properties?.CorsConfiguration as { AllowOrigins?: string[] } | undefined
      )?.AllowOrigins?.map((origin) =>
        // The template allows the console's default origin; it is wherever this cloud serves it.
        origin === `http://localhost:${DEFAULT_PORTS.console}` ? `http://localhost:${ports.console}` : origin,
      );
      provisioned[service] = await provisionTemplate(template, {
        stackName: serviceStackName(service, STAGE),
        clients,
        log: { info: log, warn: log },
      });
      registerKeys(kms, template, provisioned[service]);
    }

    // Ingest signs with a private key from its secret; processing verifies with the public half.
    const signingKey = await loadOrCreateEnvelopeKey();
    const secretsClient = new SecretsManagerClient(clientConfig(secrets.endpoint));
    for (const secret of provisioned.ingest.secrets) {
      await secretsClient.send(
        new CreateSecretCommand({ Name: secret.name, SecretString: JSON.stringify(signingKey.privateJwk) }),
      );
    }
    // Every other secret holds what its template gives it (a value, or one made as it describes).
    for (const service of SERVICES.filter((name) => name !== 'ingest')) {
      for (const secret of provisioned[service].secrets) {
        await secretsClient.send(
          new CreateSecretCommand({
            Name: secret.name,
            ...(secret.secretString === undefined ? {} : { SecretString: secret.secretString }),
          }),
        );
      }
    }

    // What each stack publishes for the others' deploys, as its deploy would: the local stage's services
    // are given these values as params (below), so nothing reads them at start; `npm run bootstrap` does.
    const ssmClient = new SSMClient(clientConfig(ssm.endpoint));
    for (const service of SERVICES) {
      for (const parameter of provisioned[service].parameters) {
        await ssmClient.send(
          new PutParameterCommand({
            Name: parameter.name,
            Value: parameter.value,
            Type: parameter.type,
            Description: parameter.description,
            AllowedPattern: parameter.allowedPattern,
            DataType: parameter.dataType,
            Tier: parameter.tier as 'Standard' | 'Advanced' | undefined,
          }),
        );
      }
    }
    ssmClient.destroy();

    // Functions reach AWS through the IAM gateways (with faults as their last stage, when asked for):
    // each function signs with its own key, so each call is judged against its own role.
    // Provisioning, pollers and tests go to the emulators directly.
    const faultPlan = planFaults(options.faults ?? process.env.HERALD_FAULTS, log);
    if (faultPlan) stops.push(() => faultPlan.stop());
    const roles = iamModel(
      SERVICES.map((service) => ({
        stackName: serviceStackName(service, STAGE),
        template: templates[service],
        provisioned: provisioned[service],
      })),
      { accountId: ACCOUNT_ID, region: REGION, partition: 'aws' },
    );
    // Denials and what was not judged go to <logDir>/iam.log (and the cloud's log); at the end, which
    // statements each function used goes to iam-usage.json, for `npm run iam:report`.
    const iamLog = createWriteStream(join(logDir, 'iam.log'));
    const iam = await startIamGateways(
      awsEnv,
      roleAuthorizer(roles),
      parseIamMode(options.iam ?? process.env.HERALD_IAM),
      (line) => {
        iamLog.write(`${new Date().toISOString()} ${line}\n`);
        log(line);
      },
      {
        ...(faultPlan ? { faults: faultPlan.plan } : {}),
        upstreams: {
          sqs: (iamLogLine) =>
            sqsGatewayUpstream({
              front: emulators.endpoints.sqs,
              fauxqs: emulators.fauxqsEndpoint,
              log: iamLogLine,
            }),
        },
      },
    );
    stops.push(() => {
      writeFileSync(join(logDir, IAM_USAGE_FILE), JSON.stringify(iamUsageRecord(iam), null, 1));
      iamLog.end();
      return iam.stop();
    });
    const faults = faultPlan && {
      control: faultPlan.control(iam.endpoints as Record<FaultyService, string>),
      invoker: faultPlan.invoker,
    };

    // Every response the fronts judge is a line of <logDir>/contract.log (one that breaks its service's
    // OpenAPI document also goes to the cloud's log); at the end, which (operation, status) pairs were
    // seen goes to contract-usage.json, for contract:report.
    const contractLog = createWriteStream(join(logDir, 'contract.log'));
    const contract = contractChecks(parseContractMode(options.contract ?? process.env.HERALD_CONTRACT), {
      log: (line) => {
        contractLog.write(`${new Date().toISOString()} ${line}\n`);
        log(line);
      },
      trace: (line) => contractLog.write(`${new Date().toISOString()} ${line}\n`),
    });
    stops.push(async () => {
      writeFileSync(join(logDir, CONTRACT_USAGE_FILE), JSON.stringify(contract.record(), null, 1));
      contractLog.end();
    });

    // Each service's public HTTP port is the local cloud's own front, which passes requests to
    // serverless-offline on an internal port and answers 503 while the watchdog restarts it. With free
    // ports, each front binds one itself (a port picked earlier could be taken meanwhile by the local
    // cloud of a test running alongside), before anything names the port.
    // The API reference each front serves at /docs, built again when the document changed.
    await buildReference().catch((error: unknown) => log(`API reference not built: ${String(error)}`));
    const fronts = {} as Record<ServiceName, HttpFront>;
    // API Gateway's Lambda authorizers, as each template declares them, run by the fronts: the
    // authorizer function runs in the local runtime, which starts once the services have written their
    // function manifests; until then a route behind an authorizer answers 500, as an authorizer
    // that cannot be invoked does in AWS.
    const authorizers: { runtime?: Pick<FunctionInvoker, 'invoke'> } = {};
    // Why an authorizer answered 500 (it failed, timed out, or answered no simple response) goes to
    // <logDir>/authorizers.log and the cloud's log: API Gateway's 500 body says nothing.
    const authorizerLog = createWriteStream(join(logDir, 'authorizers.log'));
    stops.push(async () => void authorizerLog.end());
    const logAuthorizer = (line: string) => {
      authorizerLog.write(`${new Date().toISOString()} ${line}\n`);
      log(line);
    };
    const invokeAuthorizer = (name: string, payload: unknown) =>
      authorizers.runtime
        ? authorizers.runtime.invoke(name, payload)
        : Promise.reject(new Error('the local runtime is not started yet'));
    for (const service of SERVICES) {
      const authorization = apiAuthorization(templates[service], provisioned[service].resources, {
        stackName: serviceStackName(service, STAGE),
      });
      for (const authorizer of authorization?.notEmulated ?? [])
        log(`${service}: JWT authorizer ${authorizer} is not emulated (its functions verify the token)`);
      const front = await startHttpFront({
        service,
        port: options.ports === 'auto' ? 'auto' : ports.services[service].http,
        // As many requests at once as a queue mapping has batches: a warm worker each.
        maxInFlight: concurrency,
        allowedOrigins: allowedOrigins[service],
        contract: contract.forService(service),
        ownRoutes: serveReference(),
        ...(authorization
          ? { authorize: authorizerGate(authorization, { invoke: invokeAuthorizer, log: logAuthorizer }) }
          : {}),
        use: {
          purpose: `${service} HTTP API`,
          setting: `HERALD_PORT_${service.toUpperCase()}_HTTP`,
        },
      });
      stops.push(() => front.stop());
      ports.services[service].http = front.port;
      fronts[service] = front;
    }

    // The console's front, on its port (the identity provider registered its redirect URI there),
    // with this cloud's URLs in its headers and config.json.
    const consoleFront = await startLocalConsole({
      port: ports.console,
      params: {
        ingestUrl: `http://localhost:${ports.services.ingest.http}`,
        processingUrl: `http://localhost:${ports.services.processing.http}`,
        notificationsUrl: `http://localhost:${ports.services.notifications.http}`,
        tenantsUrl: `http://localhost:${ports.services.tenants.http}`,
        authIssuer: identity.issuer,
      },
      prepared: consolePrepared,
    });
    stops.push(() => consoleFront.front.stop());

    log('starting functions in serverless-offline');
    const common = { authIssuer: identity.issuer, authJwksUrl: identity.jwksUrl };
    const params: Record<ServiceName, Record<string, string>> = {
      processing: { ...common, ingestPublicKeys: JSON.stringify({ keys: [signingKey.publicJwk] }) },
      ingest: {
        ...common,
        inboundQueueUrl: provisioned.processing.outputs.InboundQueueUrl ?? '',
        inboundQueueArn: provisioned.processing.outputs.InboundQueueArn ?? '',
        processingKeyArn: provisioned.processing.outputs.ProcessingKeyArn ?? '',
      },
      notifications: {
        ...common,
        ingestPublicKeys: JSON.stringify({ keys: [signingKey.publicJwk] }),
        eventBusName: provisioned.processing.outputs.EventBusName ?? '',
        eventBusArn: provisioned.processing.outputs.EventBusArn ?? '',
        // Links in e-mails go to the public port (the front), not serverless-offline's own.
        emailLinkBaseUrl: `http://localhost:${ports.services.notifications.http}`,
        // Webhooks may go to the receiver's port, wherever it was started.
        webhookAllowedPorts: [443, ports.webhooks, ...(options.webhookPorts ?? [])].join(','),
      },
      tenants: {
        ...common,
        eventBusName: provisioned.processing.outputs.EventBusName ?? '',
        eventBusArn: provisioned.processing.outputs.EventBusArn ?? '',
        // A portal token's console URL points at the console this cloud serves.
        consoleUrl: `http://localhost:${ports.console}`,
      },
    };
    // serverless-offline answers preflights itself, from the stage's allowedOrigins: the same origins
    // as the fronts, the console's at the port it really has.
    for (const service of SERVICES) {
      const origins = allowedOrigins[service];
      if (origins) params[service].allowedOrigins = origins.join(',');
    }
    const supervised = {} as Record<ServiceName, SupervisedService>;
    // allSettled, not all: when one service fails to start, the others are still starting, and each
    // must be in `stops` before the failure stops everything (or it outlives the cloud).
    const starts = await Promise.allSettled(
      SERVICES.map(async (service) => {
        const front = fronts[service];
        supervised[service] = await superviseOffline({
          offline: {
            root: repositoryRoot,
            service,
            dir: dirs[service],
            lambdaPort: ports.services[service].lambda,
            params: params[service],
            env: iam.offlineEnv,
            logDir,
            http: hasHttpApi[service],
          },
          front,
          log,
        });
        stops.push(() => supervised[service].stop());
      }),
    );
    const failed = starts.find((start) => start.status === 'rejected');
    if (failed) throw failed.reason;

    // What event sources and the bus invoke runs in the local runtime's containers, one invocation
    // per container at a time, each with its function's own environment (serverless-offline would
    // start a worker thread per concurrent invocation, without bound, all in one process per service).
    const { runtime, stop: stopRuntime } = startRuntime(
      SERVICES.map((service) => ({
        manifest: supervised[service].manifest,
        logFile: join(logDir, `${service}.log`),
      })),
      { awsEnv: iam.envFor, region: REGION, log },
    );
    stops.push(stopRuntime);
    authorizers.runtime = runtime;
    if (options.watchSources) {
      const watcher = watchSources({
        root: repositoryRoot,
        // A service run from another checkout is not this repository's to watch.
        services: SERVICES.filter((service) => !chosenDirs[service]),
        repackage: (service) => packageService(service, STAGE),
        reload: (service, reason) => supervised[service].reload(reason),
        log,
      });
      stops.push(() => watcher.stop());
    }
    const invoker = faults?.invoker(runtime, log) ?? runtime;
    stops.push(() => invoker.drained());

    log('starting the event bus and event sources');
    const eventbridge = await startEventBridge({
      port: ports.eventbridge,
      // fauxqs itself, not the SQS front (see sqsEndpoint): one HTTP server less for each event sent.
      sqsEndpoint: emulators.fauxqsEndpoint,
      invoker,
      log,
    });
    stops.push(() => eventbridge.stop());
    for (const service of SERVICES) {
      for (const bus of provisioned[service].eventBuses) eventbridge.bus.createEventBus({ name: bus.name });
    }
    for (const service of SERVICES) {
      for (const rule of provisioned[service].busRules) {
        eventbridge.bus.putRule({
          name: rule.name,
          eventBusName: rule.eventBusName,
          eventPattern: rule.eventPattern as object,
          state: rule.state,
        });
        eventbridge.bus.putTargets(rule.name, rule.eventBusName, rule.targets);
      }
    }
    // The pollers act with their functions' roles in AWS: a role that lacks what its poller needs
    // would not deploy (CreateEventSourceMapping refuses it), so the local cloud does not start.
    const eventSources = SERVICES.flatMap((service) => provisioned[service].eventSources);
    const refusals = await iam.judgePollers(eventSources);
    if (refusals.length > 0 && iam.mode() === 'enforce')
      throw new Error(`IAM: event source mappings AWS would refuse:\n${refusals.join('\n')}`);
    // The pollers' own clients, counted: what they call is reported apart from the functions' calls.
    const pollerCalls = createCallCounter();
    const sources = await startEventSources(
      eventSources,
      {
        // fauxqs itself, not the SQS front: the pollers only receive, delete and change visibility,
        // none of them an operation the front answers or a send whose group ids it reads (the fair
        // queues' patches live in fauxqs). One HTTP hop less on this thread for each of their calls.
        sqs: pollerCalls.count(
          new SQSClient({
            ...clientConfig(emulators.fauxqsEndpoint),
            useQueueUrlAsEndpoint: false,
          }),
          'SQS',
        ),
        streams: pollerCalls.count(
          new DynamoDBStreamsClient(clientConfig(emulators.endpoints.dynamodb)),
          'DynamoDBStreams',
        ),
        s3: pollerCalls.count(
          new S3Client({ ...clientConfig(emulators.endpoints.s3), forcePathStyle: true }),
          'S3',
        ),
        fauxqs: emulators.fauxqs,
        invoker,
        log: { info: log, warn: log, error: log },
      },
      { sqs: { localConcurrency: concurrency } },
    );
    stops.push(() => sources.stop());
    const consoleState = await consoleFront.ready;
    if (!consoleState.available) log(`web console unavailable: ${consoleState.reason}`);

    const url = (port: number) => `http://localhost:${port}`;
    return {
      ports,
      endpoints: {
        services: Object.fromEntries(SERVICES.map((s) => [s, url(ports.services[s].http)])) as Record<
          ServiceName,
          string
        >,
        lambda: Object.fromEntries(
          SERVICES.map((s) => [s, url(supervised[s].status().lambdaPort)]),
        ) as Record<ServiceName, string>,
        aws: {
          ...emulators.endpoints,
          eventbridge: eventbridge.endpoint,
          secretsmanager: secrets.endpoint,
          kms: kms.endpoint,
          ssm: ssm.endpoint,
        },
        gateways: iam.endpoints,
        jwksUrl: identity.jwksUrl,
        issuer: identity.issuer,
        webhooks: webhooks.url,
        console: consoleFront.front.url,
      },
      outputs: Object.fromEntries(SERVICES.map((s) => [s, provisioned[s].outputs])) as LocalCloud['outputs'],
      serviceDirs: dirs,
      awsEnv,
      identity,
      webhooks,
      console: consoleState,
      emulators,
      logDir,
      report: Object.fromEntries(SERVICES.map((s) => [s, provisioned[s].report])) as LocalCloud['report'],
      envelopeSigningKey: signingKey.privateJwk,
      faults: faults?.control,
      iam: {
        mode: iam.mode,
        setMode: iam.setMode,
        denials: iam.denials,
        usage: iam.usage,
        unattributed: iam.unattributed,
        uninterpreted: iam.uninterpreted,
        reset: iam.reset,
      },
      contract: { mode: contract.mode, setMode: contract.setMode, record: contract.record },
      status: () =>
        Object.fromEntries(SERVICES.map((s) => [s, supervised[s].status()])) as Record<
          ServiceName,
          ServiceStatus
        >,
      eventSourceCalls: pollerCalls.snapshot,
      runtime: { stats: () => runtime.stats(), cpuTime: () => runtime.cpuTime() },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The template's KMS keys and aliases become keys of the KMS emulator, under the ids the provisioner
 * gave them, so functions encrypt with `!GetAtt Key.Arn` or the alias exactly as deployed.
 */
function registerKeys(kms: KmsServer, template: Template, provisioned: ProvisionResult): void {
  for (const [logicalId, resource] of Object.entries(provisioned.resources)) {
    if (resource.type === 'AWS::KMS::Key') kms.keyring.addKey(resource.ref, `${logicalId} (local)`);
  }
  for (const [logicalId, resource] of Object.entries(provisioned.resources)) {
    if (resource.type !== 'AWS::KMS::Alias') continue;
    const target = (template.Resources[logicalId]?.Properties as { TargetKeyId?: unknown } | undefined)
      ?.TargetKeyId;
    const targetId =
      (target as { Ref?: string } | undefined)?.Ref ??
      (target as { 'Fn::GetAtt'?: [string] } | undefined)?.['Fn::GetAtt']?.[0];
    const key = targetId ? provisioned.resources[targetId] : undefined;
    if (key) kms.keyring.addAlias(resource.ref, key.ref);
  }
}
