import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** A user, owned and resolved by the identity subgraph; funnels only knows the id. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('User')
export class UserRef {
  @Field(() => ID) id!: number;
}

export const userRef = (id: number | null | undefined): UserRef | null => (id ? { id } : null);
