import type { IncomingHttpHeaders } from 'node:http';
import { ANONYMOUS, ErrorCode } from '@salesgraph/platform';
import { credentialOf, type Authenticated, type Authenticator } from './authenticate.js';
import type { RateLimiter } from './rate-limit.js';
import type { RestError } from './rest/route.js';

export type Admission = { identity: Authenticated } | { refused: RestError };

/**
 * Authenticates a request's credential within its address's budget, the same way on every door (HTTP and
 * WebSocket). A credential not yet known good here is counted against the address's anonymous budget before
 * it is checked, and stays counted if it is refused: guessing tokens or API keys costs the guesser like any
 * anonymous request, and once the budget is spent such credentials are refused without a lookup. One that
 * proves good gives the unit back and counts against its own (authenticated) budget from then on.
 */
export async function admit(
  authenticator: Authenticator,
  budget: RateLimiter,
  headers: IncomingHttpHeaders,
  ip: string,
): Promise<Admission> {
  const credential = credentialOf(headers)?.value;
  const checkedAt = Date.now();
  const unproven = credential !== undefined && !budget.knowsGood(credential, checkedAt);
  if (unproven) {
    // Counted before the check, synchronously: parallel guesses can't all slip under the budget.
    const claim = budget.take(ANONYMOUS, ip, checkedAt);
    if (!claim.allowed) return { refused: tooMany(claim.limit, claim.retryAfterSeconds) };
  }
  try {
    const identity = await authenticator.authenticate(headers, ip);
    if (unproven) {
      budget.giveBack(ip, checkedAt);
      budget.rememberGood(credential);
    }
    return { identity };
  } catch (error) {
    const code = (error as { extensions?: { code?: string } }).extensions?.code;
    if (code === ErrorCode.Unauthenticated) {
      // A credential known good until now (expired, revoked) is counted from now on too.
      if (!unproven) budget.take(ANONYMOUS, ip);
      if (credential !== undefined) budget.forgetGood(credential);
      return { refused: { status: 401, code, message: (error as Error).message } };
    }
    // Our failure, not the client's: the unit goes back.
    if (unproven) budget.giveBack(ip, checkedAt);
    console.error('authentication failed', (error as Error).message);
    return {
      refused: { status: 503, code: ErrorCode.ServiceUnavailable, message: 'Authentication is unavailable, try again', retryAfter: 2 },
    };
  }
}

export const tooMany = (limit: number, retryAfter: number): RestError => ({
  status: 429,
  code: ErrorCode.RateLimited,
  message: `Rate limit of ${limit} requests per minute exceeded`,
  retryAfter,
});
