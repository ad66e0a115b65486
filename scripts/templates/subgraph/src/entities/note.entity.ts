import { defineEntity, p } from '@mikro-orm/core';

/** A first entity to start from: every row belongs to one organization, and queries filter by it. */
export const __Name__NoteSchema = defineEntity({
  name: '__Name__Note',
  tableName: 'notes',
  properties: {
    id: p.integer().primary().autoincrement(),
    organizationId: p.uuid().index(),
    authorId: p.integer(),
    title: p.string().length(200),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class __Name__Note extends __Name__NoteSchema.class {}
__Name__NoteSchema.setClass(__Name__Note);
