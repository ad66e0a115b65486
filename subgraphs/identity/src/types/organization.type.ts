import { Directive, Field, ID, ObjectType } from 'type-graphql';

@Directive('@key(fields: "id")')
@ObjectType('Organization', { description: 'A tenant: every row of every subgraph belongs to one' })
export class OrganizationType {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field() slug!: string;
  @Field() createdAt!: Date;
}
