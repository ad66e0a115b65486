import { MAX_PAGES, amount, isObject, text, type CrmAccount, type CrmAdapter, type ExternalLead, type OutgoingLead } from './adapter.js';
import { CrmRequestError, crmRequest, joinUrl } from './http.js';

const SELECT = ['ID', 'TITLE', 'NAME', 'LAST_NAME', 'COMPANY_TITLE', 'OPPORTUNITY', 'PHONE', 'EMAIL'];

/** A method of the portal's inbound webhook: `<base>/rest/<user id>/<key>/<method>.json`; the credentials are `<user id>/<key>`. */
const method = (account: CrmAccount, name: string) =>
  joinUrl(account.baseUrl, `/rest/${account.credentials.replace(/^\/+|\/+$/g, '')}/${name}.json`);

const firstValue = (multi: unknown) => (Array.isArray(multi) && isObject(multi[0]) ? text(multi[0].VALUE) : null);

/**
 * Bitrix24 REST through an inbound webhook: `crm.lead.list` paged by `start` (the answer's `next`),
 * `crm.lead.add` answering the new id in `result`, `crm.lead.update`.
 */
export const bitrix24: CrmAdapter = {
  async *pull(account) {
    let start: number | undefined = 0;
    for (let page = 0; page < MAX_PAGES && start !== undefined; page++) {
      const body = await crmRequest(
        method(account, 'crm.lead.list'),
        { method: 'POST', body: { start, select: SELECT, order: { ID: 'ASC' } } },
        account.http,
      );
      if (!isObject(body) || !Array.isArray(body.result)) throw new CrmRequestError('Bitrix24 answered an unexpected lead list');
      const leads: ExternalLead[] = body.result.filter(isObject).flatMap((lead) => {
        const externalId = text(lead.ID);
        if (!externalId) return [];
        const person = [text(lead.NAME), text(lead.LAST_NAME)].filter(Boolean).join(' ');
        return [
          {
            externalId,
            name: text(lead.TITLE) ?? (person || `Bitrix24 lead ${externalId}`),
            phone: firstValue(lead.PHONE),
            email: firstValue(lead.EMAIL),
            company: text(lead.COMPANY_TITLE),
            budget: amount(lead.OPPORTUNITY),
          },
        ];
      });
      if (leads.length) yield leads;
      start = typeof body.next === 'number' && body.next > start ? body.next : undefined;
    }
  },

  async create(account, lead) {
    const body = await crmRequest(method(account, 'crm.lead.add'), { method: 'POST', body: { fields: fields(lead) } }, account.http);
    const id = isObject(body) ? text(body.result) : null;
    if (!id) throw new CrmRequestError('Bitrix24 did not answer the id of the created lead');
    return id;
  },

  async update(account, externalId, lead) {
    await crmRequest(method(account, 'crm.lead.update'), { method: 'POST', body: { id: externalId, fields: fields(lead) } }, account.http);
  },
};

const fields = (lead: OutgoingLead) => ({
  TITLE: lead.name,
  ...(lead.company && { COMPANY_TITLE: lead.company }),
  ...(lead.budget !== null && { OPPORTUNITY: lead.budget }),
  ...(lead.phone && { PHONE: [{ VALUE: lead.phone, VALUE_TYPE: 'WORK' }] }),
  ...(lead.email && { EMAIL: [{ VALUE: lead.email, VALUE_TYPE: 'WORK' }] }),
});
