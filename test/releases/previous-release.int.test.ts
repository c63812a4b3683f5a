/**
 * Each service at its previous release (contracts/released/releases.json) beside the others at this
 * checkout, on a local cloud of its own: an event posted through ingest is stored by processing and
 * delivered by notifications as a verified webhook, whichever of the three is the older. This is what
 * releasing one service at a time relies on; contracts:check judges the messages' schemas, this runs
 * the code.
 *
 * Slow: each service packages once in the release's checkout (kept in the temporary directory for
 * later runs) and each runs on a cloud of its own. HERALD_RELEASE_SERVICES=ingest,processing picks
 * which (default: all three); see README, "Contracts between services".
 */
import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { repositoryRoot, startLocalCloud, type LocalCloud } from '@herald/local-cloud';
import type { ServiceName } from '@herald/local-cloud/client';
import { storedEvent } from '../e2e/support/events';
import { eventIds, receivedUntil, verifyWebhook } from '../e2e/support/receiver';
import { newCorrelationId, newTenant } from '../e2e/support/tenant';
import { previousRelease, type PreviousRelease } from './support/previous-release';

const ALL: readonly ServiceName[] = ['ingest', 'processing', 'notifications'];
const chosen = process.env.HERALD_RELEASE_SERVICES?.split(',').map((name) => name.trim()) ?? ALL;
const services = ALL.filter((service) => chosen.includes(service));

describe.each(services)('%s at its previous release beside the others at this one', (service) => {
  let release: PreviousRelease;
  let cloud: LocalCloud | undefined;
  // The e2e helpers find their cloud through HERALD_LOCAL_CLOUD: this one's while it runs.
  const shared = process.env.HERALD_LOCAL_CLOUD;

  beforeAll(async () => {
    release = await previousRelease(service);
    if (release.lockfileDiffers) {
      console.log(
        `${service} at ${release.commit} runs on its own dependencies (its lockfile differs from this checkout's)`,
      );
    }
    cloud = await startLocalCloud({
      ports: 'auto',
      serviceDirs: { [service]: release.serviceDir },
      logDir: `.local-cloud/release-test-logs/${service}`,
    });
    process.env.HERALD_LOCAL_CLOUD = JSON.stringify({
      endpoints: cloud.endpoints,
      outputs: cloud.outputs,
      awsEnv: cloud.awsEnv,
      ports: cloud.ports,
      identityKeyDir: cloud.identity.keyDir,
    });
  }, 900_000);

  afterAll(async () => {
    process.env.HERALD_LOCAL_CLOUD = shared;
    await cloud?.stop();
  }, 120_000);

  test('the release was packaged in its own checkout and runs from there, the others from this one', () => {
    expect(release.serviceDir).toBe(join(release.checkout, 'services', service));
    expect(existsSync(join(release.serviceDir, '.serverless', 'herald-package-key.json'))).toBe(true);
    for (const other of ALL) {
      const dir = other === service ? release.serviceDir : join(repositoryRoot, 'services', other);
      expect([other, cloud!.serviceDirs[other]]).toEqual([other, dir]);
      // serverless-offline's working directory, whose build the local runtime runs too (Linux's /proc).
      const pid = cloud!.status()[other].pid;
      if (existsSync(`/proc/${pid}/cwd`))
        expect([other, realpathSync(`/proc/${pid}/cwd`)]).toEqual([other, realpathSync(dir)]);
    }
  });

  test('an event posted through ingest is stored and delivered as a webhook', async () => {
    const tenant = await newTenant();
    const subscription = await tenant.subscribeWebhook(['release.*']);
    const correlationId = newCorrelationId();
    const event = { id: `release-${service}-${Date.now()}`, type: 'release.checked', data: { service } };

    const accepted = await tenant.call('ingest', 'POST', '/v1/events', {
      body: event,
      headers: { 'x-correlation-id': correlationId },
    });
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({ ids: [event.id] });

    const stored = await storedEvent(tenant, event.id);
    expect(stored).toMatchObject({ ...event, correlationId });

    const [webhook] = await receivedUntil(subscription.endpoint, (r) => r.length >= 1, 'the webhook');
    expect(eventIds([webhook!])).toEqual([event.id]);
    expect(webhook!.verified).toBe(true);
    expect(() => verifyWebhook(webhook!, subscription.secret)).not.toThrow();
    expect(JSON.parse(webhook!.body)).toMatchObject({ id: event.id, type: event.type, data: event.data });
  }, 240_000);
});
