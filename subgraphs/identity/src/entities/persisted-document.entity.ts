import { defineEntity, p } from '@mikro-orm/core';

/**
 * A GraphQL document some client deployment registered, stored once under its SHA-256 (content-addressed:
 * the same text registered by many versions is one row, and a row never changes).
 */
export const PersistedDocumentSchema = defineEntity({
  name: 'PersistedDocument',
  tableName: 'persisted_documents',
  properties: {
    /** Lower-case hex SHA-256 of `body` (UTF-8). */
    hash: p.string().length(64).primary(),
    body: p.text(),
    registeredAt: p.datetime().onCreate(() => new Date()),
  },
});
export class PersistedDocument extends PersistedDocumentSchema.class {}
PersistedDocumentSchema.setClass(PersistedDocument);
