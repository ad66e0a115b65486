import { defineEntity, p } from '@mikro-orm/core';

/**
 * Attempts per key in the current window (logins per account and per address, sign-ups per address: failed,
 * in flight or refused while locked); in the database so every replica agrees. See services/login-throttle.ts.
 */
export const LoginThrottleSchema = defineEntity({
  name: 'LoginThrottle',
  tableName: 'login_throttles',
  properties: {
    key: p.string().length(300).primary(),
    failures: p.integer().default(0),
    windowStartedAt: p.datetime(),
    lockedUntil: p.datetime().nullable(),
  },
});
export class LoginThrottle extends LoginThrottleSchema.class {}
LoginThrottleSchema.setClass(LoginThrottle);
