import { Arg, Args, ArgsType, Authorized, Ctx, Directive, Field, ID, Mutation, Resolver } from 'type-graphql';
import { MaxLength } from 'class-validator';
import { WRITERS, requireRole, type SubgraphContext } from '@salesgraph/platform';
import type { Dialog } from '../entities/index.js';
import type { AssistantTurn, DialogService } from '../services/dialogs.js';
import { AssistantTurnType } from '../types/assistant.type.js';
import { DialogType } from '../types/dialog.type.js';

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
 * Its replies go through `sendDialogMessage` with role ASSISTANT, as any assistant message does.
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
  @Mutation(() => DialogType, {
    description: 'Internal: the assistant hands a dialog over to a person (ai off, when and why recorded, dialogUpdated)',
  })
  handOverDialog(@Args() { dialogId, reason }: HandOverArgs, @Ctx() { em, identity }: SubgraphContext): Promise<Dialog> {
    return this.dialogs.handOver(em, requireRole(identity, WRITERS), dialogId, reason);
  }
}
