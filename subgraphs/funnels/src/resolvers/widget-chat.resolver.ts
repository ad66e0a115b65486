import {
  Arg,
  Args,
  Ctx,
  Directive,
  FieldResolver,
  ID,
  Mutation,
  Query,
  Resolver,
  Root,
  Subscription,
  type SubscriptionHandlerData,
} from 'type-graphql';
import { Hydrate, type SubgraphContext } from '@salesgraph/platform';
import type { DialogMessage, WidgetInstance } from '../entities/index.js';
import { DIALOG_TOPIC, type DialogEventPayload } from '../services/events.js';
import { visitorIdOf, type WidgetChatService } from '../services/widget-chat.js';
import { MessageRole } from '../types/enums.js';
import {
  StartWidgetSessionArgs,
  VisitorArgs,
  WidgetAppearanceType,
  WidgetMessageArgs,
  WidgetMessageConnection,
  WidgetMessageType,
  WidgetMessagesArgs,
  WidgetSendArgs,
  WidgetSessionType,
} from '../types/widget-chat.type.js';

type VisitorFilterData = SubscriptionHandlerData<DialogEventPayload, VisitorArgs, SubgraphContext>;

/**
 * The web chat widget's visitors, anonymous: no `@Authorized` on purpose. Each field takes the visitor's
 * token and reaches that visitor's own chat only; the session starts through the gateway's widget route
 * (`src/gateway/widget.ts`), which checks where the request comes from, hence `@inaccessible`.
 */
@Resolver()
export class WidgetChatResolver {
  constructor(private readonly chat: WidgetChatService) {}

  @Directive('@inaccessible')
  @Mutation(() => WidgetSessionType, {
    description: "Internal: a new visitor of an active widget, from an origin it allows (the gateway's widget route)",
  })
  async startWidgetSession(
    @Args() { widgetId, name, origin }: StartWidgetSessionArgs,
    @Ctx() { em }: SubgraphContext,
  ): Promise<{ visitorToken: string; widget: WidgetInstance }> {
    return this.chat.start(em, widgetId, name, origin);
  }

  @Directive('@inaccessible')
  @Query(() => WidgetAppearanceType, {
    description: "Internal: an active widget's appearance and origins, for its page (NOT_FOUND when off)",
  })
  widgetAppearance(@Arg('widgetId', () => ID) widgetId: string, @Ctx() { em }: SubgraphContext): Promise<WidgetInstance> {
    return this.chat.activeWidget(em, widgetId);
  }

  @Mutation(() => WidgetMessageType, {
    description:
      "A widget visitor writes to the organization: their dialog's next message (the first opens it); anonymous, by the visitor's token",
  })
  widgetSend(@Args() { visitorToken, text }: WidgetSendArgs, @Ctx() { em }: SubgraphContext): Promise<DialogMessage> {
    return this.chat.send(em, visitorToken, text);
  }

  @Query(() => WidgetMessageConnection, { description: "A widget visitor's own chat, newest first; anonymous, by the visitor's token" })
  widgetMessages(@Args() { visitorToken, ...page }: WidgetMessagesArgs, @Ctx() { em }: SubgraphContext) {
    return this.chat.messages(em, visitorToken, page);
  }

  @Query(() => WidgetMessageType, { nullable: true, description: "A message of a widget visitor's own chat (null for any other)" })
  widgetMessage(@Args() { visitorToken, id }: WidgetMessageArgs, @Ctx() { em }: SubgraphContext): Promise<DialogMessage | null> {
    return this.chat.message(em, visitorToken, id);
  }

  // The event names the message; the gateway reads it with `widgetMessage(visitorToken:, id:)`, so only the
  // token's visitor ever reads it. An unknown token gets no events.
  @Hydrate('widgetMessage')
  @Subscription(() => WidgetMessageType, {
    topics: DIALOG_TOPIC,
    filter: async ({ payload, args, context }: VisitorFilterData) =>
      payload.changes.includes('message') &&
      payload.visitorId !== undefined &&
      payload.visitorId === (await visitorIdOf(context.em, context.loaders, args.visitorToken)),
    description: "A message was added to a widget visitor's own chat (theirs, or a reply); anonymous, by the visitor's token",
  })
  widgetMessageAdded(@Root() payload: DialogEventPayload, @Args() _visitor: VisitorArgs): WidgetMessageType {
    return { id: payload.messageId } as WidgetMessageType;
  }
}

@Resolver(() => WidgetMessageType)
export class WidgetMessageResolver {
  @FieldResolver(() => Boolean)
  fromVisitor(@Root() message: DialogMessage): boolean {
    return message.role === MessageRole.USER;
  }
}
