import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** A user, owned and resolved by the identity subgraph; support only knows the id. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('User')
export class UserRef {
  @Field(() => ID) id!: number;
}

/** A funnel, owned and resolved by the funnels subgraph (its name comes from there). */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('Funnel')
export class FunnelRef {
  @Field(() => ID) id!: string;
}

export const userRef = (id: number | null | undefined): UserRef | null => (id ? { id } : null);
