import { redriveDeadLettersHandler } from '@herald/shared/dead-letters/handlers';
import { deadLetterDeps } from '../wiring';

/** POST /v1/operator/dead-letters/{queue}/redrive. */
export const createHandler = redriveDeadLettersHandler;
export const handler = createHandler(deadLetterDeps);
