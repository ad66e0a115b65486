import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Connection } from '@salesgraph/platform';
import { ClientStatus, ClientType as ClientKind } from './enums.js';

@Directive('@key(fields: "id")')
@ObjectType('Client', { description: 'A person the organization talks to in messengers (seed 003; numeric ids)' })
export class ClientType {
  @Field(() => ID) id!: number;
  @Field() name!: string;
  @Field(() => String, { nullable: true }) email!: string | null;
  @Field(() => String, { nullable: true, description: 'As given' }) phone!: string | null;
  @Field(() => String, { nullable: true, description: 'The phone in E.164, when it is one' }) phoneE164!: string | null;
  @Field(() => String, { nullable: true, description: "The responsible manager's name, as written" }) manager!: string | null;
  @Field(() => ID, { nullable: true }) assignedUserId!: number | null;
  @Field(() => ClientStatus) status!: ClientStatus;
  @Field(() => ClientKind) type!: ClientKind;
  @Field() createdAt!: Date;
  @Field() lastActivityAt!: Date;
}

@ObjectType('ClientConnection')
export class ClientConnection extends Connection(ClientType, 'Client') {}
