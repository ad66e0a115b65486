import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { PageArgs, WRITERS, connectionOf, integerId, requireRole, windowOf, type SubgraphContext } from '@salesgraph/platform';
import { LeadsNote } from '../entities/index.js';
import { CreateLeadsNoteInput } from '../types/inputs.js';
import { LeadsNoteConnection, LeadsNoteType } from '../types/note.type.js';

@Resolver(() => LeadsNoteType)
export class LeadsNoteResolver {
  @Authorized()
  @Query(() => LeadsNoteConnection, { description: "Your organization's leads notes, newest first" })
  async leadsNotes(@Args() args: PageArgs, @Ctx() { em, identity }: SubgraphContext) {
    const caller = requireRole(identity);
    const window = windowOf(args);
    const [rows, total] = await em.findAndCount(
      LeadsNote,
      { organizationId: caller.organizationId },
      { orderBy: { id: 'desc' }, offset: window.offset, limit: window.limit },
    );
    return connectionOf(rows, total, window);
  }

  @Authorized()
  @Query(() => LeadsNoteType, { nullable: true })
  leadsNote(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<LeadsNote | null> {
    return em.findOne(LeadsNote, { id: integerId(id, 'note'), organizationId: requireRole(identity).organizationId });
  }

  @Authorized(WRITERS)
  @Mutation(() => LeadsNoteType)
  async createLeadsNote(@Arg('input') input: CreateLeadsNoteInput, @Ctx() { em, identity }: SubgraphContext): Promise<LeadsNote> {
    const caller = requireRole(identity, WRITERS);
    const note = em.create(LeadsNote, { organizationId: caller.organizationId, authorId: caller.userId, title: input.title.trim() });
    await em.flush();
    return note;
  }
}
