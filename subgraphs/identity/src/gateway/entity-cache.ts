import { ANONYMOUS, subscribeOperation, mapEvents, type EntityCacheContribution } from '@salesgraph/platform';
import { IdentityEntityChangesDocument } from '../generated/identity.js';

/**
 * What a gateway may keep of this subgraph's entities between requests: the fields stored on the entity's own
 * row, whose every write the unit of work announces (`announceEntityChanges`). `User.organization` is another
 * row, so an answer selecting it is not kept.
 */
export const CACHED_FIELDS = {
  User: ['id', 'email', 'username', 'firstName', 'lastName', 'role', 'isActive', 'lastLoginAt', 'createdAt', 'updatedAt'],
  Organization: ['id', 'name', 'slug', 'createdAt'],
} as const;

export const entityCache: EntityCacheContribution = {
  fields: CACHED_FIELDS,
  changes: (client) =>
    mapEvents(subscribeOperation(client, IdentityEntityChangesDocument, {}, ANONYMOUS), ({ identityEntityChanges: notice }) => ({
      ready: notice.ready,
      typename: notice.typename ?? undefined,
      id: notice.id ?? undefined,
    })),
};
