import { takeCallCounts } from '@herald/shared/aws/call-counter';
import { uploadNotifications } from '../upload-notifications';
import { uploadNotificationDeps, uploadNotificationSettings } from '../wiring';

export const handler = uploadNotifications(uploadNotificationDeps, uploadNotificationSettings, () => ({
  awsCalls: takeCallCounts(),
}));
