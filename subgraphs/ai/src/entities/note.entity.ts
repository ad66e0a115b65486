import { defineEntity, p } from '@mikro-orm/core';

/** A first entity to start from: every row belongs to one organization, and queries filter by it. */
export const AiNoteSchema = defineEntity({
  name: 'AiNote',
  tableName: 'notes',
  properties: {
    id: p.integer().primary().autoincrement(),
    organizationId: p.uuid().index(),
    authorId: p.integer(),
    title: p.string().length(200),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class AiNote extends AiNoteSchema.class {}
AiNoteSchema.setClass(AiNote);
