import { Field, Int, ObjectType } from 'type-graphql';
import { Role } from '@salesgraph/platform';
import { UserType } from './user.type.js';

@ObjectType('AuthPayload', { description: 'Tokens of a login or refresh: keep the refresh token secret, it rotates on every use' })
export class AuthPayload {
  @Field() accessToken!: string;
  @Field() refreshToken!: string;
  @Field({ description: 'Always "bearer"' }) tokenType!: string;
  @Field(() => Int, { description: 'Seconds until the access token expires' }) expiresIn!: number;
  @Field(() => UserType) user!: UserType;
}

@ObjectType('AuthStatus')
export class AuthStatus {
  @Field() authenticated!: boolean;
  @Field(() => UserType, { nullable: true }) user!: UserType | null;
  @Field(() => Role, { nullable: true }) role!: Role | null;
  @Field({ description: '"user", "apiKey" or "anonymous"' }) via!: string;
}

@ObjectType('SignUpPayload')
export class SignUpPayload extends AuthPayload {}
