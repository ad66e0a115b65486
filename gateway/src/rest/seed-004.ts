/* eslint-disable @typescript-eslint/no-unsafe-assignment --
   Request bodies are checked against each route's JSON Schema at run time (validate.ts), not typed
   (RestRequest['body']), so the route tables map `any` fields onto variables. */
import { AuthStatusDocument, ChangePasswordDocument, LoginDocument } from '../generated/graphql.js';
import { route, type RestApi } from './route.js';
import { detailSchema, lower, userOut, userSchema } from './shapes.js';
import { adminResourceRoutes } from './seed-004-admin.js';
import { botRoutes } from './seed-004-bots.js';
import { chatRoutes } from './seed-004-chat.js';
import { speechRoutes } from './seed-004-speech.js';
import { meRoute, profileRoutes } from './shared.js';

/**
 * Seed 004 (AI Secretary), `/admin/auth`: `{access_token, token_type: "Bearer"}` logins, `{detail}` errors;
 * `/admin/telegram/bots` (seed-004-bots.ts), the chat (seed-004-chat.ts), speech that takes files (seed-004-speech.ts),
 * the other owner-scoped admin resources: widgets, LLM providers, TTS presets (seed-004-admin.ts).
 */
const AUTH = '/admin/auth';

export const seed004: RestApi = {
  seed: '004-ai-secretary',
  title: 'AI Secretary',
  validationStatus: 422,
  error: ({ message }) => ({ detail: message }),
  errorSchema: detailSchema,
  routes: [
    route({
      method: 'post',
      path: `${AUTH}/login`,
      summary: 'Log in (get a JWT)',
      operation: LoginDocument,
      body: {
        type: 'object',
        properties: { username: { type: 'string' }, password: { type: 'string' } },
        required: ['username', 'password'],
      },
      variables: ({ body }) => ({ input: { login: body.username, password: body.password } }),
      respond: (d) => ({ access_token: d.login.accessToken, token_type: 'Bearer' }),
      response: { type: 'object', properties: { access_token: { type: 'string' }, token_type: { type: 'string', example: 'Bearer' } } },
    }),
    meRoute(`${AUTH}/me`, 'The current user'),
    route({
      method: 'get',
      path: `${AUTH}/status`,
      summary: 'Whether the request is authenticated',
      operation: AuthStatusDocument,
      respond: ({ authStatus: s }) => ({
        authenticated: s.authenticated,
        via: s.via,
        role: lower(s.role),
        user: s.user && userOut(s.user),
      }),
      response: {
        type: 'object',
        properties: {
          authenticated: { type: 'boolean' },
          via: { type: 'string' },
          role: { type: 'string', nullable: true },
          user: { ...userSchema, nullable: true },
        },
      },
    }),
    ...profileRoutes(`${AUTH}/profile`),
    route({
      method: 'post',
      path: `${AUTH}/change-password`,
      summary: 'Change your password (signs out your other sessions)',
      operation: ChangePasswordDocument,
      body: {
        type: 'object',
        properties: { current_password: { type: 'string' }, new_password: { type: 'string' } },
        required: ['current_password', 'new_password'],
      },
      variables: ({ body }) => ({ input: { currentPassword: body.current_password, newPassword: body.new_password } }),
      respond: () => ({ status: 'ok', message: 'Password changed' }),
      response: { type: 'object', properties: { status: { type: 'string' }, message: { type: 'string' } } },
    }),
    ...botRoutes,
    ...adminResourceRoutes,
    ...chatRoutes,
    ...speechRoutes,
  ],
};
