import { httpHandler } from '@herald/shared/entry/http';
import { createUploadRoute, type CreateUploadPorts, type CreateUploadSettings } from '../routes/uploads';
import validate from '../schemas/create-upload.validator.generated';
import { createUploadPorts, createUploadSettings } from '../wiring';

export function createHandler(ports: () => CreateUploadPorts, settings: CreateUploadSettings) {
  return httpHandler(createUploadRoute(ports, settings), { scopes: ['events:write'], validator: validate });
}

export const handler = createHandler(createUploadPorts, createUploadSettings());
