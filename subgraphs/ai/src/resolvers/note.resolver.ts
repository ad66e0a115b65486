import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { PageArgs, WRITERS, connectionOf, integerId, requireRole, windowOf, type SubgraphContext } from '@salesgraph/platform';
import { AiNote } from '../entities/index.js';
import { CreateAiNoteInput } from '../types/inputs.js';
import { AiNoteConnection, AiNoteType } from '../types/note.type.js';

@Resolver(() => AiNoteType)
export class AiNoteResolver {
  @Authorized()
  @Query(() => AiNoteConnection, { description: "Your organization's ai notes, newest first" })
  async aiNotes(@Args() args: PageArgs, @Ctx() { em, identity }: SubgraphContext) {
    const caller = requireRole(identity);
    const window = windowOf(args);
    const [rows, total] = await em.findAndCount(
      AiNote,
      { organizationId: caller.organizationId },
      { orderBy: { id: 'desc' }, offset: window.offset, limit: window.limit },
    );
    return connectionOf(rows, total, window);
  }

  @Authorized()
  @Query(() => AiNoteType, { nullable: true })
  aiNote(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<AiNote | null> {
    return em.findOne(AiNote, { id: integerId(id, 'note'), organizationId: requireRole(identity).organizationId });
  }

  @Authorized(WRITERS)
  @Mutation(() => AiNoteType)
  async createAiNote(@Arg('input') input: CreateAiNoteInput, @Ctx() { em, identity }: SubgraphContext): Promise<AiNote> {
    const caller = requireRole(identity, WRITERS);
    const note = em.create(AiNote, { organizationId: caller.organizationId, authorId: caller.userId, title: input.title.trim() });
    await em.flush();
    return note;
  }
}
