import { wrap } from '@mikro-orm/core';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import {
  PageArgs,
  WRITERS,
  byKeys,
  connectionOf,
  integerId,
  requireRole,
  sqlOf,
  windowOf,
  uuidOrNothing,
  type SubgraphContext,
  findPage,
} from '@salesgraph/platform';
import { Client, Dialog, DialogMessage, Funnel, FunnelStage } from '../entities/index.js';
import { findVisibleDialog, visibleDialogs } from '../services/access.js';
import { funnelOf } from '../services/loaders.js';
import type { DialogService } from '../services/dialogs.js';
import { ClientType } from '../types/client.type.js';
import { DialogConnection, DialogMessageConnection, DialogMessageType, DialogType } from '../types/dialog.type.js';
import { Channel, DialogStatus } from '../types/enums.js';
import { FunnelStageType, FunnelType } from '../types/funnel.type.js';
import { SendDialogMessageInput, UpdateDialogInput } from '../types/inputs.js';
import { UserRef, userRef } from '../types/user.type.js';

@Resolver(() => DialogType)
export class DialogResolver {
  constructor(private readonly service: DialogService) {}

  @Authorized()
  @Query(() => DialogConnection, { description: 'Dialogs you may see, most recently active first' })
  async dialogs(
    @Args() page: PageArgs,
    @Ctx() { em, identity }: SubgraphContext,
    @Arg('funnelId', () => ID, { nullable: true }) funnelId?: string,
    @Arg('clientId', () => ID, { nullable: true }) clientId?: string,
    @Arg('status', () => DialogStatus, { nullable: true }) status?: DialogStatus,
    @Arg('channel', () => Channel, { nullable: true }) channel?: Channel,
  ) {
    const caller = requireRole(identity);
    const window = windowOf(page, 50);
    const where = {
      ...visibleDialogs(caller),
      ...(funnelId !== undefined && funnelId !== null ? { funnel: uuidOrNothing(funnelId) ?? null } : {}),
      ...(clientId !== undefined && clientId !== null ? { client: integerId(clientId, 'client') } : {}),
      ...(status ? { status } : {}),
      ...(channel ? { channel } : {}),
    };
    // A funnel id that cannot be one matches nothing, rather than the dialogs without a funnel.
    if (funnelId && !uuidOrNothing(funnelId)) return connectionOf([], 0, window);
    return findPage(
      em,
      Dialog,
      where,
      {
        orderBy: { lastActivityAt: 'desc', id: 'desc' },
      },
      window,
    );
  }

