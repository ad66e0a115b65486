import { Arg, Args, Ctx, Directive, Mutation, Query, Resolver } from 'type-graphql';
import { type SubgraphContext } from '@salesgraph/platform';
import { documentBody, hashesOf, listManifests, manifestDocuments, registerManifest } from '../services/trusted-documents.js';
import {
  ClientVersionArgs,
  DocumentManifestType,
  ManifestRegistrationType,
  RegisterManifestArgs,
  TrustedDocumentType,
} from '../types/trusted-document.type.js';

/**
 * The gateway's trusted documents (persisted operations), kept here so every gateway replica sees the same.
 * All `@inaccessible`: only the gateway reaches them, after checking the deployment's token itself.
 */
@Resolver()
export class TrustedDocumentResolver {
  @Directive('@inaccessible')
  @Mutation(() => ManifestRegistrationType, {
    description: 'Internal: registers a client version’s documents (all or none); a version is immutable',
  })
  registerDocumentManifest(
    @Args() { clientName, clientVersion, documents }: RegisterManifestArgs,
    @Ctx() { em }: SubgraphContext,
  ): Promise<ManifestRegistrationType> {
    return registerManifest(em, clientName, clientVersion, documents);
  }

  @Directive('@inaccessible')
  @Query(() => String, { nullable: true, description: 'Internal: the body of a registered document, by its SHA-256' })
  trustedDocument(@Arg('hash') hash: string, @Ctx() { em }: SubgraphContext): Promise<string | null> {
    return /^[0-9a-f]{64}$/.test(hash) ? documentBody(em, hash) : Promise.resolve(null);
  }

  @Directive('@inaccessible')
  @Query(() => [String], { description: 'Internal: the hashes of the documents every version of a client registered' })
  trustedDocumentHashes(@Arg('clientName') clientName: string, @Ctx() { em }: SubgraphContext): Promise<string[]> {
    return hashesOf(em, clientName);
  }

  @Directive('@inaccessible')
  @Query(() => [DocumentManifestType], { description: 'Internal: registered client versions, by client, newest first' })
  documentManifests(
    @Arg('clientName', () => String, { nullable: true }) clientName: string | null,
    @Ctx() { em }: SubgraphContext,
  ): Promise<DocumentManifestType[]> {
    return listManifests(em, clientName ?? undefined);
  }

  @Directive('@inaccessible')
  @Query(() => [TrustedDocumentType], { nullable: true, description: 'Internal: a registered version’s documents' })
  documentManifest(@Args() { clientName, clientVersion }: ClientVersionArgs, @Ctx() { em }: SubgraphContext) {
    return manifestDocuments(em, clientName, clientVersion);
  }
}
