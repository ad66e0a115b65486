import type { EntityManager } from '@mikro-orm/core';
import { badInput, notFound, type PhoneNumbers, type SignedIn } from '@salesgraph/platform';
import { Client } from '../entities/index.js';
import type { ClientInput } from '../types/inputs.js';
import { userIdOf } from './access.js';
import type { UserDirectory } from './directory.js';

/** Writes clients: by hand (seed 003's client screens) or from a first message (`DialogService`). */
export class ClientService {
  constructor(
    private readonly phones: PhoneNumbers,
    private readonly users: UserDirectory,
  ) {}

  async find(em: EntityManager, caller: SignedIn, id: number): Promise<Client> {
    const client = await em.findOne(Client, { id, organizationId: caller.organizationId });
    if (!client) throw notFound('Client');
    return client;
  }

  async create(em: EntityManager, caller: SignedIn, input: ClientInput): Promise<Client> {
    if (!input.name?.trim()) throw badInput('A client needs a name', [{ field: 'name', message: 'must not be empty' }]);
    const client = em.create(Client, { organizationId: caller.organizationId, name: input.name.trim() });
    await this.apply(caller, client, input);
    await em.flush();
    return client;
  }

  async update(em: EntityManager, caller: SignedIn, id: number, input: ClientInput): Promise<Client> {
    const client = await this.find(em, caller, id);
    await this.apply(caller, client, input);
    client.lastActivityAt = new Date();
    await em.flush();
    return client;
  }

  /** Deletes the client with their dialogs and messages. */
  async delete(em: EntityManager, caller: SignedIn, id: number): Promise<number> {
    const client = await this.find(em, caller, id);
    await em.remove(client).flush();
    return id;
  }

  private async apply(caller: SignedIn, client: Client, input: ClientInput): Promise<void> {
    if (input.name !== undefined) client.name = input.name.trim();
    if (input.email !== undefined) client.email = input.email?.trim().toLowerCase() || null;
    if (input.phone !== undefined) {
      const phone = input.phone?.trim() || null;
      const e164 = phone ? this.phones.toE164(phone) : null;
      if (phone && !e164) throw badInput(`"${phone}" is not a phone number`, [{ field: 'phone', message: 'must be a phone number' }]);
      client.phone = phone;
      client.phoneE164 = e164;
    }
    if (input.manager !== undefined) client.manager = input.manager?.trim() || null;
    if (input.assignedUserId !== undefined) {
      const userId = userIdOf(input.assignedUserId, 'assignedUserId');
      if (userId !== null && userId !== caller.userId) await this.users.assertExists(caller, userId);
      client.assignedUserId = userId;
    }
    if (input.status !== undefined) client.status = input.status;
    if (input.type !== undefined) client.type = input.type;
  }
}
