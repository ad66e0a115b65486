import type { ThrottleRule } from './login-throttle.js';
import type { Revocations } from './revocations.js';
import type { Sessions } from './sessions.js';

/** What the identity resolvers need besides the request context; built once per process. */
export interface IdentityServices {
  sessions: Sessions;
  revocations: Revocations;
  signUpEnabled: boolean;
  /** How many public sign-ups one address may make. */
  signUpRule: ThrottleRule;
}
