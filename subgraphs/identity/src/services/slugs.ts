import { randomBytes } from 'node:crypto';

/** A URL-safe, unique-enough organization slug: the name's latin part plus a random suffix. */
export function slugFor(name: string): string {
  const base = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 120);
  return `${base || 'org'}-${randomBytes(4).toString('hex')}`;
}
