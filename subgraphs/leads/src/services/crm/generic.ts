import { MAX_PAGES, amount, isObject, text, type CrmAccount, type CrmAdapter, type ExternalLead, type OutgoingLead } from './adapter.js';
import { CrmRequestError, crmRequest, joinUrl } from './http.js';

const auth = (account: CrmAccount) => ({ authorization: `Bearer ${account.credentials}` });

/**
 * The generic protocol, for any CRM behind a small bridge (`Authorization: Bearer <credentials>` on every call):
 * - `GET {base}/leads?page=N` (N from 1) → `{"items": [{"id", "name", "phone", "email", "company", "budget"}], "next_page": N+1 | null}`;
 * - `POST {base}/leads` with `{"name", "phone", "email", "company", "budget"}` → `{"id"}`;
 * - `PUT {base}/leads/{id}` with the same body.
 */
export const generic: CrmAdapter = {
  async *pull(account) {
    let page: number | null = 1;
    for (let n = 0; n < MAX_PAGES && page !== null; n++) {
      const body = await crmRequest(joinUrl(account.baseUrl, `/leads?page=${page}`), { headers: auth(account) }, account.http);
      if (!isObject(body) || !Array.isArray(body.items)) throw new CrmRequestError('The CRM answered an unexpected lead list');
      const leads: ExternalLead[] = body.items.filter(isObject).flatMap((item) => {
        const externalId = text(item.id);
        if (!externalId) return [];
        return [
          {
            externalId,
            name: text(item.name) ?? `Lead ${externalId}`,
            phone: text(item.phone),
            email: text(item.email),
            company: text(item.company),
            budget: amount(item.budget),
          },
        ];
      });
      if (leads.length) yield leads;
      page = typeof body.next_page === 'number' && body.next_page > page ? body.next_page : null;
    }
  },

  async create(account, lead) {
    const body = await crmRequest(
      joinUrl(account.baseUrl, '/leads'),
      { method: 'POST', headers: auth(account), body: outgoing(lead) },
      account.http,
    );
    const id = isObject(body) ? text(body.id) : null;
    if (!id) throw new CrmRequestError('The CRM did not answer the id of the created lead');
    return id;
  },

  async update(account, externalId, lead) {
    await crmRequest(
      joinUrl(account.baseUrl, `/leads/${encodeURIComponent(externalId)}`),
      { method: 'PUT', headers: auth(account), body: outgoing(lead) },
      account.http,
    );
  },
};

const outgoing = (lead: OutgoingLead) => ({ ...lead });
