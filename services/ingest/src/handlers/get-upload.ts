import { httpHandler } from '@herald/shared/entry/http';
import { getUploadRoute } from '../routes/uploads';
import validate from '../schemas/get-upload.validator.generated';
import type { UploadStore } from '../uploads';
import { uploadStore } from '../wiring';

export function createHandler(store: () => UploadStore) {
  return httpHandler(getUploadRoute(store), { scopes: ['events:write'], validator: validate });
}

export const handler = createHandler(uploadStore);
