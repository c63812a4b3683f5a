import { inspectDeadLettersHandler } from '@herald/shared/dead-letters/handlers';
import { deadLetterDeps } from '../wiring';

/** GET /v1/operator/dead-letters, …/{queue} and …/{queue}/redrive. */
export const createHandler = inspectDeadLettersHandler;
export const handler = createHandler(deadLetterDeps);
