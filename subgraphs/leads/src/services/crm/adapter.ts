import type { CrmHttpOptions } from './http.js';

/** A lead as a CRM holds it, reduced to what leads here keep. */
export interface ExternalLead {
  externalId: string;
  name: string;
  phone?: string | null;
  email?: string | null;
  company?: string | null;
  budget?: number | null;
}

/** A local lead as it is sent to a CRM. */
export interface OutgoingLead {
  name: string;
  phone: string | null;
  email: string | null;
  company: string | null;
  budget: number | null;
}

/** What an adapter needs to reach one account. */
export interface CrmAccount {
  baseUrl: string;
  /** Opened from the sealed column for this run only. */
  credentials: string;
  http: CrmHttpOptions;
}

/** The provider differences, each in its module: how leads are listed, created and updated there. */
export interface CrmAdapter {
  /** The account's leads, a page at a time. */
  pull(account: CrmAccount): AsyncGenerator<ExternalLead[]>;
  /** Creates the lead there and answers its id there. */
  create(account: CrmAccount, lead: OutgoingLead): Promise<string>;
  update(account: CrmAccount, externalId: string, lead: OutgoingLead): Promise<void>;
}

/** Safety net against a provider that pages forever. */
export const MAX_PAGES = 1000;

export const text = (value: unknown): string | null => {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed ? trimmed : null;
};

export const amount = (value: unknown): number | null => {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? Math.round(n * 100) / 100 : null;
};

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
