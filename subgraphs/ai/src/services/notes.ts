import type { Identity } from '@salesgraph/platform';

/** The rows a caller may see: their organization's, and none when not signed in. */
export function visibleNotes(identity: Identity): { organizationId: string } | undefined {
  if (identity.kind === 'anonymous' || identity.organizationId === undefined) return undefined;
  return { organizationId: identity.organizationId };
}
