import { ArgsType, Field, ID } from 'type-graphql';
import { Matches, MaxLength } from 'class-validator';

@ArgsType()
export class SendChatMessageArgs {
  @Field(() => ID, { nullable: true, description: 'The session; left out, your latest session with `persona`' }) sessionId?: string | null;
  @Field(() => String, { nullable: true, description: 'Without a session: the persona (default anna)' })
  @Matches(/^[a-z0-9_]{1,40}$/, { message: 'persona must be a persona code' })
  persona?: string | null;
  @Field({ description: 'At most 20,000 characters' }) @MaxLength(20_000) content!: string;
}
