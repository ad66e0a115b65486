import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { DOWNLOAD_LINK_SECONDS, DownloadLinks } from '@salesgraph/support/downloads';

const linkParts = (url: string) => {
  const parsed = new URL(url, 'http://gateway');
  return {
    id: parsed.pathname.split('/').pop()!,
    expires: Number(parsed.searchParams.get('expires')),
    signature: parsed.searchParams.get('signature')!,
  };
};

describe('download links', () => {
  const links = new DownloadLinks('a secrets key of at least thirty-two characters');
  const id = randomUUID();

  it('holds for its file until it expires, and not a moment after', () => {
    const now = Date.now();
    const { expires, signature } = linkParts(links.urlOf(id, now));
    assert.equal(expires, Math.floor(now / 1000) + DOWNLOAD_LINK_SECONDS);
    assert.equal(links.verify(id, expires, signature, now), true);
    assert.equal(links.verify(id, expires, signature, expires * 1000), true);
    assert.equal(links.verify(id, expires, signature, expires * 1000 + 1), false, 'expired');
  });

  it('is refused for another file, another expiry, another key or a malformed signature', () => {
    const { expires, signature } = linkParts(links.urlOf(id));
    assert.equal(links.verify(randomUUID(), expires, signature), false);
    assert.equal(links.verify(id, expires + 60, signature), false);
    assert.equal(new DownloadLinks('another secrets key of thirty-two characters or more').verify(id, expires, signature), false);
    for (const bad of ['', 'zz', signature.slice(1), signature.toUpperCase()]) assert.equal(links.verify(id, expires, bad), false, bad);
  });
});
