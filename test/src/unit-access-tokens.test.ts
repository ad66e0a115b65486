import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { AccessTokens, Role } from '@salesgraph/platform';

/** The gateway checks a token's signature once and remembers it, without ever honouring it past its expiry. */
describe('access tokens, verified once', () => {
  const claims = { userId: 7, organizationId: 'org', role: Role.MANAGER, sessionId: 'session' };

  it('answers a token it checked before from memory, and refuses it once it expires', async () => {
    const tokens = new AccessTokens('k'.repeat(40), 1);
    const token = await tokens.issue(claims);
    const first = await tokens.verify(token);
    assert.equal(first.userId, 7);
    assert.equal(await tokens.verify(token), first, 'the remembered claims');
    assert.ok(Object.isFrozen(first), 'no caller can change what the next one reads');
    await sleep(first.expiresAt - Date.now() + 50);
    await assert.rejects(tokens.verify(token), /Access token expired/);
    await assert.rejects(tokens.verify(token), /Access token expired/, 'and stays refused');
  });

  it('remembers nothing it refused: a forged token stays refused', async () => {
    const tokens = new AccessTokens('k'.repeat(40));
    const forged = await new AccessTokens('f'.repeat(40)).issue(claims);
    await assert.rejects(tokens.verify(forged), /Invalid access token/);
    await assert.rejects(tokens.verify(forged), /Invalid access token/);
    const good = await tokens.issue(claims);
    const [header, payload] = good.split('.');
    await assert.rejects(tokens.verify(`${header}.${payload}.${'A'.repeat(43)}`), /Invalid access token/);
  });
});
