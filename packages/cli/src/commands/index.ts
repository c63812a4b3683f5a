import type { Command } from '../command';
import * as audit from './audit';
import * as deliveries from './deliveries';
import * as eventTypes from './event-types';
import * as events from './events';
import * as keys from './keys';
import { listen } from './listen';
import * as subscriptions from './subscriptions';
import * as tenantData from './tenant-data';
import * as tenants from './tenants';

/** Every command, in the order `herald --help` lists them. */
export const COMMANDS: readonly Command[] = [
  events.send,
  events.upload,
  events.list,
  events.get,
  eventTypes.list,
  eventTypes.get,
  eventTypes.put,
  eventTypes.deprecate,
  subscriptions.create,
  subscriptions.list,
  subscriptions.get,
  subscriptions.update,
  subscriptions.remove,
  subscriptions.pause,
  subscriptions.resume,
  subscriptions.rotateSecret,
  subscriptions.testFilter,
  deliveries.list,
  deliveries.tail,
  deliveries.redeliver,
  deliveries.replay,
  listen,
  tenants.show,
  keys.create,
  keys.list,
  keys.get,
  keys.revoke,
  keys.portalToken,
  audit.list,
  tenantData.startExport,
  tenantData.getExport,
  tenantData.erase,
  tenantData.getErasure,
  tenants.create,
  tenants.list,
  tenants.get,
  tenants.update,
  tenants.suspend,
  tenants.resume,
  tenants.remove,
];
