import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Role } from '@salesgraph/platform';

@ObjectType('ApiKey', { description: 'A credential for service and legacy clients; the secret is shown once, at creation' })
export class ApiKeyType {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field({ description: 'The first characters of the key, to recognise it' }) prefix!: string;
  @Field(() => Role) role!: Role;
  @Field() createdAt!: Date;
  @Field(() => Date, { nullable: true }) expiresAt?: Date | null;
  @Field(() => Date, { nullable: true }) lastUsedAt?: Date | null;
  @Field(() => Date, { nullable: true }) revokedAt?: Date | null;
}

@ObjectType('CreatedApiKey')
export class CreatedApiKey {
  @Field(() => ApiKeyType) apiKey!: ApiKeyType;
  @Field({ description: 'The whole key. It is not stored and cannot be shown again' }) secret!: string;
}

/** What the gateway learns from a valid API key (internal: not in the client API). */
@Directive('@inaccessible')
@ObjectType('ApiKeyIdentity')
export class ApiKeyIdentity {
  @Field(() => ID) apiKeyId!: string;
  @Field(() => ID) userId!: number;
  @Field(() => ID) organizationId!: string;
  @Field(() => Role) role!: Role;
}
