import type { EntityName } from '@mikro-orm/core';
import { MAX_INTEGER_ID, byKeys, uuidOrNothing, type SubgraphContext } from '@salesgraph/platform';
import { Client, Dialog, DialogMessage, Funnel } from './entities/index.js';
import { visibleDialogs } from './services/access.js';

/** One batched reference resolver per entity type, never across tenants (null when not visible). */
function reference<T extends { id: K }, K extends string | number>(
  entity: EntityName<T>,
  name: string,
  key: (id: string) => K | undefined,
  scope: (ctx: SubgraphContext) => object | undefined,
) {
  return {
    __resolveReference: ({ id }: { id: string }, ctx: SubgraphContext) =>
      ctx.loaders
        .get<string, T | null>(`${name}Reference`, async (ids) => {
          const visible = scope(ctx);
          const keys = ids.map(key).filter((k) => k !== undefined);
          if (!visible || keys.length === 0) return ids.map(() => null);
          const rows = (await ctx.em.find(entity, { ...visible, id: { $in: keys } } as never)) as T[];
          return byKeys(ids, rows, (row) => String(row.id));
        })
        .load(String(id).toLowerCase()),
  };
}

const signedIn = ({ identity }: SubgraphContext) =>
  identity.kind === 'anonymous' || identity.userId === undefined || identity.organizationId === undefined || identity.role === undefined
    ? undefined
    : (identity as Parameters<typeof visibleDialogs>[0]);
const organization = (ctx: SubgraphContext) => {
  const caller = signedIn(ctx);
  return caller ? { organizationId: caller.organizationId } : undefined;
};
const dialogsOfCaller = (ctx: SubgraphContext) => {
  const caller = signedIn(ctx);
  return caller ? visibleDialogs(caller) : undefined;
};
const ofVisibleDialogs = (ctx: SubgraphContext) => {
  const dialogs = dialogsOfCaller(ctx);
  return dialogs ? { dialog: dialogs } : undefined;
};
const integerKey = (id: string) => {
  const n = Number(id);
  return Number.isSafeInteger(n) && n > 0 && n <= MAX_INTEGER_ID ? n : undefined;
};

export const referenceResolvers = {
  Funnel: reference(Funnel, 'funnel', uuidOrNothing, organization),
  Client: reference(Client, 'client', integerKey, organization),
  Dialog: reference(Dialog, 'dialog', uuidOrNothing, dialogsOfCaller),
  DialogMessage: reference(DialogMessage, 'dialogMessage', uuidOrNothing, ofVisibleDialogs),
};
