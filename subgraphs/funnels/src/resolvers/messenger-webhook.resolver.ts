import { Arg, Args, ArgsType, Ctx, Directive, Field, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { MaxLength } from 'class-validator';
import type { SubgraphContext } from '@salesgraph/platform';
import type { ConnectionService } from '../services/connections.js';

@ArgsType()
class MessengerUpdateArgs {
  @Field(() => ID) connectionId!: string;
  @Field(() => String, { nullable: true, description: 'Telegram: the secret token header' }) @MaxLength(300) secret?: string | null;
  @Field({ description: 'The raw body the messenger posted' }) @MaxLength(1_000_000) body!: string;
  @Field(() => String, { nullable: true, description: 'WhatsApp: the X-Hub-Signature-256 header' }) @MaxLength(200) signature?:
    string | null;
}

/**
 * What the gateway's messenger webhook routes call (`src/gateway/`), never the public API: `@inaccessible`,
 * and anonymous, since a messenger signs in with the connection's secret instead of a user's credential.
 */
@Resolver()
export class MessengerWebhookResolver {
  constructor(private readonly connections: ConnectionService) {}

  @Directive('@inaccessible')
  @Mutation(() => Int, { description: 'Internal: a messenger update for a connection; how many messages were new' })
  receiveMessengerUpdate(
    @Args() { connectionId, secret, body, signature }: MessengerUpdateArgs,
    @Ctx() { em }: SubgraphContext,
  ): Promise<number> {
    return this.connections.receive(em, connectionId, secret ?? undefined, body, signature ?? undefined);
  }

  @Directive('@inaccessible')
  @Query(() => Boolean, { description: "Internal: whether a WhatsApp webhook verification names the connection's secret" })
  messengerWebhookVerifies(
    @Arg('connectionId', () => ID) connectionId: string,
    @Arg('verifyToken') verifyToken: string,
    @Ctx() { em }: SubgraphContext,
  ): Promise<boolean> {
    return this.connections.verifiesWebhook(em, connectionId, verifyToken);
  }
}
