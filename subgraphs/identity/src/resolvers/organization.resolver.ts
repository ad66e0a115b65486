import { Authorized, Ctx, Query, Resolver } from 'type-graphql';
import { notFound, requireRole, type SubgraphContext } from '@salesgraph/platform';
import { Organization } from '../entities/index.js';
import { OrganizationType } from '../types/organization.type.js';

@Resolver(() => OrganizationType)
export class OrganizationResolver {
  @Authorized()
  @Query(() => OrganizationType, { description: "The caller's organization" })
  async organization(@Ctx() { em, identity }: SubgraphContext): Promise<Organization> {
    const found = await em.findOne(Organization, { id: requireRole(identity).organizationId });
    if (!found) throw notFound('Organization');
    return found;
  }
}
