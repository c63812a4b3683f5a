/**
 * Ports of the local cloud. Defaults are fixed so a newcomer's URLs stay the same between runs;
 * each can be changed with HERALD_PORT_<NAME>, or all chosen free with HERALD_PORTS=auto (what
 * the tests use, so they can run beside a developer's `npm start`).
 */
import { assertPortFree, freePort, type PortUse } from './ports';

export const SERVICES = ['processing', 'ingest', 'notifications', 'tenants'] as const;
export type ServiceName = (typeof SERVICES)[number];
/**
 * Every service `npm run package` and `npm run check:templates` cover: the four above, which the
 * local cloud runs from their templates, and the web console (a bucket behind CloudFront, no
 * functions), which it serves from its build (console-front.ts).
 */
export const DEPLOYED_SERVICES = [...SERVICES, 'console'] as const;
export type DeployedService = (typeof DEPLOYED_SERVICES)[number];

export interface LocalCloudPorts {
  sqs: number;
  dynamodb: number;
  ses: number;
  eventbridge: number;
  secretsmanager: number;
  kms: number;
  ssm: number;
  identity: number;
  webhooks: number;
  console: number;
  services: Record<ServiceName, { http: number; lambda: number }>;
}

export const DEFAULT_PORTS: LocalCloudPorts = {
  sqs: 4566,
  dynamodb: 8000,
  ses: 8005,
  eventbridge: 4300,
  secretsmanager: 4310,
  kms: 4320,
  ssm: 4330,
  identity: 4100,
  webhooks: 4200,
  console: 4400,
  services: {
    ingest: { http: 4000, lambda: 4002 },
    processing: { http: 4010, lambda: 4012 },
    notifications: { http: 4020, lambda: 4022 },
    tenants: { http: 4030, lambda: 4032 },
  },
};

type Flat = Array<{
  use: PortUse;
  get: (p: LocalCloudPorts) => number;
  set: (p: LocalCloudPorts, v: number) => void;
}>;

/** The ports of the local cloud's own parts (the services' ports are per service). */
export type PartPort = Exclude<keyof LocalCloudPorts, 'services'>;

const PURPOSES: Record<PartPort, string> = {
  sqs: 'SQS and S3 emulator',
  dynamodb: 'DynamoDB Local',
  ses: 'SES emulator',
  eventbridge: 'EventBridge emulator',
  secretsmanager: 'Secrets Manager emulator',
  kms: 'KMS emulator',
  ssm: 'SSM Parameter Store emulator',
  identity: 'identity provider',
  webhooks: 'webhook receiver',
  console: 'web console',
};

export function portUse(key: PartPort): PortUse {
  return { purpose: PURPOSES[key], setting: `HERALD_PORT_${key.toUpperCase()}` };
}

const simple = (key: PartPort) => ({
  use: portUse(key),
  get: (p: LocalCloudPorts) => p[key],
  set: (p: LocalCloudPorts, v: number) => {
    p[key] = v;
  },
});

const ALL: Flat = [
  ...(Object.keys(PURPOSES) as PartPort[]).map(simple),
  ...SERVICES.flatMap((service) =>
    (['http', 'lambda'] as const).map((kind) => ({
      use: {
        purpose: `${service} ${kind === 'http' ? 'HTTP API' : 'Lambda API'}`,
        setting: `HERALD_PORT_${service.toUpperCase()}_${kind.toUpperCase()}`,
      },
      get: (p: LocalCloudPorts) => p.services[service][kind],
      set: (p: LocalCloudPorts, v: number) => {
        p.services[service][kind] = v;
      },
    })),
  ),
];

/** 'auto' picks free ports; otherwise defaults, HERALD_PORT_* overrides, each checked to be free. */
export async function resolvePorts(
  mode: 'auto' | 'fixed',
  env: NodeJS.ProcessEnv = process.env,
): Promise<LocalCloudPorts> {
  const ports: LocalCloudPorts = structuredClone(DEFAULT_PORTS);
  const taken = new Set<number>();
  for (const port of ALL) {
    if (mode === 'auto') {
      let candidate = await freePort();
      while (taken.has(candidate)) candidate = await freePort();
      taken.add(candidate);
      port.set(ports, candidate);
      continue;
    }
    const override = env[port.use.setting];
    if (override !== undefined && override !== '') {
      const value = Number(override);
      if (!Number.isInteger(value) || value < 1 || value > 65_535) {
        throw new Error(`${port.use.setting}=${override} is not a port number`);
      }
      port.set(ports, value);
    }
    await assertPortFree(port.get(ports), port.use);
  }
  const used = ALL.map((p) => p.get(ports));
  const clash = used.find((p, i) => used.indexOf(p) !== i);
  if (clash !== undefined) throw new Error(`Port ${clash} is configured for two things; change one of them`);
  return ports;
}
