import { Arg, Authorized, ID, Resolver, Root, Subscription, type SubscriptionHandlerData } from 'type-graphql';
import { Hydrate, requireRole, type SubgraphContext } from '@salesgraph/platform';
import { mayWatchDialog } from '../services/access.js';
import { DIALOG_TOPIC, type DialogChange, type DialogEventPayload } from '../services/events.js';
import { DialogMessageType, DialogType } from '../types/dialog.type.js';

type DialogFilterData = SubscriptionHandlerData<DialogEventPayload, { dialogId?: string; funnelId?: string }, SubgraphContext>;

/** Dialog events a subscriber may see, with one of the given changes, of one dialog or one funnel when asked. */
const dialogEvents =
  (...changes: DialogChange[]) =>
  ({ payload, context, args }: DialogFilterData) =>
    payload.changes.some((c) => changes.includes(c)) &&
    (!args.dialogId || args.dialogId.toLowerCase() === payload.dialogId) &&
    (!args.funnelId || args.funnelId.toLowerCase() === payload.funnelId) &&
    mayWatchDialog(requireRole(context.identity), payload);

// Only ids leave the subgraph: the gateway hydrates the subscriber's whole selection.
@Resolver()
export class DialogSubscriptionResolver {
  @Authorized()
  @Hydrate('dialogMessage')
  @Subscription(() => DialogMessageType, {
    topics: DIALOG_TOPIC,
    filter: dialogEvents('message'),
    description: 'A message was added to a dialog you may see: of one dialog, of one funnel (an inbox), or any',
  })
  dialogMessageAdded(
    @Root() payload: DialogEventPayload,
    @Arg('dialogId', () => ID, { nullable: true }) _dialogId?: string,
    @Arg('funnelId', () => ID, { nullable: true }) _funnelId?: string,
  ): DialogMessageType {
    return { id: payload.messageId } as DialogMessageType;
  }

  @Authorized()
  @Hydrate('dialog')
  @Subscription(() => DialogType, {
    topics: DIALOG_TOPIC,
    filter: dialogEvents('created', 'message', 'delivery', 'stage', 'fields', 'handover'),
    description:
      "A dialog you may see changed: created, a new message, a message's delivery, its stage or fields, or the AI assistant handed it over",
  })
  dialogUpdated(
    @Root() payload: DialogEventPayload,
    @Arg('dialogId', () => ID, { nullable: true }) _dialogId?: string,
    @Arg('funnelId', () => ID, { nullable: true }) _funnelId?: string,
  ): DialogType {
    return { id: payload.dialogId } as DialogType;
  }
}
