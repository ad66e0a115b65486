import { Arg, Args, ArgsType, Authorized, Ctx, Directive, Field, ID, Mutation, Resolver } from 'type-graphql';
import { MaxLength } from 'class-validator';
import { WRITERS, requireRole, type SubgraphContext } from '@salesgraph/platform';
import type { Dialog, DialogMessage } from '../entities/index.js';
import type { AssistantTurn, DialogService } from '../services/dialogs.js';
import { AssistantTurnType } from '../types/assistant.type.js';
import { DialogMessageType, DialogType } from '../types/dialog.type.js';

@ArgsType()
class AssistantReplyArgs {
  @Field(() => ID) dialogId!: string;
  @Field(() => ID, { description: 'The client message whose turn the assistant claimed' }) messageId!: string;
  @Field({ description: 'At most 4,096 characters' }) @MaxLength(4_096) text!: string;
}

@ArgsType()
class HandOverArgs {
  @Field(() => ID) dialogId!: string;
  @Field(() => String, { nullable: true, description: 'Why, in a few words (kept on the dialog as handoverReason)' })
  @MaxLength(500)
  reason?: string | null;
}

/**
 * What the AI subgraph's assistant asks when it answers dialogs with `ai` set, never the public API
 * (`@inaccessible`). It acts as its organization's service identity with a manager's role, so writers only.
 */
@Resolver()
export class AssistantResolver {
  constructor(private readonly dialogs: DialogService) {}

  @Directive('@inaccessible')
  @Authorized(WRITERS)
  @Mutation(() => AssistantTurnType, {
    nullable: true,
    description:
      "Internal: claims the assistant's turn to answer a client's message of a dialog; null when it is not to answer it " +
      '(claimed already, not the latest client message, the dialog no longer ai or unsubscribed)',
  })
  claimAssistantTurn(
    @Arg('dialogId', () => ID) dialogId: string,
    @Arg('messageId', () => ID) messageId: string,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<AssistantTurn | null> {
    return this.dialogs.claimAssistantTurn(em, requireRole(identity, WRITERS), dialogId, messageId);
  }

  @Directive('@inaccessible')
  @Authorized(WRITERS)
  @Mutation(() => DialogMessageType, {
    nullable: true,
    description:
      "Internal: the assistant's answer to the turn it claimed, sent as an assistant message; null when the turn is no " +
      'longer its own (a person took the dialog over, or the client wrote again) while it was writing',
  })
  postAssistantReply(
    @Args() { dialogId, messageId, text }: AssistantReplyArgs,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<DialogMessage | null> {
    return this.dialogs.postAssistantReply(em, requireRole(identity, WRITERS), dialogId, messageId, text);
  }

  @Directive('@inaccessible')
  @Authorized(WRITERS)
  @Mutation(() => DialogType, {
    description: 'Internal: the assistant hands a dialog over to a person (ai off, when and why recorded, dialogUpdated)',
  })
  handOverDialog(@Args() { dialogId, reason }: HandOverArgs, @Ctx() { em, identity }: SubgraphContext): Promise<Dialog> {
    return this.dialogs.handOver(em, requireRole(identity, WRITERS), dialogId, reason);
  }
}
