import { registerEnumType } from 'type-graphql';

/** The CRMs a connection talks to: amoCRM (API v4), Bitrix24 (REST through an inbound webhook), or a simple JSON protocol. */
export enum CrmProvider {
  AMOCRM = 'amocrm',
  BITRIX24 = 'bitrix24',
  GENERIC = 'generic',
}
registerEnumType(CrmProvider, { name: 'CrmProvider' });

/** Where a connection's synchronisation stands. */
export enum CrmSyncState {
  IDLE = 'idle',
  QUEUED = 'queued',
  RUNNING = 'running',
  SUCCEEDED = 'succeeded',
  FAILED = 'failed',
}
registerEnumType(CrmSyncState, { name: 'CrmSyncState', description: 'Never synced, waiting, running, or how the last run ended' });
