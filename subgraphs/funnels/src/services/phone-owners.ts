import { executeOperation, isUuid, type Identity, type SubgraphClient, type SubgraphContext } from '@salesgraph/platform';
import { FunnelsVisibleCallsDocument } from '../generated/calls.js';
import { FunnelsVisibleLeadsDocument } from '../generated/leads.js';

/**
 * Whether the caller may see the calls and leads funnels adds dialogs to is their owners' to say: a `Call` or
 * `Lead` resolves here only for ids the owner confirms (one question per batch), never another organization's.
 */
export class PhoneOwners {
  constructor(
    private readonly calls: () => SubgraphClient,
    private readonly leads: () => SubgraphClient,
  ) {}

  /** The entity reference as the gateway sent it (with the owner's E.164), or null when the caller may not see it. */
  reference<R extends { id: string }>(kind: 'Call' | 'Lead', representation: R, { identity, loaders }: SubgraphContext): Promise<R | null> {
    return loaders
      .get<string, boolean>(`visible${kind}`, async (ids) => {
        const visible = await this.visible(kind, identity, ids);
        return ids.map((id) => visible.has(id));
      })
      .load(String(representation.id).toLowerCase())
      .then((visible) => (visible ? representation : null));
  }

  private async visible(kind: 'Call' | 'Lead', caller: Identity, ids: readonly string[]): Promise<Set<string>> {
    if (caller.kind === 'anonymous' || caller.userId === undefined || caller.organizationId === undefined) return new Set();
    if (kind === 'Call') {
      const keys = [...new Set(ids.filter((id) => /^\d{1,10}$/.test(id)))];
      if (!keys.length) return new Set();
      return new Set((await executeOperation(this.calls(), FunnelsVisibleCallsDocument, { ids: keys }, caller)).visibleCallIds);
    }
    const keys = [...new Set(ids.filter(isUuid))];
    if (!keys.length) return new Set();
    return new Set((await executeOperation(this.leads(), FunnelsVisibleLeadsDocument, { ids: keys }, caller)).visibleLeadIds);
  }
}
