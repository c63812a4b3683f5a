import type { Command } from '../command';
import * as deliveries from './deliveries';
import * as eventTypes from './event-types';
import * as events from './events';
import { listen } from './listen';
import * as subscriptions from './subscriptions';

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
];
