import { Directive, Field, Float, ID, Int, ObjectType } from 'type-graphql';

@ObjectType('FollowUp', { description: 'A message sent to a client who stays silent at a stage' })
export class FollowUpType {
  @Field(() => ID) id!: string;
  @Field(() => Float, { description: 'Minutes of silence before it is sent' }) delayMinutes!: number;
  @Field() text!: string;
}

@ObjectType('FunnelStage', { description: 'One stage of a funnel and the assistant that works it' })
export class FunnelStageType {
  @Field(() => ID) id!: string;
  @Field(() => Int, { description: '0-based order in the funnel' }) position!: number;
  @Field() name!: string;
  @Field() assistantCodeName!: string;
  @Field() assistantName!: string;
  @Field({ description: "The assistant's system prompt" }) prompt!: string;
}

@Directive('@key(fields: "id")')
@ObjectType('Funnel', { description: 'A sales funnel: the ordered stages dialogs move through (seed 003)' })
export class FunnelType {
  @Field(() => ID) id!: string;
  @Field({ description: 'Code name, unique in the organization' }) name!: string;
  @Field() displayName!: string;
  @Field() isActive!: boolean;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;
}

@ObjectType('Assistant', { description: "A stage's assistant, as seed 003 lists a funnel's assistants" })
export class AssistantType {
  @Field() assistantCodeName!: string;
  @Field() name!: string;
  @Field() prompt!: string;
  @Field(() => Int) followUpsCount!: number;
  @Field(() => ID) stageId!: string;
}
