import { MAX_PAGES, amount, isObject, text, type CrmAccount, type CrmAdapter, type ExternalLead, type OutgoingLead } from './adapter.js';
import { CrmRequestError, crmRequest, joinUrl } from './http.js';

/** Leads per page: amoCRM's API v4 allows up to 250. */
const PAGE_SIZE = 250;

const auth = (account: CrmAccount) => ({ authorization: `Bearer ${account.credentials}` });

interface AmoPage {
  _links?: { next?: unknown };
  _embedded?: { leads?: unknown[]; contacts?: unknown[]; companies?: unknown[] };
}

/** One list of amoCRM's API v4 (`_embedded.<key>`); a 204 is an empty list. */
async function list(account: CrmAccount, path: string, key: 'leads' | 'contacts' | 'companies') {
  const answer = await crmRequest(joinUrl(account.baseUrl, path), { headers: auth(account) }, account.http);
  if (answer !== null && !isObject(answer)) throw new CrmRequestError(`amoCRM answered an unexpected ${key} list`);
  const body = answer as AmoPage | null;
  const items = body?._embedded?.[key] ?? [];
  return { items: Array.isArray(items) ? items.filter(isObject) : [], hasNext: Boolean(body?._links?.next) };
}

const embeddedIds = (lead: Record<string, unknown>, key: 'contacts' | 'companies'): number[] => {
  const embedded = isObject(lead._embedded) ? lead._embedded[key] : undefined;
  return Array.isArray(embedded)
    ? embedded
        .filter(isObject)
        .map((e) => Number(e.id))
        .filter(Number.isSafeInteger)
    : [];
};

/** The first value of a contact's custom field by its code (PHONE, EMAIL). */
function fieldValue(contact: Record<string, unknown>, code: string): string | null {
  const fields = Array.isArray(contact.custom_fields_values) ? contact.custom_fields_values.filter(isObject) : [];
  const field = fields.find((f) => f.field_code === code);
  const values = field && Array.isArray(field.values) ? field.values.filter(isObject) : [];
  return text(values[0]?.value);
}

const idFilter = (ids: number[]) => ids.map((id) => `filter[id][]=${id}`).join('&');

/**
 * amoCRM API v4 (`Authorization: Bearer <access token>`): leads ("сделки") from `GET /api/v4/leads`, paged by
 * `page`/`limit` while `_links.next` is present, with their main contact's phone and e-mail
 * (`GET /api/v4/contacts`) and company name (`GET /api/v4/companies`); `price` is the budget.
 * New leads go to `POST /api/v4/leads`, changes to `PATCH /api/v4/leads/{id}` (name and price: amoCRM keeps
 * phones and e-mails on contacts).
 */
export const amocrm: CrmAdapter = {
  async *pull(account) {
    for (let page = 1; page <= MAX_PAGES; page++) {
      const { items: leads, hasNext } = await list(account, `/api/v4/leads?with=contacts&page=${page}&limit=${PAGE_SIZE}`, 'leads');
      const contactIds = [...new Set(leads.map((lead) => embeddedIds(lead, 'contacts')[0]).filter((id) => id !== undefined))];
      const companyIds = [...new Set(leads.map((lead) => embeddedIds(lead, 'companies')[0]).filter((id) => id !== undefined))];
      const contacts = contactIds.length
        ? (await list(account, `/api/v4/contacts?limit=${PAGE_SIZE}&${idFilter(contactIds)}`, 'contacts')).items
        : [];
      const companies = companyIds.length
        ? (await list(account, `/api/v4/companies?limit=${PAGE_SIZE}&${idFilter(companyIds)}`, 'companies')).items
        : [];
      const contactById = new Map(contacts.map((c) => [Number(c.id), c]));
      const companyById = new Map(companies.map((c) => [Number(c.id), c]));
      const mapped: ExternalLead[] = [];
      for (const lead of leads) {
        const externalId = text(lead.id);
        if (!externalId) continue;
        const contact = contactById.get(embeddedIds(lead, 'contacts')[0] ?? NaN);
        const company = companyById.get(embeddedIds(lead, 'companies')[0] ?? NaN);
        mapped.push({
          externalId,
          name: text(lead.name) ?? text(contact?.name) ?? `amoCRM lead ${externalId}`,
          budget: amount(lead.price),
          phone: contact ? fieldValue(contact, 'PHONE') : null,
          email: contact ? fieldValue(contact, 'EMAIL') : null,
          company: text(company?.name),
        });
      }
      if (mapped.length) yield mapped;
      if (!hasNext || leads.length === 0) return;
    }
  },

  async create(account, lead) {
    const body = await crmRequest(
      joinUrl(account.baseUrl, '/api/v4/leads'),
      { method: 'POST', headers: auth(account), body: [outgoing(lead)] },
      account.http,
    );
    const created: unknown =
      isObject(body) && isObject(body._embedded) && Array.isArray(body._embedded.leads) ? body._embedded.leads[0] : undefined;
    const id = isObject(created) ? text(created.id) : null;
    if (!id) throw new CrmRequestError('amoCRM did not answer the id of the created lead');
    return id;
  },

  async update(account, externalId, lead) {
    await crmRequest(
      joinUrl(account.baseUrl, `/api/v4/leads/${encodeURIComponent(externalId)}`),
      { method: 'PATCH', headers: auth(account), body: outgoing(lead) },
      account.http,
    );
  },
};

const outgoing = (lead: OutgoingLead) => ({ name: lead.name, ...(lead.budget !== null && { price: Math.round(lead.budget) }) });
