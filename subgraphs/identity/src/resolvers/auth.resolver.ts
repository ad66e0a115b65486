import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { AppError, ErrorCode, Role, WRITERS, requireRole, unauthenticated, type SubgraphContext } from '@salesgraph/platform';
import { AuthSession, Organization, User } from '../entities/index.js';
import { hashPassword, verifyAgainstDecoy, verifyPassword } from '../services/passwords.js';
import { ACCOUNT_RULE, IP_RULE, claimAttempt, clearAttempts, releaseAttempt } from '../services/login-throttle.js';
import { applyProfile, assertLoginNamesFree, findOwnUser, flushUnique, normalizeLogin } from '../services/users.js';
import { slugFor } from '../services/slugs.js';
import type { IdentityServices } from '../services/index.js';
import { AuthPayload, AuthStatus } from '../types/auth.type.js';
import { ChangePasswordInput, LoginInput, SignUpInput, UpdateProfileInput } from '../types/inputs.js';
import { UserType } from '../types/user.type.js';

@Resolver()
export class AuthResolver {
  constructor(private readonly services: IdentityServices) {}

  @Mutation(() => AuthPayload, { description: 'Creates an organization with its first admin, and signs that admin in' })
  async signUp(@Arg('input') input: SignUpInput, @Ctx() { em, identity }: SubgraphContext): Promise<AuthPayload> {
    if (!this.services.signUpEnabled) throw new AppError(ErrorCode.Forbidden, 'Sign-up is disabled on this server');
    // Counted before anything is checked, refused attempts too: a CONFLICT answer tells which e-mails exist.
    await claimAttempt(
      em,
      `signup:${identity.ip ?? 'unknown'}`,
      this.services.signUpRule,
      'Too many sign-ups from this address; try again later',
    );
    const email = normalizeLogin(input.email);
    const username = normalizeLogin(input.username);
    await assertLoginNamesFree(em, { email, username });
    const organization = em.create(Organization, { name: input.organizationName.trim(), slug: slugFor(input.organizationName) });
    const user = em.create(User, {
      organization,
      email,
      username,
      passwordHash: await hashPassword(input.password),
      firstName: input.firstName ?? null,
      lastName: input.lastName ?? null,
      role: Role.ADMIN,
      isActive: true,
    });
    await flushUnique(em);
    return this.services.sessions.start(em, user, identity.ip);
  }

  @Mutation(() => AuthPayload, { description: 'Signs in by e-mail or username' })
  async login(@Arg('input') input: LoginInput, @Ctx() { em, identity }: SubgraphContext): Promise<AuthPayload> {
    const login = normalizeLogin(input.login);
    const refusal = 'Too many failed logins; try again later';
    const fromAddress = await claimAttempt(em, `ip:${identity.ip ?? 'unknown'}`, IP_RULE, refusal);
    const user = await em.findOne(User, { $or: [{ email: login }, { username: login }] }, { populate: ['passwordHash'] });
    // One counter per account, whichever of its names is typed; a name without an account gets one of its
    // own, counted and locked the same way, so the answers don't tell which names exist.
    const accountKey = user ? `account:${user.id}` : `login:${login}`;
    await claimAttempt(em, accountKey, ACCOUNT_RULE, refusal);
    const valid =
      user && user.isActive ? await verifyPassword(input.password, user.passwordHash) : await verifyAgainstDecoy(input.password);
    // A failed attempt stays counted against both keys; a success clears the account and frees the address.
    if (!valid || !user) throw unauthenticated('Incorrect login or password');
    await clearAttempts(em, accountKey);
    await releaseAttempt(em, fromAddress);
    return this.services.sessions.start(em, user, identity.ip);
  }

  @Mutation(() => AuthPayload, { description: 'Trades a refresh token for new tokens; each refresh token works once' })
  refreshToken(@Arg('refreshToken') refreshToken: string, @Ctx() { em }: SubgraphContext): Promise<AuthPayload> {
    return this.services.sessions.refresh(em, refreshToken);
  }

  @Mutation(() => Boolean, { description: "Ends the caller's session (or the one the given refresh token belongs to)" })
  async logout(
    @Arg('refreshToken', () => String, { nullable: true }) refreshToken: string | null,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<boolean> {
    const session = refreshToken
      ? await this.services.sessions.sessionOfToken(em, refreshToken)
      : identity.sessionId
        ? await em.findOne(AuthSession, { id: identity.sessionId })
        : null;
    if (!session) throw unauthenticated('No session to end: sign in, or pass the refresh token');
    await this.services.sessions.revoke(em, session, 'logout');
    return true;
  }

  @Authorized()
  @Query(() => UserType, { description: 'The signed-in user' })
  me(@Ctx() { em, identity }: SubgraphContext): Promise<User> {
    const caller = requireRole(identity);
    return findOwnUser(em, caller, caller.userId);
  }

  @Query(() => AuthStatus, { description: 'Whether the request is authenticated, and as whom' })
  async authStatus(@Ctx() { em, identity }: SubgraphContext): Promise<AuthStatus> {
    if (identity.kind === 'anonymous') return { authenticated: false, user: null, role: null, via: 'anonymous' };
    const caller = requireRole(identity);
    const user = await em.findOne(User, { id: caller.userId, organization: caller.organizationId });
    return { authenticated: true, user, role: caller.role, via: identity.kind };
  }

  @Authorized(WRITERS)
  @Mutation(() => UserType, { description: "Updates the signed-in user's own profile" })
  async updateProfile(@Arg('input') input: UpdateProfileInput, @Ctx() { em, identity }: SubgraphContext): Promise<User> {
    const caller = requireRole(identity);
    const user = await findOwnUser(em, caller, caller.userId);
    await applyProfile(em, user, input);
    await flushUnique(em);
    return user;
  }

  @Authorized(WRITERS)
  @Mutation(() => Boolean, { description: "Changes the caller's password and signs out their other sessions" })
  async changePassword(@Arg('input') input: ChangePasswordInput, @Ctx() { em, identity }: SubgraphContext): Promise<boolean> {
    const caller = requireRole(identity);
    const user = await em.findOneOrFail(User, { id: caller.userId, organization: caller.organizationId }, { populate: ['passwordHash'] });
    if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
      throw new AppError(ErrorCode.BadUserInput, 'The current password is incorrect', {
        fields: [{ field: 'currentPassword', message: 'is incorrect' }],
      });
    }
    if (input.currentPassword === input.newPassword) {
      throw new AppError(ErrorCode.BadUserInput, 'The new password must differ from the current one', {
        fields: [{ field: 'newPassword', message: 'equals the current password' }],
      });
    }
    user.passwordHash = await hashPassword(input.newPassword);
    await em.flush();
    await this.services.sessions.revokeAllOf(em, user, 'password_changed', identity.sessionId);
    return true;
  }
}
