/* eslint-disable @typescript-eslint/no-unsafe-assignment --
   Request bodies are checked against each route's JSON Schema at run time (validate.ts), not typed
   (RestRequest['body']), so the route tables map `any` fields onto variables. */
import { AuthStatusDocument, ChangePasswordDocument, LoginDocument, MeDocument, UpdateProfileDocument } from '../generated/graphql.js';
import { route, type RestApi } from './route.js';
import { detailSchema, lower, profileFields, profileInput, userOut, userSchema } from './shapes.js';

/** Seed 004 (AI Secretary), `/admin/auth`: `{access_token, token_type: "Bearer"}` logins, `{detail}` errors. */
const AUTH = '/admin/auth';

export const seed004: RestApi = {
  seed: '004-ai-secretary',
  title: 'AI Secretary',
  validationStatus: 422,
  error: ({ message }) => ({ detail: message }),
  errorSchema: detailSchema,
  routes: [
    route({
      method: 'post', path: `${AUTH}/login`, summary: 'Log in (get a JWT)',
      operation: LoginDocument,
      body: { type: 'object', properties: { username: { type: 'string' }, password: { type: 'string' } }, required: ['username', 'password'] },
      variables: ({ body }) => ({ input: { login: body.username, password: body.password } }),
      respond: (d) => ({ access_token: d.login.accessToken, token_type: 'Bearer' }),
      response: { type: 'object', properties: { access_token: { type: 'string' }, token_type: { type: 'string', example: 'Bearer' } } },
    }),
    route({ method: 'get', path: `${AUTH}/me`, summary: 'The current user', operation: MeDocument, respond: (d) => userOut(d.me), response: userSchema }),
    route({
      method: 'get', path: `${AUTH}/status`, summary: 'Whether the request is authenticated',
      operation: AuthStatusDocument,
      respond: ({ authStatus: s }) => ({ authenticated: s.authenticated, via: s.via, role: lower(s.role), user: s.user && userOut(s.user) }),
      response: { type: 'object', properties: { authenticated: { type: 'boolean' }, via: { type: 'string' }, role: { type: 'string', nullable: true }, user: { ...userSchema, nullable: true } } },
    }),
    route({ method: 'get', path: `${AUTH}/profile`, summary: "The current user's profile", operation: MeDocument, respond: (d) => userOut(d.me), response: userSchema }),
    route({
      method: 'put', path: `${AUTH}/profile`, summary: "Update the current user's profile",
      operation: UpdateProfileDocument,
      body: { type: 'object', properties: profileFields },
      variables: ({ body }) => ({ input: profileInput(body) }),
      respond: (d) => userOut(d.updateProfile),
      response: userSchema,
    }),
    route({
      method: 'post', path: `${AUTH}/change-password`, summary: 'Change your password (signs out your other sessions)',
      operation: ChangePasswordDocument,
      body: { type: 'object', properties: { current_password: { type: 'string' }, new_password: { type: 'string' } }, required: ['current_password', 'new_password'] },
      variables: ({ body }) => ({ input: { currentPassword: body.current_password, newPassword: body.new_password } }),
      respond: () => ({ status: 'ok', message: 'Password changed' }),
      response: { type: 'object', properties: { status: { type: 'string' }, message: { type: 'string' } } },
    }),
  ],
};
