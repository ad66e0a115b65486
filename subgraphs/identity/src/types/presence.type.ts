import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

export enum PresenceStatus {
  ONLINE = 'online',
  AWAY = 'away',
  BUSY = 'busy',
  OFFLINE = 'offline',
}
registerEnumType(PresenceStatus, { name: 'PresenceStatus', description: 'ONLINE users can take transferred calls' });

@ObjectType('UserPhone')
export class UserPhoneType {
  @Field(() => ID) id!: number;
  @Field() phoneNumber!: string;
  @Field({ description: 'e.g. work, mobile, home' }) phoneType!: string;
  @Field() isPrimary!: boolean;
}
