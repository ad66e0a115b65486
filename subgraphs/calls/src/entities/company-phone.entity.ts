import { defineEntity, p } from '@mikro-orm/core';
import { Company } from './company.entity.js';

export const CompanyPhoneSchema = defineEntity({
  name: 'CompanyPhone',
  tableName: 'company_phones',
  indexes: [{ properties: ['organizationId', 'e164'] }],
  properties: {
    id: p.integer().primary().autoincrement(),
    organizationId: p.uuid(),
    company: () => p.manyToOne(Company).deleteRule('cascade').index(),
    /** As entered, e.g. "+7 (495) 123-45-67". */
    phoneNumber: p.string().length(40),
    /** Normalised E.164, e.g. "+74951234567": what lookups compare. */
    e164: p.string().length(20),
    phoneType: p.string().length(20).default('main'),
    contactPerson: p.string().length(200).nullable(),
  },
});
export class CompanyPhone extends CompanyPhoneSchema.class {}
CompanyPhoneSchema.setClass(CompanyPhone);
