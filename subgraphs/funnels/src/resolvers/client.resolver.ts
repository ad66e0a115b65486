import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { PageArgs, WRITERS, containsPattern, integerId, requireRole, windowOf, type SubgraphContext, findPage } from '@salesgraph/platform';
import { Client } from '../entities/index.js';
import type { ClientService } from '../services/clients.js';
import { ClientConnection, ClientType } from '../types/client.type.js';
import { ClientStatus } from '../types/enums.js';
import { ClientInput } from '../types/inputs.js';
import { UserRef, userRef } from '../types/user.type.js';

@Resolver(() => ClientType)
export class ClientResolver {
  constructor(private readonly service: ClientService) {}

  @Authorized()
  @Query(() => ClientConnection, { description: "Your organization's clients, most recently active first" })
  async clients(
    @Args() page: PageArgs,
    @Ctx() { em, identity }: SubgraphContext,
    @Arg('search', () => String, { nullable: true, description: 'Part of the name, e-mail or phone' }) search?: string,
    @Arg('status', () => ClientStatus, { nullable: true }) status?: ClientStatus,
  ) {
    const caller = requireRole(identity);
    const window = windowOf(page, 50);
    const pattern = containsPattern(search);
    const where = {
      organizationId: caller.organizationId,
      ...(status ? { status } : {}),
      ...(pattern ? { $or: [{ name: { $ilike: pattern } }, { email: { $ilike: pattern } }, { phone: { $ilike: pattern } }] } : {}),
    };
    return findPage(
      em,
      Client,
      where,
      {
        orderBy: { lastActivityAt: 'desc', id: 'desc' },
      },
      window,
    );
  }

  @Authorized()
  @Query(() => ClientType, { description: 'A client of your organization' })
  client(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<Client> {
    const caller = requireRole(identity);
    return this.service.find(em, caller, integerId(id, 'client'));
  }

  @Authorized(WRITERS)
  @Mutation(() => ClientType)
  createClient(@Arg('input') input: ClientInput, @Ctx() { em, identity }: SubgraphContext): Promise<Client> {
    return this.service.create(em, requireRole(identity, WRITERS), input);
  }

  @Authorized(WRITERS)
  @Mutation(() => ClientType, { description: 'Change the fields given' })
  updateClient(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: ClientInput,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<Client> {
    const caller = requireRole(identity, WRITERS);
    return this.service.update(em, caller, integerId(id, 'client'), input);
  }

  @Authorized(WRITERS)
  @Mutation(() => ID, { description: 'Delete a client with their dialogs' })
  deleteClient(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<number> {
    const caller = requireRole(identity, WRITERS);
    return this.service.delete(em, caller, integerId(id, 'client'));
  }

  @FieldResolver(() => UserRef, { nullable: true })
  assignedUser(@Root() client: Client): UserRef | null {
    return userRef(client.assignedUserId);
  }
}
