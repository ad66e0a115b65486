import { defineEntity, p } from '@mikro-orm/core';

export const CompanySchema = defineEntity({
  name: 'Company',
  tableName: 'companies',
  properties: {
    id: p.integer().primary().autoincrement(),
    organizationId: p.uuid().index(),
    name: p.string().length(200),
    /** Russian taxpayer number: 10 digits for companies, 12 for sole traders. */
    inn: p.string().length(12).nullable(),
    status: p.string().length(20).default('active'),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export class Company extends CompanySchema.class {}
CompanySchema.setClass(Company);
