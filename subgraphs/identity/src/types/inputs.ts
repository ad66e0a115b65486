import { ArgsType, Field, InputType, registerEnumType } from 'type-graphql';
import { IsEmail, IsOptional, Length, Matches, MaxLength, MinLength } from 'class-validator';
import { OptionalNotNull, PageArgs, Role, SortDirection } from '@salesgraph/platform';

const USERNAME = /^[a-zA-Z0-9_.-]+$/;
const USERNAME_RULE = 'may contain only letters, digits, "_", "." and "-"';
const PASSWORD_MIN = 8;

@InputType()
export class LoginInput {
  @Field({ description: 'E-mail or username' }) @Length(1, 254) login!: string;
  @Field() @Length(1, 256) password!: string;
}

@InputType()
export class SignUpInput {
  @Field() @Length(2, 120) organizationName!: string;
  @Field() @IsEmail() @MaxLength(254) email!: string;
  @Field() @Length(3, 64) @Matches(USERNAME, { message: USERNAME_RULE }) username!: string;
  @Field() @MinLength(PASSWORD_MIN) @MaxLength(256) password!: string;
  @Field({ nullable: true }) @IsOptional() @MaxLength(100) firstName?: string;
  @Field({ nullable: true }) @IsOptional() @MaxLength(100) lastName?: string;
}

@InputType()
export class CreateUserInput {
  @Field() @IsEmail() @MaxLength(254) email!: string;
  @Field() @Length(3, 64) @Matches(USERNAME, { message: USERNAME_RULE }) username!: string;
  @Field() @MinLength(PASSWORD_MIN) @MaxLength(256) password!: string;
  @Field({ nullable: true }) @IsOptional() @MaxLength(100) firstName?: string;
  @Field({ nullable: true }) @IsOptional() @MaxLength(100) lastName?: string;
  @Field(() => Role, { defaultValue: Role.USER }) role!: Role;
  @Field({ defaultValue: true }) isActive!: boolean;
}

@InputType()
export class UpdateUserInput {
  @Field({ nullable: true }) @OptionalNotNull() @IsEmail() @MaxLength(254) email?: string;
  @Field({ nullable: true }) @OptionalNotNull() @Length(3, 64) @Matches(USERNAME, { message: USERNAME_RULE }) username?: string;
  @Field({ nullable: true }) @OptionalNotNull() @MinLength(PASSWORD_MIN) @MaxLength(256) password?: string;
  @Field({ nullable: true }) @IsOptional() @MaxLength(100) firstName?: string;
  @Field({ nullable: true }) @IsOptional() @MaxLength(100) lastName?: string;
  @Field(() => Role, { nullable: true }) @OptionalNotNull() role?: Role;
  @Field({ nullable: true }) @OptionalNotNull() isActive?: boolean;
}

@InputType()
export class UpdateProfileInput {
  @Field({ nullable: true }) @OptionalNotNull() @IsEmail() @MaxLength(254) email?: string;
  @Field({ nullable: true }) @OptionalNotNull() @Length(3, 64) @Matches(USERNAME, { message: USERNAME_RULE }) username?: string;
  @Field({ nullable: true }) @IsOptional() @MaxLength(100) firstName?: string;
  @Field({ nullable: true }) @IsOptional() @MaxLength(100) lastName?: string;
}

@InputType()
export class ChangePasswordInput {
  @Field() @Length(1, 256) currentPassword!: string;
  @Field() @MinLength(PASSWORD_MIN) @MaxLength(256) newPassword!: string;
}

@InputType()
export class CreateApiKeyInput {
  @Field() @Length(1, 100) name!: string;
  @Field(() => Role, { nullable: true, description: "Defaults to the creator's role; never above it" }) @IsOptional() role?: Role;
  @Field(() => Date, { nullable: true }) @IsOptional() expiresAt?: Date;
}

export enum UserOrderField {
  ID = 'id',
  EMAIL = 'email',
  USERNAME = 'username',
  CREATED_AT = 'createdAt',
  LAST_NAME = 'lastName',
}
registerEnumType(UserOrderField, { name: 'UserOrderField' });

@ArgsType()
export class UsersArgs extends PageArgs {
  @Field({ nullable: true, description: 'Matches e-mail, username, first or last name' }) @IsOptional() @MaxLength(100) search?: string;
  @Field(() => Role, { nullable: true }) role?: Role;
  @Field({ nullable: true }) isActive?: boolean;
  @Field(() => UserOrderField, { defaultValue: UserOrderField.ID }) orderBy!: UserOrderField;
  @Field(() => SortDirection, { defaultValue: SortDirection.ASC }) direction!: SortDirection;
}

@InputType()
export class UserPhoneInput {
  @Field()
  @MaxLength(40)
  @Matches(/^[+()\d\s.-]{3,40}$/, { message: 'must be a phone number (digits, spaces, +, -, parentheses)' })
  phoneNumber!: string;
  @Field({ defaultValue: 'work' }) @Length(1, 20) phoneType!: string;
  @Field({ defaultValue: false }) isPrimary!: boolean;
}
