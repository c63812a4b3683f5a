/**
 * The services' packaged templates (stage local) planned as the local cloud provisions them, with no
 * local cloud running: in deployment order, each stack seeing the exports of those before it. What
 * the unused-grants report and the tests on the real roles read.
 */
import { access } from 'node:fs/promises';
import { loadTemplate, serviceStackName } from '../cfn/load';
import type { Template } from '../cfn/template';
import { SERVICES, type ServiceName } from '../config';
import { packageService } from '../packaging';
import { templatePath } from '../repository';
import { planStack, type PlannedStack } from './roles';

export interface PackagedService {
  template: Template;
  stack: PlannedStack;
}

/** Each service's template and planned stack; a missing template is an error naming what to run. */
export async function planPackagedServices(scope: {
  accountId: string;
  region: string;
  partition: string;
}): Promise<Record<ServiceName, PackagedService>> {
  const planned = {} as Record<ServiceName, PackagedService>;
  let exports: Record<string, string> = {};
  for (const service of SERVICES) {
    const template = await loadTemplate(templatePath(service));
    const stack = planStack(template, serviceStackName(service), { ...scope, exports });
    exports = { ...exports, ...stack.exported };
    planned[service] = { template, stack };
  }
  return planned;
}

/** Packages (stage local) each service whose template is not there yet, as a test needs before planning. */
export async function packageMissingServices(): Promise<void> {
  const missing: ServiceName[] = [];
  for (const service of SERVICES) await access(templatePath(service)).catch(() => missing.push(service));
  await Promise.all(missing.map((service) => packageService(service, 'local')));
}
