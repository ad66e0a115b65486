import { CrmProvider } from '../../types/crm-enums.js';
import type { CrmAdapter } from './adapter.js';
import { amocrm } from './amocrm.js';
import { bitrix24 } from './bitrix24.js';
import { generic } from './generic.js';

export const adapters: Record<CrmProvider, CrmAdapter> = {
  [CrmProvider.AMOCRM]: amocrm,
  [CrmProvider.BITRIX24]: bitrix24,
  [CrmProvider.GENERIC]: generic,
};
