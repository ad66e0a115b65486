import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import {
  Role,
  byKeys,
  containsPattern,
  forbidden,
  integerId,
  requireRole,
  windowOf,
  type SubgraphContext,
  findPage,
} from '@salesgraph/platform';
import { Organization, User } from '../entities/index.js';
import { hashPassword } from '../services/passwords.js';
import type { IdentityServices } from '../services/index.js';
import { applyProfile, assertLoginNamesFree, findOwnUser, flushUnique, normalizeLogin } from '../services/users.js';
import { CreateUserInput, UpdateUserInput, UserOrderField, UsersArgs } from '../types/inputs.js';
import { OrganizationType } from '../types/organization.type.js';
import { UserConnection, UserType } from '../types/user.type.js';

@Resolver(() => UserType)
export class UserResolver {
  constructor(private readonly services: IdentityServices) {}

  @Authorized([Role.ADMIN])
  @Query(() => UserConnection, { description: "The organization's users (admin only); filter, search, sort, page" })
  async users(@Args() args: UsersArgs, @Ctx() { em, identity }: SubgraphContext) {
    const caller = requireRole(identity, [Role.ADMIN]);
    const window = windowOf(args);
    const like = containsPattern(args.search);
    const where = {
      organization: caller.organizationId,
      ...(args.role && { role: args.role }),
      ...(args.isActive !== undefined && args.isActive !== null && { isActive: args.isActive }),
      ...(like && {
        $or: [{ email: { $ilike: like } }, { username: { $ilike: like } }, { firstName: { $ilike: like } }, { lastName: { $ilike: like } }],
      }),
    };
    return findPage(
      em,
      User,
      where,
      {
        orderBy: { [args.orderBy]: args.direction, ...(args.orderBy !== UserOrderField.ID && { id: 'asc' }) },
      },
      window,
    );
  }

  @Authorized()
  @Query(() => UserType, { nullable: true, description: 'A user of your organization' })
  async user(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<User | null> {
    return em.findOne(User, { id: integerId(id, 'user'), organization: requireRole(identity).organizationId });
  }

  @Authorized([Role.ADMIN])
  @Mutation(() => UserType, { description: 'Adds a user to your organization (admin only)' })
  async createUser(@Arg('input') input: CreateUserInput, @Ctx() { em, identity }: SubgraphContext): Promise<User> {
    const caller = requireRole(identity, [Role.ADMIN]);
    const email = normalizeLogin(input.email);
    const username = normalizeLogin(input.username);
    await assertLoginNamesFree(em, { email, username });
    const user = em.create(User, {
      organization: em.getReference(Organization, caller.organizationId),
      email,
      username,
      passwordHash: await hashPassword(input.password),
      firstName: input.firstName ?? null,
      lastName: input.lastName ?? null,
      role: input.role,
      isActive: input.isActive,
    });
    await flushUnique(em);
    return user;
  }

  @Authorized([Role.ADMIN])
  @Mutation(() => UserType, { description: 'Changes a user of your organization (admin only)' })
  async updateUser(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateUserInput,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<User> {
    const caller = requireRole(identity, [Role.ADMIN]);
    const user = await findOwnUser(em, caller, integerId(id, 'user'));
    if (user.id === caller.userId && ((input.role && input.role !== Role.ADMIN) || input.isActive === false)) {
      throw forbidden('Admins cannot demote or deactivate themselves; ask another admin');
    }
    const roleChanged = Boolean(input.role && input.role !== (user.role as Role));
    await applyProfile(em, user, input);
    em.assign(user, {
      ...(input.role && { role: input.role }),
      ...(input.isActive !== undefined && input.isActive !== null && { isActive: input.isActive }),
      ...(input.password && { passwordHash: await hashPassword(input.password) }),
    });
    await flushUnique(em);
    if (input.isActive === false || input.password) {
      await this.services.sessions.revokeAllOf(em, user, input.password ? 'password_reset' : 'user_deactivated');
    } else if (roleChanged) {
      // Sessions stay, but every gateway re-reads the role now rather than when the token expires.
      await this.services.revocations.announce(em, { userId: user.id });
    }
    return user;
  }

  @Authorized([Role.ADMIN])
  @Mutation(() => Boolean, { description: 'Deletes a user of your organization, with their sessions and API keys (admin only)' })
  async deleteUser(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<boolean> {
    const caller = requireRole(identity, [Role.ADMIN]);
    const user = await findOwnUser(em, caller, integerId(id, 'user'));
    if (user.id === caller.userId) throw forbidden('Admins cannot delete themselves');
    const userId = user.id;
    await em.remove(user).flush();
    await this.services.revocations.announce(em, { userId });
    return true;
  }

  @FieldResolver(() => OrganizationType)
  organization(@Root() user: User, @Ctx() { em, loaders }: SubgraphContext): Promise<Organization | null> {
    return loaders
      .get<string, Organization>(
        'organizationById',
        async (ids) => byKeys(ids, await em.find(Organization, { id: { $in: [...ids] } }), (o) => o.id) as Organization[],
      )
      .load(user.organization.id);
  }
}
