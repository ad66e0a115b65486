import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import {
  badInput,
  containsPattern,
  groupByKeys,
  integerId,
  requireRole,
  windowOf,
  WRITERS,
  type SubgraphContext,
  findPage,
} from '@salesgraph/platform';
import { Company, CompanyPhone } from '../entities/index.js';
import type { PhoneNumbers } from '@salesgraph/platform';
import { CompanyConnection, CompanyPhoneType, CompanyType } from '../types/company.type.js';
import { CompaniesArgs, CompanyByPhoneArgs, CreateCompanyInput } from '../types/inputs.js';

@Resolver(() => CompanyType)
export class CompanyResolver {
  constructor(private readonly phoneNumbers: PhoneNumbers) {}

  @Authorized()
  @Query(() => CompanyConnection, { description: "Your organization's companies; search by name or INN" })
  async companies(@Args() args: CompaniesArgs, @Ctx() { em, identity }: SubgraphContext) {
    const caller = requireRole(identity);
    const window = windowOf(args);
    const like = containsPattern(args.search);
    return findPage(
      em,
      Company,
      { organizationId: caller.organizationId, ...(like && { $or: [{ name: { $ilike: like } }, { inn: { $ilike: like } }] }) },
      { orderBy: { name: 'asc', id: 'asc' } },
      window,
    );
  }

  @Authorized()
  @Query(() => CompanyType, { nullable: true })
  company(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<Company | null> {
    return em.findOne(Company, { id: integerId(id, 'company'), organizationId: requireRole(identity).organizationId });
  }

  @Authorized()
  @Query(() => CompanyType, {
    nullable: true,
    description: 'The company a phone number belongs to; any common notation of the number matches',
  })
  async companyByPhone(@Args() { phone }: CompanyByPhoneArgs, @Ctx() { em, identity }: SubgraphContext): Promise<Company | null> {
    const e164 = this.phoneNumbers.toE164(phone);
    if (!e164) throw badInput(`"${phone}" is not a valid phone number`, [{ field: 'phone', message: 'is not a phone number' }]);
    const match = await em.findOne(
      CompanyPhone,
      { organizationId: requireRole(identity).organizationId, e164 },
      { populate: ['company'], orderBy: { id: 'asc' } },
    );
    return match?.company ?? null;
  }

  @Authorized(WRITERS)
  @Mutation(() => CompanyType)
  async createCompany(@Arg('input') input: CreateCompanyInput, @Ctx() { em, identity }: SubgraphContext): Promise<Company> {
    const caller = requireRole(identity, WRITERS);
    const phones = input.phones.map((p, i) => {
      const e164 = this.phoneNumbers.toE164(p.phoneNumber);
      if (!e164)
        throw badInput(`"${p.phoneNumber}" is not a valid phone number`, [
          { field: `phones[${i}].phoneNumber`, message: 'is not a phone number' },
        ]);
      return { ...p, e164 };
    });
    const company = em.create(Company, {
      organizationId: caller.organizationId,
      name: input.name.trim(),
      inn: input.inn ?? null,
      status: 'active',
    });
    for (const p of phones) {
      em.create(CompanyPhone, {
        organizationId: caller.organizationId,
        company,
        phoneNumber: p.phoneNumber,
        e164: p.e164,
        phoneType: p.phoneType,
        contactPerson: p.contactPerson ?? null,
      });
    }
    await em.flush();
    return company;
  }

  @FieldResolver(() => [CompanyPhoneType])
  phones(@Root() company: Company, @Ctx() { em, loaders }: SubgraphContext): Promise<CompanyPhone[]> {
    return loaders
      .get<number, CompanyPhone[]>('phonesByCompany', async (ids) => {
        const rows = await em.find(CompanyPhone, { company: { $in: [...ids] } }, { orderBy: { id: 'asc' } });
        return groupByKeys(ids, rows, (r) => r.company.id);
      })
      .load(company.id);
  }
}
