import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Connection, Role } from '@salesgraph/platform';
import { OrganizationType } from './organization.type.js';

@Directive('@key(fields: "id")')
@ObjectType('User', { description: 'A person who signs in; ids are integers as in the legacy APIs' })
export class UserType {
  @Field(() => ID) id!: number;
  @Field() email!: string;
  @Field() username!: string;
  @Field(() => String, { nullable: true }) firstName?: string | null;
  @Field(() => String, { nullable: true }) lastName?: string | null;
  @Field(() => Role) role!: Role;
  @Field() isActive!: boolean;
  @Field(() => OrganizationType) organization!: OrganizationType;
  @Field(() => Date, { nullable: true }) lastLoginAt?: Date | null;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;
}

@ObjectType('UserConnection')
export class UserConnection extends Connection(UserType, 'User') {}
