import { OperationError, executeOperation, type Identity, type SubgraphClient } from '@salesgraph/platform';
import { CallsLeadByPhoneDocument, CallsVisibleLeadsDocument } from '../generated/leads.js';

/** How long a ringing call waits for its lead before it is created without one. */
export const LEAD_LOOKUP_TIMEOUT_MS = 2_000;

/**
 * Asks the leads subgraph about leads, as the caller (so its tenant rules apply): calls never reads
 * leads' tables, and knows a lead only by the id it stores on a call.
 */
export class LeadDirectory {
  constructor(
    private readonly leads: () => SubgraphClient,
    private readonly timeoutMs = LEAD_LOOKUP_TIMEOUT_MS,
  ) {}

  /**
   * The id of the caller organization's lead with this E.164 phone, or null when none has it. A ringing
   * phone matters more than its card: when leads cannot answer (down, slow, an error), this is null too,
   * with a warning that names neither the number nor the organization.
   */
  async leadIdByPhone(caller: Identity, e164: string): Promise<string | null> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
      });
      const { leadIdByPhone } = await Promise.race([executeOperation(this.leads(), CallsLeadByPhoneDocument, { e164 }, caller), timeout]);
      return leadIdByPhone;
    } catch (error) {
      // An answered error's message may quote the variables (the number): only its code is logged.
      const reason = error instanceof OperationError ? `it answered ${error.code ?? 'an error'}` : (error as Error).message;
      console.warn(`calls: a call is created without its lead, the leads subgraph could not be asked: ${reason}`);
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Those of `ids` that are leads the caller may see, in one request whatever their number. */
  async visible(caller: Identity, ids: readonly string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const { visibleLeadIds } = await executeOperation(this.leads(), CallsVisibleLeadsDocument, { ids: [...ids] }, caller);
    return new Set(visibleLeadIds);
  }
}
