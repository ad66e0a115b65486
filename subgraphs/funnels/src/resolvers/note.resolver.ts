import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { PageArgs, WRITERS, connectionOf, integerId, requireRole, windowOf, type SubgraphContext } from '@salesgraph/platform';
import { FunnelsNote } from '../entities/index.js';
import { CreateFunnelsNoteInput } from '../types/inputs.js';
import { FunnelsNoteConnection, FunnelsNoteType } from '../types/note.type.js';

@Resolver(() => FunnelsNoteType)
export class FunnelsNoteResolver {
  @Authorized()
  @Query(() => FunnelsNoteConnection, { description: "Your organization's funnels notes, newest first" })
  async funnelsNotes(@Args() args: PageArgs, @Ctx() { em, identity }: SubgraphContext) {
    const caller = requireRole(identity);
    const window = windowOf(args);
    const [rows, total] = await em.findAndCount(
      FunnelsNote,
      { organizationId: caller.organizationId },
      { orderBy: { id: 'desc' }, offset: window.offset, limit: window.limit },
    );
    return connectionOf(rows, total, window);
  }

  @Authorized()
  @Query(() => FunnelsNoteType, { nullable: true })
  funnelsNote(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<FunnelsNote | null> {
    return em.findOne(FunnelsNote, { id: integerId(id, 'note'), organizationId: requireRole(identity).organizationId });
  }

  @Authorized(WRITERS)
  @Mutation(() => FunnelsNoteType)
  async createFunnelsNote(@Arg('input') input: CreateFunnelsNoteInput, @Ctx() { em, identity }: SubgraphContext): Promise<FunnelsNote> {
    const caller = requireRole(identity, WRITERS);
    const note = em.create(FunnelsNote, { organizationId: caller.organizationId, authorId: caller.userId, title: input.title.trim() });
    await em.flush();
    return note;
  }
}
