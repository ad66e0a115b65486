import { defineEntity, p } from '@mikro-orm/core';
import { ClientStatus, ClientType } from '../types/enums.js';

/**
 * A person the organization talks to in messengers (seed 003's clients, numeric ids). Created by hand or by
 * the first message from an unknown sender; one per messenger account of a connection (`dialogs` point here).
 */
export const ClientSchema = defineEntity({
  name: 'Client',
  tableName: 'clients',
  indexes: [{ properties: ['organizationId', 'createdAt'] }, { properties: ['organizationId', 'phoneE164'] }],
  properties: {
    id: p.integer().primary().autoincrement(),
    organizationId: p.uuid(),
    name: p.string().length(200),
    email: p.string().length(320).nullable(),
    /** As given. */
    phone: p.string().length(50).nullable(),
    /** The phone in E.164, when it is one: how calls and leads find the client. */
    phoneE164: p.string().length(16).nullable(),
    /** Free text, as seed 003 keeps it: the responsible manager's name. */
    manager: p.string().length(200).nullable(),
    assignedUserId: p.integer().nullable(),
    status: p.enum(() => ClientStatus).default(ClientStatus.ACTIVE),
    type: p.enum(() => ClientType).default(ClientType.NEW),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
    lastActivityAt: p.datetime().onCreate(() => new Date()),
  },
});
export class Client extends ClientSchema.class {}
ClientSchema.setClass(Client);
