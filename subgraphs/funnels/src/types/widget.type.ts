import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType('WidgetInstance', { description: 'A web chat widget a site embeds (seed 004); its visitors’ chats become dialogs' })
export class WidgetInstanceType {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field({ description: 'The heading the widget shows' }) title!: string;
  @Field(() => String, { nullable: true, description: 'The first message a visitor sees' }) greeting!: string | null;
  @Field(() => [String], { description: 'Origins allowed to embed it (empty: any)' }) allowedOrigins!: string[];
  @Field() isActive!: boolean;
  @Field(() => ID) ownerUserId!: number;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;
}
