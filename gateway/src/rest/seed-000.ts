import {
  CreateUserDocument, DeleteUserDocument, LoginDocument, LogoutDocument, MeDocument, RefreshTokenDocument,
  UpdateProfileDocument, UpdateUserDocument, UserDocument, UsersDocument,
  type Role, type UserOrderField, type TokensFragment,
} from '../generated/graphql.js';
import { route, type JsonSchema, type RestApi } from './route.js';
import { ROLES, detailSchema, pageOf, pageSchema, profileFields, profileInput, upper, userOut, userSchema } from './shapes.js';

/** Seed 000 (AI Sales Assistant), `/api/v1`: plain objects, `{items,total,page,size,pages}` lists, `{detail}` errors. */
const V1 = '/api/v1';

const tokensOut = (t: TokensFragment) => ({ access_token: t.accessToken, refresh_token: t.refreshToken, token_type: 'bearer' });
const tokensSchema: JsonSchema = {
  type: 'object',
  properties: { access_token: { type: 'string' }, refresh_token: { type: 'string' }, token_type: { type: 'string', example: 'bearer' } },
};
const userInput = (b: Record<string, any>) => ({
  ...profileInput(b), password: b.password, role: upper(b.role) as Role | undefined, isActive: b.is_active,
});
const USER_ORDER: Record<string, UserOrderField> = { id: 'ID', email: 'EMAIL', username: 'USERNAME', created_at: 'CREATED_AT', last_name: 'LAST_NAME' };

export const seed000: RestApi = {
  seed: '000-ai-sales-assistant',
  title: 'AI Sales Assistant',
  validationStatus: 422,
  error: ({ message }) => ({ detail: message }),
  errorSchema: detailSchema,
  routes: [
    route({
      method: 'post', path: `${V1}/auth/login`, summary: 'Log in by e-mail (or username) and password', public: true,
      operation: LoginDocument,
      body: { type: 'object', properties: { email: { type: 'string' }, username: { type: 'string' }, password: { type: 'string' } }, required: ['password'] },
      variables: ({ body }) => ({ input: { login: body.email ?? body.username ?? '', password: body.password } }),
      respond: (d) => tokensOut(d.login),
      response: tokensSchema,
    }),
    route({
      method: 'post', path: `${V1}/auth/refresh`, summary: 'Trade a refresh token for new tokens (the old one stops working)', public: true,
      operation: RefreshTokenDocument,
      body: { type: 'object', properties: { refresh_token: { type: 'string' } }, required: ['refresh_token'] },
      variables: ({ body }) => ({ refreshToken: body.refresh_token }),
      respond: (d) => tokensOut(d.refreshToken),
      response: tokensSchema,
    }),
    route({
      method: 'post', path: `${V1}/auth/logout`, summary: 'Log out: revokes the session (by token, or the current one)',
      operation: LogoutDocument,
      body: { type: 'object', properties: { refresh_token: { type: 'string' } } },
      variables: ({ body }) => ({ refreshToken: body.refresh_token ?? null }),
      respond: () => ({ detail: 'Logged out' }),
      response: detailSchema,
    }),
    route({ method: 'get', path: `${V1}/auth/me`, summary: 'The current user', operation: MeDocument, respond: (d) => userOut(d.me), response: userSchema }),
    route({
      method: 'get', path: `${V1}/users`, summary: 'List users (admins only)',
      operation: UsersDocument,
      query: {
        skip: { type: 'integer', minimum: 0 },
        limit: { type: 'integer', minimum: 1, maximum: 200 },
        search: { type: 'string' },
        role: { type: 'string', enum: ROLES },
        is_active: { type: 'boolean' },
        order_by: { type: 'string', enum: Object.keys(USER_ORDER) },
        sort: { type: 'string', enum: ['asc', 'desc'] },
      },
      variables: ({ query: q }) => ({
        offset: (q.skip as number) ?? 0, first: (q.limit as number) ?? 100, search: q.search as string | undefined,
        role: upper(q.role as string | undefined) as Role | undefined, isActive: q.is_active as boolean | undefined,
        orderBy: USER_ORDER[(q.order_by as string) ?? 'id']!, direction: q.sort === 'desc' ? ('DESC' as const) : ('ASC' as const),
      }),
      respond: (d, { query: q }) => pageOf(d.users.nodes.map(userOut), d.users.totalCount, (q.skip as number) ?? 0, (q.limit as number) ?? 100),
      response: pageSchema(userSchema),
    }),
    route({ method: 'get', path: `${V1}/users/me`, summary: "The current user's profile", operation: MeDocument, respond: (d) => userOut(d.me), response: userSchema }),
    route({
      method: 'put', path: `${V1}/users/me`, summary: "Update the current user's profile",
      operation: UpdateProfileDocument,
      body: { type: 'object', properties: profileFields },
      variables: ({ body }) => ({ input: profileInput(body) }),
      respond: (d) => userOut(d.updateProfile),
      response: userSchema,
    }),
    route({
      method: 'post', path: `${V1}/users`, summary: 'Create a user (admins only)', status: 201,
      operation: CreateUserDocument,
      body: {
        type: 'object',
        properties: { ...profileFields, password: { type: 'string' }, role: { type: 'string', enum: ROLES }, is_active: { type: 'boolean' } },
        required: ['email', 'username', 'password'],
      },
      variables: ({ body }) => ({ input: { ...userInput(body), role: upper(body.role ?? 'user') as Role, isActive: body.is_active ?? true } }),
      respond: (d) => userOut(d.createUser),
      response: userSchema,
    }),
    route({
      method: 'get', path: `${V1}/users/:user_id`, summary: 'A user of your organization', operation: UserDocument, resource: 'User',
      variables: ({ params }) => ({ id: params.user_id! }),
      respond: (d) => (d.user ? userOut(d.user) : null),
      response: userSchema,
    }),
    route({
      method: 'put', path: `${V1}/users/:user_id`, summary: 'Update a user (admins only)',
      operation: UpdateUserDocument,
      body: { type: 'object', properties: { ...profileFields, password: { type: 'string' }, role: { type: 'string', enum: ROLES }, is_active: { type: 'boolean' } } },
      variables: ({ params, body }) => ({ id: params.user_id!, input: userInput(body) }),
      respond: (d) => userOut(d.updateUser),
      response: userSchema,
    }),
    route({
      method: 'delete', path: `${V1}/users/:user_id`, summary: 'Delete a user (admins only)',
      operation: DeleteUserDocument,
      variables: ({ params }) => ({ id: params.user_id! }),
      respond: () => undefined,
    }),
  ],
};
