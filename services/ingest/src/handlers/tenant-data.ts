import { tenantDataHandler } from '@herald/shared/tenant-data/entry';
import { tenantDataDeps } from '../wiring';

/** tenant.erasure.requested and tenant.export.requested from the bus, and their follow-ups. */
export const handler = tenantDataHandler(tenantDataDeps);
