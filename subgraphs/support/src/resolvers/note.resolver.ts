import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { PageArgs, WRITERS, connectionOf, integerId, requireRole, windowOf, type SubgraphContext } from '@salesgraph/platform';
import { SupportNote } from '../entities/index.js';
import { CreateSupportNoteInput } from '../types/inputs.js';
import { SupportNoteConnection, SupportNoteType } from '../types/note.type.js';

@Resolver(() => SupportNoteType)
export class SupportNoteResolver {
  @Authorized()
  @Query(() => SupportNoteConnection, { description: "Your organization's support notes, newest first" })
  async supportNotes(@Args() args: PageArgs, @Ctx() { em, identity }: SubgraphContext) {
    const caller = requireRole(identity);
    const window = windowOf(args);
    const [rows, total] = await em.findAndCount(
      SupportNote,
      { organizationId: caller.organizationId },
      { orderBy: { id: 'desc' }, offset: window.offset, limit: window.limit },
    );
    return connectionOf(rows, total, window);
  }

  @Authorized()
  @Query(() => SupportNoteType, { nullable: true })
  supportNote(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<SupportNote | null> {
    return em.findOne(SupportNote, { id: integerId(id, 'note'), organizationId: requireRole(identity).organizationId });
  }

  @Authorized(WRITERS)
  @Mutation(() => SupportNoteType)
  async createSupportNote(@Arg('input') input: CreateSupportNoteInput, @Ctx() { em, identity }: SubgraphContext): Promise<SupportNote> {
    const caller = requireRole(identity, WRITERS);
    const note = em.create(SupportNote, { organizationId: caller.organizationId, authorId: caller.userId, title: input.title.trim() });
    await em.flush();
    return note;
  }
}