  @Authorized()
  @Query(() => DialogType, { description: 'A dialog you may see (by its id, the uuid)' })
  dialog(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<Dialog> {
    const caller = requireRole(identity);
    return findVisibleDialog(em, caller, id);
  }

  @Authorized()
  @Query(() => DialogMessageConnection, { description: "A dialog's messages, oldest first" })
  async dialogMessages(
    @Arg('dialogId', () => ID) dialogId: string,
    @Args() page: PageArgs,
    @Ctx() { em, identity }: SubgraphContext,
    @Arg('funnelId', () => ID, { nullable: true, description: 'Only within this funnel: a dialog of another is NOT_FOUND' })
    funnelId?: string,
  ) {
    const caller = requireRole(identity);
    const dialog = await findVisibleDialog(em, caller, dialogId, { funnelId });
    const window = windowOf(page, 50);
    return findPage(em, DialogMessage, { dialog }, { orderBy: { createdAt: 'asc', id: 'asc' } }, window);
  }

  @Authorized()
  @Query(() => DialogMessageType, { nullable: true, description: 'A message of a dialog you may see' })
  dialogMessage(@Arg('id', () => ID) id: string, @Ctx() { em, identity }: SubgraphContext): Promise<DialogMessage | null> {
    const uuid = uuidOrNothing(id);
    if (!uuid) return Promise.resolve(null);
    return em.findOne(DialogMessage, { id: uuid, dialog: visibleDialogs(requireRole(identity)) });
  }

  @Authorized(WRITERS)
  @Mutation(() => DialogMessageType, {
    description: "Send a message to the dialog's client: recorded pending, then delivered to their messenger (see delivery)",
  })
  sendDialogMessage(
    @Arg('dialogId', () => ID) dialogId: string,
    @Arg('input') input: SendDialogMessageInput,
    @Ctx() { em, identity }: SubgraphContext,
    @Arg('funnelId', () => ID, { nullable: true, description: 'Only within this funnel: a dialog of another is NOT_FOUND' })
    funnelId?: string,
  ): Promise<DialogMessage> {
    const caller = requireRole(identity, WRITERS);
    return this.service.send(em, caller, dialogId, input.text, input.role, funnelId);
  }

  @Authorized(WRITERS)
  @Mutation(() => DialogType, {
    description: "Move a dialog to a stage of its funnel (a kanban move); its stage's follow-ups count from now",
  })
  moveDialogToStage(
    @Arg('dialogId', () => ID) dialogId: string,
    @Arg('stageId', () => ID) stageId: string,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<Dialog> {
    return this.service.moveToStage(em, requireRole(identity, WRITERS), dialogId, stageId);
  }

  @Authorized(WRITERS)
  @Mutation(() => DialogType, { description: "Change a dialog's deal fields, manager, AI flag or subscription" })
  updateDialog(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateDialogInput,
    @Ctx() { em, identity }: SubgraphContext,
  ): Promise<Dialog> {
    return this.service.update(em, requireRole(identity, WRITERS), id, input);
  }

  @FieldResolver(() => ClientType)
  client(@Root() dialog: Dialog, @Ctx() { em, loaders }: SubgraphContext): Promise<Client> {
    // Loaded with the dialog already (the dialogs found by phone are read with their clients).
    if (wrap(dialog.client).isInitialized()) return Promise.resolve(dialog.client);
    return loaders
      .get<number, Client>(
        'clientById',
        async (ids) => byKeys(ids, await em.find(Client, { id: { $in: [...ids] } }), (c) => c.id) as Client[],
      )
      .load(dialog.client.id);
  }

  @FieldResolver(() => FunnelType, { nullable: true })
  funnel(@Root() dialog: Dialog, @Ctx() ctx: SubgraphContext): Promise<Funnel | null> | null {
    return funnelOf(ctx, dialog.funnel);
  }

  @FieldResolver(() => FunnelStageType, { nullable: true })
  stage(@Root() dialog: Dialog, @Ctx() { em, loaders }: SubgraphContext): Promise<FunnelStage | null> | null {
    if (!dialog.stage) return null;
    return loaders
      .get<string, FunnelStage | null>('stageById', async (ids) =>
        byKeys(ids, await em.find(FunnelStage, { id: { $in: [...ids] } }), (s) => s.id),
      )
      .load(dialog.stage.id);
  }

  @FieldResolver(() => UserRef, { nullable: true })
  manager(@Root() dialog: Dialog): UserRef | null {
    return userRef(dialog.managerUserId);
  }
}

@Resolver(() => DialogMessageType)
export class DialogMessageResolver {
  @FieldResolver(() => ID)
  dialogId(@Root() message: DialogMessage): string {
    return message.dialog.id;
  }
}

interface ClientTotals {
  client_id: number;
  dialogs_count: string | number;
  messages_count: string | number;
  close_ratio: string | number | null;
}

/** A client's figures over their dialogs (seed 003 shows them beside the client), one statement per page of clients. */
@Resolver(() => ClientType)
export class ClientDialogsResolver {
  @FieldResolver(() => [DialogType], { description: 'Their dialogs you may see, most recently active first' })
  async dialogs(@Root() client: Client, @Ctx() { em, identity, loaders }: SubgraphContext): Promise<Dialog[]> {
    const caller = requireRole(identity);
    return loaders
      .get<number, Dialog[]>('dialogsOfClient', async (ids) => {
        const rows = await em.find(
          Dialog,
          { ...visibleDialogs(caller), client: { $in: [...ids] } },
          { orderBy: { lastActivityAt: 'desc' } },
        );
        return ids.map((id) => rows.filter((d) => d.client.id === id));
      })
      .load(client.id);
  }

  @FieldResolver(() => Int, { description: 'Messages over all their dialogs' })
  async messagesCount(@Root() client: Client, @Ctx() ctx: SubgraphContext): Promise<number> {
    return Number((await totalsOf(ctx, client.id))?.messages_count ?? 0);
  }

  @FieldResolver(() => Int, { description: 'The best close ratio of their dialogs (0–100)' })
  async closeRatio(@Root() client: Client, @Ctx() ctx: SubgraphContext): Promise<number> {
    return Number((await totalsOf(ctx, client.id))?.close_ratio ?? 0);
  }
}

function totalsOf({ em, loaders, identity }: SubgraphContext, clientId: number): Promise<ClientTotals | null> {
  const caller = requireRole(identity);
  return loaders
    .get<number, ClientTotals | null>('clientTotals', async (ids) => {
      const rows = await sqlOf(em).execute<ClientTotals[]>(
        `select client_id, count(*)::int as dialogs_count, coalesce(sum(messages_count), 0)::int as messages_count,
                max(close_ratio) as close_ratio
           from funnels.dialogs where organization_id = ? and client_id in (${ids.map(() => '?').join(', ')}) group by client_id`,
        [caller.organizationId, ...ids],
      );
      return byKeys(ids, rows, (r) => Number(r.client_id));
    })
    .load(clientId);
}
