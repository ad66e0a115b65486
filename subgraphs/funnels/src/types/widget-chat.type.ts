import { ArgsType, Field, ID, ObjectType } from 'type-graphql';
import { Length, MaxLength } from 'class-validator';
import { Connection, PageArgs } from '@salesgraph/platform';

/** What a widget's page shows of it (its origins are in the page's policy anyway): no owner, no funnel. */
@ObjectType('WidgetAppearance', { description: 'How a web chat widget shows itself to its visitors' })
export class WidgetAppearanceType {
  @Field(() => ID) id!: string;
  @Field({ description: 'The heading the widget shows' }) title!: string;
  @Field(() => String, { nullable: true, description: 'The first message a visitor sees' }) greeting!: string | null;
  @Field(() => [String], { description: 'Origins allowed to embed it (empty: any)' }) allowedOrigins!: string[];
}

@ObjectType('WidgetSession', { description: "A widget visitor's anonymous session" })
export class WidgetSessionType {
  @Field({ description: "The visitor's secret: it reads and writes their chat (and nothing else); kept by their browser" })
  visitorToken!: string;
  @Field(() => WidgetAppearanceType) widget!: WidgetAppearanceType;
}

/** A message of a visitor's chat, as the visitor sees it: who wrote it, not which manager or assistant. */
@ObjectType('WidgetMessage', { description: "A message of a widget visitor's chat, as the visitor sees it" })
export class WidgetMessageType {
  @Field(() => ID) id!: string;
  @Field() text!: string;
  @Field({ description: 'The visitor wrote it (else the organization did: a manager or its assistant)' }) fromVisitor!: boolean;
  @Field(() => Date) createdAt!: Date;
}

@ObjectType('WidgetMessageConnection')
export class WidgetMessageConnection extends Connection(WidgetMessageType, 'WidgetMessage') {}

const VISITOR_TOKEN = "The visitor's secret, from the widget's session start (POST /widget/<widgetId>/session)";
/** The longest visitor token accepted (one is 43 characters). */
const TOKEN_MAX_LENGTH = 100;

@ArgsType()
export class VisitorArgs {
  @Field({ description: VISITOR_TOKEN }) @MaxLength(TOKEN_MAX_LENGTH) visitorToken!: string;
}

@ArgsType()
export class WidgetSendArgs extends VisitorArgs {
  @Field() @Length(1, 4096) text!: string;
}

@ArgsType()
export class WidgetMessagesArgs extends PageArgs {
  @Field({ description: VISITOR_TOKEN }) @MaxLength(TOKEN_MAX_LENGTH) visitorToken!: string;
}

@ArgsType()
export class WidgetMessageArgs extends VisitorArgs {
  @Field(() => ID) id!: string;
}

@ArgsType()
export class StartWidgetSessionArgs {
  @Field(() => ID) widgetId!: string;
  @Field(() => String, { nullable: true, description: 'How the visitor introduced themselves (names their client)' })
  @MaxLength(200)
  name?: string | null;
  @Field(() => String, {
    nullable: true,
    description: "The Origin of the request, as the gateway's route saw it; null for the widget's own page or no Origin",
  })
  @MaxLength(300)
  origin?: string | null;
}
