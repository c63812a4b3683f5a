/**
 * A service's dead-letter queues, as it declares them: an id for the routes, the queue's name, what
 * lands in it, and how it is redriven. A queue fed by an SQS queue's redrive policy is redriven with
 * SQS's message-move API, back to that queue. The message-move API refuses any other (a Lambda
 * destination's, a bus's, a rule's dead-letter queue): those forward each body to the queue the message
 * was meant for, or go through the service's own Resender.
 */
import type { DeadLetterQueues, LocatedQueue, QueueAddress, Resender } from './ports';

export type RedriveSpec =
  /** StartMessageMoveTask back to `source`, the SQS queue (by name) whose redrive policy feeds this one. */
  | { kind: 'move'; source: string }
  /** SendMessage of each body to `to` (by name), the queue the message was on its way to. */
  | { kind: 'forward'; to: string }
  /** `does`: what the resender does, in a sentence for the operator. */
  | { kind: 'resend'; does: string; resender: () => Resender };

export interface DeadLetterQueueSpec {
  /** The `{queue}` of the routes: short, stable, lower-case. */
  id: string;
  /** The queue's name. */
  queue: string;
  /** What lands in it, in a sentence for the operator. */
  holds: string;
  redrive: RedriveSpec;
}

export interface SourceQueue extends QueueAddress {
  /** Receives after which the source's redrive policy dead-letters a message. */
  maxReceiveCount?: number;
}

export type CatalogEntry = Omit<DeadLetterQueueSpec, 'queue'> & {
  queue: QueueAddress;
  /** Set for `move`: the queue whose redrive policy sends its dead letters here. */
  source?: SourceQueue;
  /** Set for `forward`: where the bodies go. */
  target?: QueueAddress;
};

const ID = /^[a-z][a-z0-9-]{0,31}$/;

/** Checks the declarations: ids usable in a path and unique. Throws on a mistake in the wiring. */
export function checkSpecs(specs: readonly DeadLetterQueueSpec[]): readonly DeadLetterQueueSpec[] {
  const seen = new Set<string>();
  for (const spec of specs) {
    if (!ID.test(spec.id))
      throw new Error(`dead-letter queue id ${JSON.stringify(spec.id)} is not a path-safe id`);
    if (seen.has(spec.id)) throw new Error(`dead-letter queue id ${spec.id} is declared twice`);
    seen.add(spec.id);
  }
  return specs;
}

/** Finds each queue (URL, ARN) and, for a `move`, its source queue and that queue's receive limit. */
export async function resolveCatalog(
  specs: readonly DeadLetterQueueSpec[],
  queues: Pick<DeadLetterQueues, 'locate'>,
): Promise<CatalogEntry[]> {
  return Promise.all(
    checkSpecs(specs).map(async (spec): Promise<CatalogEntry> => {
      const queue = address(await queues.locate(spec.queue));
      if (spec.redrive.kind === 'forward')
        return { ...spec, queue, target: address(await queues.locate(spec.redrive.to)) };
      if (spec.redrive.kind !== 'move') return { ...spec, queue };
      const source = await queues.locate(spec.redrive.source);
      // A source whose policy names another queue would be redriven into the wrong place.
      if (source.redrivePolicy && source.redrivePolicy.deadLetterTargetArn !== queue.arn)
        throw new Error(
          `${source.name} sends its dead letters to ${source.redrivePolicy.deadLetterTargetArn}, not ${queue.arn}`,
        );
      return {
        ...spec,
        queue,
        source: {
          ...address(source),
          ...(source.redrivePolicy ? { maxReceiveCount: source.redrivePolicy.maxReceiveCount } : {}),
        },
      };
    }),
  );
}

const address = ({ name, url, arn }: LocatedQueue): QueueAddress => ({ name, url, arn });

export function entryById(catalog: readonly CatalogEntry[], id: string): CatalogEntry | undefined {
  return catalog.find((entry) => entry.id === id);
}
