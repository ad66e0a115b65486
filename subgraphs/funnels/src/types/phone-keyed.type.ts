import { Directive, Field, ID, ObjectType } from 'type-graphql';

/*
 * Entities other subgraphs own that funnels adds dialogs to, matched by phone. Each declares its key and the
 * owner's E.164 field as `@external`; the field funnels adds `@requires` it, so the gateway reads the number
 * from the owner and hands it to funnels in the representation (funnels stores no call or lead).
 */

/** A phone call, owned by the calls subgraph; funnels adds the caller's dialogs (`Call.dialogs`). */
@Directive('@key(fields: "id")')
@ObjectType('Call')
export class CallRef {
  @Field(() => ID) id!: string;
  @Directive('@external')
  @Field(() => String, { nullable: true })
  callerE164!: string | null;
}

/** A lead, owned by the leads subgraph; funnels adds the dialogs of the clients with its phone (`Lead.dialogs`). */
@Directive('@key(fields: "id")')
@ObjectType('Lead')
export class LeadRef {
  @Field(() => ID) id!: string;
  @Directive('@external')
  @Field(() => String, { nullable: true })
  phoneE164!: string | null;
}
