import { Args, ArgsType, Ctx, Directive, Field, ID, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { Length } from 'class-validator';
import { isUuid, notFound, type SubgraphContext } from '@salesgraph/platform';
import { Attachment } from '../entities/index.js';
import type { Attachments } from '../services/attachments.js';
import type { DownloadLinks } from '../services/downloads.js';

@ArgsType()
class DownloadArgs {
  @Field(() => ID) attachmentId!: string;
  @Field(() => Int) expires!: number;
  @Field() @Length(64, 64) signature!: string;
}

@ObjectType('AttachmentDownload', { description: 'Internal: a file to send' })
export class AttachmentDownload {
  @Field() name!: string;
  @Field() contentType!: string;
  @Field({ description: 'The bytes, base64-encoded' }) base64!: string;
}

/**
 * What the gateway's download route calls (`src/gateway/downloads.ts`), never the public API
 * (`@inaccessible`): anonymous, since the signed link is the credential.
 */
@Resolver()
export class DownloadResolver {
  constructor(
    private readonly links: DownloadLinks,
    private readonly attachments: Attachments,
  ) {}

  @Directive('@inaccessible')
  @Query(() => AttachmentDownload, {
    description: 'Internal: the file a signed download link names (NOT_FOUND when the link is bad or expired)',
  })
  async attachmentDownload(
    @Args() { attachmentId, expires, signature }: DownloadArgs,
    @Ctx() { em }: SubgraphContext,
  ): Promise<AttachmentDownload> {
    if (!isUuid(attachmentId) || !this.links.verify(attachmentId, expires, signature.toLowerCase())) throw notFound('File');
    const attachment = await em.findOne(Attachment, { id: attachmentId.toLowerCase() });
    const content = attachment && (await this.attachments.store.get(attachment.storageKey));
    if (!attachment || !content) throw notFound('File');
    return { name: attachment.name, contentType: attachment.contentType, base64: content.toString('base64') };
  }
}
