import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Connection } from '@salesgraph/platform';

@ObjectType('CompanyPhone')
export class CompanyPhoneType {
  @Field(() => ID) id!: number;
  @Field({ description: 'As entered, e.g. "+7 (495) 123-45-67"' }) phoneNumber!: string;
  @Field({ description: 'Normalised E.164, e.g. "+74951234567"' }) e164!: string;
  @Field() phoneType!: string;
  @Field(() => String, { nullable: true }) contactPerson!: string | null;
}

@Directive('@key(fields: "id")')
@ObjectType('Company', { description: 'A customer company that calls in, recognised by its phone numbers' })
export class CompanyType {
  @Field(() => ID) id!: number;
  @Field() name!: string;
  @Field(() => String, { nullable: true, description: 'Taxpayer number (ИНН)' }) inn!: string | null;
  @Field() status!: string;
  @Field() createdAt!: Date;
}

@ObjectType('CompanyConnection')
export class CompanyConnection extends Connection(CompanyType, 'Company') {}
