import { ArgsType, Directive, Field, InputType, Int, ObjectType } from 'type-graphql';
import { ArrayMaxSize, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { CLIENT_NAME_PATTERN, CLIENT_NAME_RULE } from '@salesgraph/platform';

const SHA256_HEX = /^[0-9a-f]{64}$/;
/** graphql-js's parser with the gateway's token limit refuses far shorter documents; this bounds the row. */
export const MAX_DOCUMENT_LENGTH = 100_000;
export const MAX_MANIFEST_DOCUMENTS = 5_000;

/** Internal (the gateway's trusted documents): one version of one client, as registered. */
@Directive('@inaccessible')
@ObjectType('DocumentManifest')
export class DocumentManifestType {
  @Field() clientName!: string;
  @Field() clientVersion!: string;
  @Field({ description: 'SHA-256 of the sorted hashes, one a line' }) digest!: string;
  @Field(() => Int) documentCount!: number;
  @Field() registeredAt!: Date;
}

/** Internal: a registered document. */
@Directive('@inaccessible')
@ObjectType('TrustedDocument')
export class TrustedDocumentType {
  @Field({ description: 'Lower-case hex SHA-256 of the body' }) hash!: string;
  @Field() body!: string;
}

/** Internal: what a registration did; `created` false with `matches` false is a conflict (nothing stored). */
@Directive('@inaccessible')
@ObjectType('ManifestRegistration')
export class ManifestRegistrationType {
  @Field({ description: 'A new version was stored' }) created!: boolean;
  @Field({ description: 'The stored version holds exactly the documents sent' }) matches!: boolean;
  @Field(() => DocumentManifestType) manifest!: DocumentManifestType;
}

@Directive('@inaccessible')
@InputType('TrustedDocumentInput')
export class TrustedDocumentInput {
  @Field({ description: 'Lower-case hex SHA-256 of the body' }) @MaxLength(64) @Matches(SHA256_HEX) hash!: string;
  @Field() @Length(1, MAX_DOCUMENT_LENGTH) body!: string;
}

@ArgsType()
export class ClientVersionArgs {
  @Field() @MaxLength(100) @Matches(CLIENT_NAME_PATTERN, { message: CLIENT_NAME_RULE }) clientName!: string;
  @Field() @MaxLength(100) @Matches(CLIENT_NAME_PATTERN, { message: CLIENT_NAME_RULE }) clientVersion!: string;
}

@ArgsType()
export class RegisterManifestArgs extends ClientVersionArgs {
  @Field(() => [TrustedDocumentInput])
  @ArrayMaxSize(MAX_MANIFEST_DOCUMENTS)
  @ValidateNested({ each: true })
  documents!: TrustedDocumentInput[];
}
