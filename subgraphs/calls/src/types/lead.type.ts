import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * A lead, owned and resolved by the leads subgraph; calls knows only its id (stored on a call when the
 * caller's number matched it) and contributes the lead's calls (`Lead.calls`).
 */
@Directive('@key(fields: "id")')
@ObjectType('Lead')
export class LeadRef {
  @Field(() => ID) id!: string;
}

export const leadRef = (id: string | null | undefined): LeadRef | null => (id ? { id } : null);
