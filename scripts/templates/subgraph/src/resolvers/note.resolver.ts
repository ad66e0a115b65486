import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { PageArgs, WRITERS, connectionOf, integerId, requireRole, windowOf, type SubgraphContext } from '@salesgraph/platform';
import { __Name__Note } from '../entities/index.js';
import { Create__Name__NoteInput } from '../types/inputs.js';
import { __Name__NoteConnection, __Name__NoteType } from '../types/note.type.js';

@Resolver(() => __Name__NoteType)
export class __Name__NoteResolver {
  @Authorized()
  @Query(() => __Name__NoteConnection, { description: "Your organization's __name__ notes, newest first" })
  async __name__Notes(@Args() args: PageArgs, @Ctx() { em, identity }: SubgraphContext) {
    const caller = requireRole(identity);
    const window = windowOf(args);
    const [rows, total] = await em.findAndCount(
      __Name__Note,
      { organizationId: caller.organizationId },
      { orderBy: { id: 'desc' }, offset: window.offset, limit: window.limit },
    );
    return connectionOf(rows, total, window);
  }

  @Authorized()
  @Query(() => __Name__NoteType, { nullable: true })
  __name__Note(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<__Name__Note | null> {
    return em.findOne(__Name__Note, { id: integerId(id, 'note'), organizationId: requireRole(identity).organizationId });
  }

  @Authorized(WRITERS)
  @Mutation(() => __Name__NoteType)
  async create__Name__Note(@Arg('input') input: Create__Name__NoteInput, @Ctx() { em, identity }: SubgraphContext): Promise<__Name__Note> {
    const caller = requireRole(identity, WRITERS);
    const note = em.create(__Name__Note, { organizationId: caller.organizationId, authorId: caller.userId, title: input.title.trim() });
    await em.flush();
    return note;
  }
}
