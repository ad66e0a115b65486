import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Role } from '@salesgraph/platform';

/** What the gateway learns from a live session (internal: not in the client API). */
@Directive('@inaccessible')
@ObjectType('SessionIdentity')
export class SessionIdentity {
  @Field(() => ID) userId!: number;
  @Field(() => ID) organizationId!: string;
  @Field(() => Role, { description: "The user's current role" }) role!: Role;
}

/** A credential change the gateways act on (internal). */
@Directive('@inaccessible')
@ObjectType('CredentialRevocation')
export class CredentialRevocationType {
  @Field({ description: 'True on the first message only: the feed is listening from now on' }) ready!: boolean;
  @Field(() => ID, { nullable: true, description: 'Every credential of this user' }) userId?: number | null;
  @Field(() => ID, { nullable: true }) sessionId?: string | null;
  @Field(() => ID, { nullable: true }) apiKeyId?: string | null;
}
