export * from './api-key.entity.js';
export * from './auth-session.entity.js';
export * from './document-manifest.entity.js';
export * from './login-throttle.entity.js';
export * from './manifest-document.entity.js';
export * from './organization.entity.js';
export * from './persisted-document.entity.js';
export * from './refresh-token.entity.js';
export * from './realtime-connection.entity.js';
export * from './user.entity.js';
export * from './user-phone.entity.js';

import { ApiKey } from './api-key.entity.js';
import { AuthSession } from './auth-session.entity.js';
import { DocumentManifest } from './document-manifest.entity.js';
import { LoginThrottle } from './login-throttle.entity.js';
import { ManifestDocument } from './manifest-document.entity.js';
import { Organization } from './organization.entity.js';
import { PersistedDocument } from './persisted-document.entity.js';
import { RefreshToken } from './refresh-token.entity.js';
import { RealtimeConnection } from './realtime-connection.entity.js';
import { User } from './user.entity.js';
import { UserPhone } from './user-phone.entity.js';

export const entities = [
  Organization,
  User,
  AuthSession,
  RefreshToken,
  ApiKey,
  LoginThrottle,
  UserPhone,
  RealtimeConnection,
  PersistedDocument,
  DocumentManifest,
  ManifestDocument,
];
