export * from './call.entity.js';
export * from './call-event.entity.js';
export * from './call-task.entity.js';
export * from './company.entity.js';
export * from './company-phone.entity.js';
export * from './telephony-integration.entity.js';
export * from './transcript-segment.entity.js';

import { Call } from './call.entity.js';
import { CallEvent } from './call-event.entity.js';
import { CallTask } from './call-task.entity.js';
import { Company } from './company.entity.js';
import { CompanyPhone } from './company-phone.entity.js';
import { TelephonyIntegration, TelephonyReceipt } from './telephony-integration.entity.js';
import { TranscriptSegment } from './transcript-segment.entity.js';

export const entities = [Company, CompanyPhone, Call, CallEvent, TranscriptSegment, CallTask, TelephonyIntegration, TelephonyReceipt];
